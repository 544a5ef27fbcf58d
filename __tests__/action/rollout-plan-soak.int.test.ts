import { describe, expect, it } from '@jest/globals'
import { fleetSpecs } from '../../emulator/index.js'
import { inProduct, usePlanHarness } from '../support/plan-harness.js'

/** One emulated minute: a device upgrades in six of them. */
const MINUTE_MS = 40

const PK = { fleet: 'a1soak00400', big: 'a1plan00500' }
const { emulator, publish, plan, stageJobs, devicesOf, calls } = usePlanHarness({
  devices: [...inProduct(PK.fleet, fleetSpecs(400, 0)), ...inProduct(PK.big, fleetSpecs(500, 0))],
  minuteMs: MINUTE_MS
})

describe('a rollout plan over time', () => {
  it('holds the next stage until the soak is over, saying when it may start', async () => {
    const firmwareId = await publish(PK.fleet)
    // A soak of 250 emulated minutes: 10 s here; the first run follows the stage to its pass, then stops.
    const stages = { stages: '10, 100', 'soak-minutes': '250' }
    const first = await plan(PK.fleet, firmwareId, { ...stages, 'wait-minutes': '100' })
    expect(first.outputs).toMatchObject({ result: 'stage-started', stage: '1' })
    expect(first.outputs['next-stage-after']).toMatch(/^\d{4}-\d\d-\d\dT/)
    const soaking = Date.parse(first.outputs['next-stage-after'] ?? '')
    const again = await plan(PK.fleet, firmwareId, stages)
    expect(again.outputs).toMatchObject({ result: 'in-progress', stage: '1' })
    expect((await stageJobs(firmwareId)).length).toBe(1)
    expect(again.summary).toContain('passed, soaking until')
    // Once the soak is over, the next run starts stage 2.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, soaking - Date.now()) + 50))
    const next = await plan(PK.fleet, firmwareId, stages)
    expect(next.outputs).toMatchObject({ result: 'stage-started', stage: '2' })
  })

  it('sends a stage of more than 200 devices as a device-list file', async () => {
    const firmwareId = await publish(PK.big)
    const run = await plan(PK.big, firmwareId, { stages: '10, 100', 'wait-minutes': '2000', 'min-success-percent': '100' })
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '500' })
    expect(calls('GenerateDeviceNameListURL')).toBe(1)
    const creates = emulator()
      .state.requests()
      .filter((r) => r.action === 'CreateOTAStaticUpgradeJob')
    expect(creates).toHaveLength(4)
    const [stage2] = (await stageJobs(firmwareId)).filter((j) => j.tags['ota.stage'] === '2')
    expect((await devicesOf(stage2?.jobId ?? '')).length).toBe(450)
  })
})
