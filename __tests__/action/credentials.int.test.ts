import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, type EmulatorAccount } from '../../emulator/index.js'
import { actionInputs, expectNoSecretsShown, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction } from '../support/local-runner.js'

/** A temporary key, as aliyun/configure-aliyun-credentials-action leaves it in the environment. */
const STS_ACCOUNT: EmulatorAccount = {
  accessKeyId: 'STS.NUemulatorTemporaryKey',
  accessKeySecret: 'emulator-sts-secret',
  securityToken: 'CAIS-emulator-security-token'
}

const emulator = useEmulator({ accounts: [DEFAULT_ACCOUNT, STS_ACCOUNT] })

/** The emulator refuses a token sent with a permanent key and requires one with a temporary key. */
function expectEveryCallAccepted(accessKeyId: string): void {
  const rpc = emulator()
    .state.requests()
    .filter((r) => r.accessKeyId !== undefined)
  expect(rpc.length).toBeGreaterThan(0)
  for (const r of rpc) expect({ accessKeyId: r.accessKeyId, status: r.status, code: r.code }).toEqual({ accessKeyId, status: 200, code: undefined })
}

describe('credentials come as one set', () => {
  it('input keys with a stale token of another key in the environment publish without the token', async () => {
    const env = {
      ALIBABA_CLOUD_ACCESS_KEY_ID: STS_ACCOUNT.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: STS_ACCOUNT.accessKeySecret,
      ALIBABA_CLOUD_SECURITY_TOKEN: 'CAIS-token-of-an-earlier-step',
      RUNNER_DEBUG: '1'
    }
    const run = await runAction({ inputs: actionInputs(emulator()), workspace: await makeWorkspace(), env })
    expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('created')
    expectEveryCallAccepted(DEFAULT_ACCOUNT.accessKeyId)
    expect(run.stdout).toContain(
      "::debug::Ignoring the STS token in ALIBABA_CLOUD_SECURITY_TOKEN/ALICLOUD_SECURITY_TOKEN: input 'access-key-id' is not the key"
    )
    expectNoSecretsShown(run, [DEFAULT_ACCOUNT.accessKeySecret, STS_ACCOUNT.accessKeySecret, env.ALIBABA_CLOUD_SECURITY_TOKEN])
  })

  it('input keys equal to the environment key take its token', async () => {
    const env = { ALIBABA_CLOUD_ACCESS_KEY_ID: STS_ACCOUNT.accessKeyId, ALIBABA_CLOUD_SECURITY_TOKEN: STS_ACCOUNT.securityToken ?? '' }
    const inputs = actionInputs(emulator(), { 'access-key-id': STS_ACCOUNT.accessKeyId, 'access-key-secret': STS_ACCOUNT.accessKeySecret })
    const run = await runAction({ inputs, workspace: await makeWorkspace(), env })
    expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
    expect(run.code).toBe(0)
    expectEveryCallAccepted(STS_ACCOUNT.accessKeyId)
    expect(run.stdout).not.toContain('Ignoring the STS token')
  })
})
