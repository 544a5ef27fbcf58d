import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, type DeviceSpec } from '../../emulator/index.js'
import { actionInputs, expectNoSecretsShown, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, ROLLOUT_ENTRY, runAction, VERIFY_ENTRY } from '../support/local-runner.js'

// Verify and rollout on a marketplace instance: the same bundles, every job call a GET with the
// HMAC-SHA1 query signature, lower-camel answers with decimal ids read as the Alibaba ones are.
const MINUTE_MS = 50
const DEVICES: DeviceSpec[] = [{ name: 'test-device-1' }, { name: 'test-device-2' }, { name: 'fleet-0001' }, { name: 'fleet-0002' }, { name: 'fleet-0003' }]
const emulator = useEmulator({ apiVariant: 'marketplace', minuteMs: MINUTE_MS, devices: DEVICES })
const CLOCK_ENV = { OTA_EMULATOR_MINUTE_MS: String(MINUTE_MS) }

function connection(): Record<string, string> {
  const { files: _files, ...inputs } = actionInputs(emulator(), { 'api-variant': 'marketplace' })
  return inputs
}

describe('verify and rollout on a marketplace instance', () => {
  it('publishes, verifies on two devices and rolls out to the rest, all as signed GETs', async () => {
    const workspace = await makeWorkspace()
    const published = await runAction({ inputs: actionInputs(emulator(), { 'api-variant': 'marketplace' }), workspace })
    expect(published.code).toBe(0)
    const firmwareId = published.outputs['firmware-id'] ?? ''
    expect(firmwareId).toMatch(/^\d+$/)

    const verified = await runAction({
      entry: VERIFY_ENTRY,
      inputs: { ...connection(), 'firmware-id': firmwareId, devices: 'test-device-1, test-device-2' },
      workspace,
      env: { ...CLOCK_ENV, RUNNER_DEBUG: '1' }
    })
    expect(verified.stderr).toBe('')
    expect(verified.code).toBe(0)
    expect(verified.outputs).toMatchObject({ result: 'verified', succeeded: '2', failed: '0', 'job-id': expect.stringMatching(/.+/) })
    expectNoSecretsShown(verified, [DEFAULT_ACCOUNT.accessKeySecret])

    const rolled = await runAction({
      entry: ROLLOUT_ENTRY,
      inputs: { ...connection(), 'firmware-id': firmwareId, selection: 'all', 'wait-minutes': '30', 'max-failure-percent': '0' },
      workspace,
      env: CLOCK_ENV
    })
    expect(rolled.stderr).toBe('')
    expect(rolled.code).toBe(0)
    // The two verified devices run the new version already: the platform skips them.
    expect(rolled.outputs).toMatchObject({ result: 'completed', succeeded: '3', failed: '0' })
    expect(rolled.outputs['job-id']).not.toBe(verified.outputs['job-id'])

    const calls = emulator()
      .state.requests()
      .filter((r) => r.action !== 'PostObject')
    expect(calls.map((r) => r.action)).toEqual(expect.arrayContaining(['CreateOTAVerifyJob', 'ListOTATaskByJob', 'CreateOTAStaticUpgradeJob', 'QueryOTAJob']))
    // Three runs back to back may pass the account's 10 QPS together: a throttled call is retried, and answered in time.
    for (const call of calls) expect(call).toMatchObject({ method: 'GET', signature: 'HMAC-SHA1' })
    expect(calls.filter((c) => c.status !== 200 && c.code !== 'Throttling.User')).toEqual([])
  })

  it('refuses a rollout plan before any request: the gateway takes no job tags, where a plan keeps its state', async () => {
    const workspace = await makeWorkspace()
    const run = await runAction({ entry: ROLLOUT_ENTRY, inputs: { ...connection(), 'firmware-id': '1234', stages: '10, 100' }, workspace, env: CLOCK_ENV })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^::error title=OTA rollout failed \(input stages\)::Input 'stages' is "10, 100": a rollout plan keeps its state in job tags/m)
    expect(run.outputs).toEqual({ result: 'failed' })
    expect(emulator().state.requests()).toEqual([])
  })
})
