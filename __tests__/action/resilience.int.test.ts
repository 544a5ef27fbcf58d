import { describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT, startEmulator } from '../../emulator/index.js'
import { actionInputs, expectNoSecretsShown, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, patternBytes, runAction } from '../support/local-runner.js'

const emulator = useEmulator()
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), overrides)

const count = (action: string): number =>
  emulator()
    .state.requests()
    .filter((r) => r.action === action).length

describe('transient faults are retried without duplicates', () => {
  it('throttled creates succeed with one package', async () => {
    emulator().faults.add({ kind: 'throttle', action: 'CreateOTAFirmware', count: 2 })
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()).toHaveLength(1)
    expect(count('CreateOTAFirmware')).toBe(3)
    expect(run.stdout).toContain('Throttling')
  })

  it('throttling answered as the business code iot.common.TooManyRequest is retried too', async () => {
    emulator().faults.add({ kind: 'throttle', action: 'CreateOTAFirmware', count: 1, form: 'business' })
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('a 503 during upload is retried with a fresh upload form', async () => {
    emulator().faults.add({ kind: 'upload-fail', count: 1, mode: 'status-503' })
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(count('GenerateOTAUploadURL')).toBe(2)
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('a connection dropped mid-upload is retried with a fresh upload form', async () => {
    emulator().faults.add({ kind: 'upload-fail', count: 1, mode: 'drop' })
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace({ 'build/app.bin': 3 * 1024 * 1024 }) })
    expect(run.code).toBe(0)
    expect(count('GenerateOTAUploadURL')).toBe(2)
    expect(emulator().state.firmwares()).toHaveLength(1)
    expect(emulator().state.objects()).toHaveLength(1)
  })

  it('a 5xx from the API is retried', async () => {
    emulator().faults.add({ kind: 'server-error', action: 'GenerateOTAUploadURL', count: 2, status: 503 })
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('an ambiguous create (created, then no answer) ends with exactly one package, the one in the outputs', async () => {
    emulator().faults.add({ kind: 'ambiguous-create', count: 1 })
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    const firmwares = emulator().state.firmwares()
    expect(firmwares).toHaveLength(1)
    expect(run.outputs['firmware-id']).toBe(firmwares[0]?.FirmwareId)
    expect(run.outputs.result).toBe('created')
    expect(count('CreateOTAFirmware')).toBe(1)
  })

  it('a stalled upload fails within its timeout and never reports success', async () => {
    emulator().faults.add({ kind: 'stall-upload', count: 10 })
    const started = Date.now()
    const run = await runAction({
      inputs: inputs({ 'request-timeout-seconds': '2', 'max-attempts': '2' }),
      workspace: await makeWorkspace({ 'build/app.bin': 8 * 1024 * 1024 })
    })
    expect(run.code).toBe(1)
    expect(Date.now() - started).toBeLessThan(20_000)
    expect(run.stdout).toMatch(/no progress for 2 s/)
    expect(run.outputs['firmware-id'] ?? '').toBe('')
    expect(emulator().state.firmwares()).toHaveLength(0)
  })

  it('the whole-run timeout stops retries and fails the step', async () => {
    emulator().faults.add({ kind: 'slow', action: 'GenerateOTAUploadURL', delayMs: 10_000 })
    const started = Date.now()
    const run = await runAction({ inputs: inputs({ 'timeout-minutes': '0.05' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(1)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(run.stdout).toContain('timeout-minutes')
    expect(emulator().state.firmwares()).toHaveLength(0)
  })
})

describe('re-runs', () => {
  it('a re-run with the same file reuses the package and uploads nothing', async () => {
    const ws = await makeWorkspace()
    const first = await runAction({ inputs: inputs(), workspace: ws })
    expect(first.code).toBe(0)
    const requestsBefore = emulator().state.requests().length
    const second = await runAction({ inputs: inputs(), workspace: ws })
    expect(second.code).toBe(0)
    expect(second.outputs['firmware-id']).toBe(first.outputs['firmware-id'])
    expect(second.outputs['utc-create']).toBe(first.outputs['utc-create'])
    expect(second.outputs.result).toBe('reused')
    const rerun = emulator()
      .state.requests()
      .slice(requestsBefore)
      .map((r) => r.action)
    expect(rerun).toEqual(['ListOTAFirmware'])
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('a re-run with other content fails, shows both digests and creates nothing', async () => {
    const ws = await makeWorkspace()
    expect((await runAction({ inputs: inputs(), workspace: ws })).code).toBe(0)
    await writeFile(join(ws, 'build/app.bin'), patternBytes(4096, 'another build'))
    const run = await runAction({ inputs: inputs(), workspace: ws })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('already has package')
    expect(run.stdout).toMatch(/MD5 [0-9a-f]{32} and 4096 bytes, build\/app\.bin has MD5 [0-9a-f]{32}/)
    expect(emulator().state.firmwares()).toHaveLength(1)
    expect(count('GenerateOTAUploadURL')).toBe(1)
  })

  it('other content with on-version-conflict: skip keeps the existing package', async () => {
    const ws = await makeWorkspace()
    const first = await runAction({ inputs: inputs(), workspace: ws })
    await writeFile(join(ws, 'build/app.bin'), patternBytes(4096, 'another build'))
    const run = await runAction({ inputs: inputs({ 'on-version-conflict': 'skip' }), workspace: ws })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('skipped')
    expect(run.outputs['firmware-id']).toBe(first.outputs['firmware-id'])
    expect(emulator().state.firmwares()).toHaveLength(1)
  })
})

describe('a matrix sharing the account', () => {
  it('twelve concurrent runs against one emulator all succeed', async () => {
    // One version per leg: a product has at most 10 custom modules, and the legs must not reuse each other's package.
    const versions = Array.from({ length: 12 }, (_, i) => `1.0.${i}`)
    const runs = await Promise.all(
      versions.map(async (v) =>
        runAction({ inputs: inputs({ 'dest-version': v }), workspace: await makeWorkspace({ [`build/${v}.bin`]: 20_000 }), timeoutMs: 120_000 })
      )
    )
    for (const run of runs) {
      expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
      expect(run.code).toBe(0)
    }
    expect(emulator().state.firmwares()).toHaveLength(12)
    expect(new Set(runs.map((r) => r.outputs['firmware-id'])).size).toBe(12)
  }, 120_000)
})

describe('secrets', () => {
  it('never shows a secret, token or signature, even with debug logging on', async () => {
    const sts = { accessKeyId: 'STS.emulatorTempKey', accessKeySecret: 'sts-secret-value-7f3a', securityToken: 'CAIS-token-value-9c1e' }
    const local = await startEmulator({ port: 0, accounts: [DEFAULT_ACCOUNT, sts] })
    try {
      const run = await runAction({
        inputs: {
          endpoint: local.url,
          'product-key': 'a1uctKe1234',
          files: 'build/*.bin'
        },
        env: {
          RUNNER_DEBUG: '1',
          ALIBABA_CLOUD_ACCESS_KEY_ID: sts.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: sts.accessKeySecret,
          ALIBABA_CLOUD_SECURITY_TOKEN: sts.securityToken
        },
        workspace: await makeWorkspace()
      })
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('::debug::')
      expectNoSecretsShown(run, [sts.accessKeySecret, sts.securityToken])
    } finally {
      await local.close()
    }
  })
})
