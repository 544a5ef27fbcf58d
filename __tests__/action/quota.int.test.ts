import { describe, expect, it } from '@jest/globals'
import type { SeedFirmware } from '../../emulator/index.js'
import { QUOTA_HINT } from '../../src/platform/remediations.js'
import { actionInputs, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction, type RunResult } from '../support/local-runner.js'

/** An account that holds at most 10 packages; 9 of them, of another product, are there from the start. */
const QUOTA = 10
const seed = (n: number): SeedFirmware => ({ FirmwareName: `other-${n}`, DestVersion: `0.0.${n}`, ProductKey: 'a1otherProd' })
const emulator = useEmulator({ firmwareQuota: QUOTA, seedFirmwares: Array.from({ length: QUOTA - 1 }, (_, n) => seed(n)) })

/** Fills the account's last slot, as another product's release would. */
async function fillLastSlot(): Promise<void> {
  const answer = await fetch(`${emulator().url}/__emulator/firmwares`, { method: 'POST', body: JSON.stringify(seed(QUOTA)) })
  expect(answer.status).toBe(200)
}

const publish = async (inputs: Record<string, string>): Promise<RunResult> =>
  runAction({ inputs: actionInputs(emulator(), inputs), workspace: await makeWorkspace() })
const actions = () =>
  emulator()
    .state.requests()
    .map((r) => r.action)
/** The hint as an annotation carries it: the runner's command syntax escapes `%` and line breaks. */
const POINTER = 'prune action (`uses: <owner>/<repo>/prune@v1`'

describe('the publish action and the account’s package quota', () => {
  it('at 90 % publishes with a warning that names the count and points at the prune action', async () => {
    const run = await publish({ 'package-quota': String(QUOTA) })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('created')
    const warning = run.stdout.split('\n').find((line) => line.startsWith('::warning::'))
    expect(warning).toContain(`The account holds 9 of its ${QUOTA} OTA packages (90 %25): at ${QUOTA} every publish fails.`)
    expect(warning).toContain(POINTER)
    // The lookup of an existing package, then the count of the whole account, before anything is uploaded.
    expect(actions()).toEqual(['ListOTAFirmware', 'ListOTAFirmware', 'GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'])
  })

  it('at the quota fails before uploading, with the count and the same pointer', async () => {
    await fillLastSlot()
    const run = await publish({ 'package-quota': String(QUOTA) })
    const message = `The account holds ${QUOTA} OTA packages, and 'package-quota' is ${QUOTA}: the platform would refuse a new package, so nothing was uploaded.`
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`::error title=OTA publish failed::${message}%0A${QUOTA_HINT}`)
    expect(run.outputs.result).toBe('failed')
    expect(run.summary).toContain(message)
    expect(run.summary).toContain(POINTER)
    expect(actions()).toEqual(['ListOTAFirmware', 'ListOTAFirmware'])
    expect(emulator().state.objects()).toHaveLength(QUOTA)
  })

  it('the platform’s own refusal, when the input allows more than the account holds, gets the same explanation', async () => {
    await fillLastSlot()
    const run = await publish({})
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      '::error title=OTA publish failed (iot.firmware.FirmwareCountExceedLimit)::CreateOTAFirmware failed: iot.firmware.FirmwareCountExceedLimit'
    )
    expect(run.stdout).toContain(`%0A${QUOTA_HINT}`)
    expect(run.summary).toContain(POINTER)
    expect(emulator().state.firmwares()).toHaveLength(QUOTA)
  })
})
