import { describe, expect, it } from '@jest/globals'
import { fleetMix, fleetSpecs } from '../../emulator/index.js'
import { inProduct, usePlanHarness } from '../support/plan-harness.js'

/** One emulated minute; the action's calls are 125 ms apart in real time, so a health check takes a few minutes. */
const MINUTE_MS = 200

/**
 * A fifth of every fleet is offline at any minute (sleeping battery devices, say), whichever
 * devices the churn draws. On `drops`, six upgraded devices in ten also leave for good one minute
 * after their upgrade; `calm` has the churn alone.
 */
const CHURN_PERCENT = 20
const PK = { drops: 'a1hlthdrops', calm: 'a1hlthcalm1' }
const { publish, plan, stageJobs, jobsOf, calls } = usePlanHarness({
  devices: [...inProduct(PK.drops, fleetMix(500, { 'offline-after-upgrade': 60 }, 1)), ...inProduct(PK.calm, fleetSpecs(500, 0))],
  minuteMs: MINUTE_MS,
  churn: { percent: CHURN_PERCENT }
})

/**
 * Stage 1 is 100 devices, all of them sampled, against 100 not upgraded yet. The churn alone puts
 * about 20 % in both groups (the difference has a standard deviation of ~5.7 points), so a gate of
 * 20 points holds a good release (it passes by ~3.6 deviations) and halts the drops (68 % against
 * 20 %, 48 points, ~4 deviations over).
 */
const gates = {
  stages: '20, 100',
  'health-check': 'online',
  'health-sample': '100',
  'max-unhealthy-percent': '20',
  'min-success-percent': '90',
  'soak-minutes': '5',
  'wait-minutes': '60'
}
const dropNames = new Set(
  fleetMix(500, { 'offline-after-upgrade': 60 }, 1)
    .filter((d) => d.behaviour === 'offline-after-upgrade')
    .map((d) => d.name)
)

describe('the health gate against a control group under churn', () => {
  it('halts a stage whose upgraded devices drop offline well above the churn, naming them and both shares', async () => {
    const firmwareId = await publish(PK.drops)
    const run = await plan(PK.drops, firmwareId, gates)
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'halted', stage: '1' })
    const cohort = Number(run.outputs['unhealthy-percent'])
    const control = Number(run.outputs['control-unhealthy-percent'])
    expect(cohort - control).toBeGreaterThan(20)
    expect(control).toBeGreaterThan(0)
    expect(run.stdout).toMatch(/Stage 1 health: [\d.]+%25 of the upgraded devices checked are unhealthy against [\d.]+%25 of the control group/)
    expect(run.summary).toMatch(/\*\*Health\*\* \(online\): [\d.]+% of 100 upgraded devices unhealthy, [\d.]+% of 100 in the control group/)
    // The devices named are unhealthy for a reason the emulator gave them: most left after upgrading, the rest are churning.
    const named = [...run.summary.matchAll(/(fleet-\d{4}) \(OFFLINE\)/g)].map((m) => m[1] ?? '')
    expect(named.length).toBeGreaterThan(0)
    expect(named.filter((name) => dropNames.has(name)).length).toBeGreaterThan(named.length / 2)
    const marker = (await jobsOf(firmwareId)).find((j) => j.tags['ota.kind'] === 'halt')
    expect(marker?.tags['ota.reason']).toContain('health')
    expect((await stageJobs(firmwareId)).map((j) => j.tags['ota.stage'])).toEqual(['1'])
    // The samples, not the cohort: two checks at most (during the soak, before the next stage), two calls of 50 a group each.
    expect(calls('BatchGetDeviceState')).toBeLessThanOrEqual(8)
  })

  it('does not halt a stage whose devices churn as much as the control group', async () => {
    const firmwareId = await publish(PK.calm)
    const run = await plan(PK.calm, firmwareId, gates)
    expect(run.code).toBe(0)
    expect(['stage-started', 'completed']).toContain(run.outputs.result)
    // Both groups saw the churn: a gate on the cohort's share alone would have halted at ~20 %.
    expect(Number(run.outputs['unhealthy-percent'])).toBeGreaterThan(0)
    expect(Number(run.outputs['control-unhealthy-percent'])).toBeGreaterThan(0)
    expect(run.stdout).toMatch(/Health of stage 1: [\d.]+% of 100 upgraded devices unhealthy, [\d.]+% of 100 in the control group\./)
    expect((await stageJobs(firmwareId)).map((j) => j.tags['ota.stage']).sort()).toEqual(['1', '2'])
    expect((await jobsOf(firmwareId)).some((j) => j.tags['ota.kind'] === 'halt')).toBe(false)
    expect(run.outputs.canceled).toBe('0')
  })
})
