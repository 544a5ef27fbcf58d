import { describe, expect, it } from '@jest/globals'
import { fleetMix, fleetSpecs } from '../../emulator/index.js'
import { inProduct, usePlanHarness } from '../support/plan-harness.js'

/**
 * One emulated minute: a device upgrades in six of them. Slower than elsewhere: a halt must come
 * while devices of the stage are still waiting, and the action's calls are 125 ms apart in real time.
 */
const MINUTE_MS = 200

const PK = { failing: 'a1ctl30fail', slow: 'a1ctlslow01', below: 'a1ctlbelow1' }
const { emulator, publish, plan, jobsOf, countOf, writes } = usePlanHarness({
  devices: [
    // Three devices in ten fail the download: a stage of them is far over a 10 % budget.
    ...inProduct(PK.failing, fleetMix(200, { 'fail-download': 30 })),
    ...inProduct(PK.slow, fleetSpecs(200, 0)),
    // One in ten fails: below a 95 % success share, within a 20 % budget.
    ...inProduct(PK.below, fleetMix(100, { 'fail-download': 10 }))
  ],
  minuteMs: MINUTE_MS
})

describe('a plan over its gates', () => {
  it('halts a failing stage (every unfinished task cancelled), stays halted for later advances, and resumes on request', async () => {
    const firmwareId = await publish(PK.failing)
    const gates = { stages: '50, 100', 'max-failure-percent': '10', 'min-finished-devices': '10', 'max-per-minute': '10', 'wait-minutes': '2000' }
    const halted = await plan(PK.failing, firmwareId, gates)
    expect(halted.code).toBe(1)
    expect(halted.outputs).toMatchObject({ result: 'halted', stage: '1' })
    expect(halted.stdout).toMatch(/::error title=OTA rollout failed::Rollout plan halted at stage 1: Stage 1: \d+ of \d+ finished devices failed/)
    const stage1 = (await jobsOf(firmwareId)).find((j) => j.tags['ota.kind'] === 'stage')?.jobId ?? ''
    for (const status of ['QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'CONFIRM']) expect(await countOf(stage1, status)).toBe(0)
    expect(await countOf(stage1, 'CANCELED')).toBeGreaterThan(0)
    const marker = (await jobsOf(firmwareId)).find((j) => j.tags['ota.kind'] === 'halt')
    expect(marker).toMatchObject({ status: 'CANCELED', tags: { 'ota.stage': '1', 'ota.reason': expect.stringContaining('finished devices failed') } })
    expect(halted.summary).toContain('**Halted** at stage 1')
    expect(halted.summary).toContain('download failed')

    // A later advance, as a scheduled run would make it: it changes nothing and fails, saying how to resume.
    const before = writes()
    const again = await plan(PK.failing, firmwareId, gates)
    expect(again.code).toBe(1)
    expect(again.stdout).toMatch(/The plan was halted at stage 1 on .*Nothing was changed\./)
    expect(again.stdout).toContain('operation: resume')
    expect(writes()).toBe(before)

    // Resume restarts stage 1 as its next generation; the devices that succeeded are skipped by the platform.
    const resumed = await plan(PK.failing, firmwareId, { ...gates, operation: 'resume', 'max-failure-percent': '100', 'wait-minutes': '0' })
    expect(resumed.outputs).toMatchObject({ result: 'stage-started', stage: '1' })
    const gen2 = (await jobsOf(firmwareId)).find((j) => j.tags['ota.kind'] === 'stage' && j.tags['ota.gen'] === '2')
    expect(gen2).toBeDefined()
  })

  it('halts on request (the kill switch) without failing the step, and status writes nothing', async () => {
    const firmwareId = await publish(PK.slow)
    // Ten pushes a minute: the stage of 100 devices runs for ten emulated minutes and more.
    const started = await plan(PK.slow, firmwareId, { stages: '50, 100', 'max-per-minute': '10' })
    expect(started.outputs.result).toBe('stage-started')
    const before = writes()
    const status = await plan(PK.slow, firmwareId, { stages: '50, 100', operation: 'status' })
    expect(status.code).toBe(0)
    expect(status.outputs).toMatchObject({ result: 'status', stage: '1', stages: '2' })
    expect(writes()).toBe(before)
    const halted = await plan(PK.slow, firmwareId, { stages: '50, 100', operation: 'halt' })
    expect(halted.code).toBe(0)
    expect(halted.outputs.result).toBe('halted')
    expect(halted.summary).toContain('Halted on request')
    const stage1 = (await jobsOf(firmwareId)).find((j) => j.tags['ota.kind'] === 'stage')?.jobId ?? ''
    for (const s of ['QUEUED', 'NOTIFIED', 'IN_PROGRESS']) expect(await countOf(stage1, s)).toBe(0)
  })

  it('does not advance a stage that finished below min-success-percent, and retries its failed devices on request', async () => {
    const firmwareId = await publish(PK.below)
    const gates = { stages: '50, 100', 'max-failure-percent': '20', 'wait-minutes': '2000' }
    const below = await plan(PK.below, firmwareId, gates)
    expect(below.code).toBe(1)
    expect(below.outputs).toMatchObject({ result: 'failed', stage: '1' })
    const verdict = /Stage 1 has finished with (\d+) of 50 devices succeeded \([\d.]+%25\), below 'min-success-percent' \(95%25\)/.exec(below.stdout)
    const failed = 50 - Number(verdict?.[1])
    expect(failed).toBeGreaterThan(2)
    expect((await jobsOf(firmwareId)).filter((j) => j.tags['ota.kind'] === 'stage')).toHaveLength(1)
    const retried = await plan(PK.below, firmwareId, { ...gates, operation: 'retry-failed' })
    expect(retried.outputs).toMatchObject({ result: 'retried' })
    expect(retried.summary).toContain(`Pushed ${failed} failed task(s) of stage 1 again.`)
    // Ten task ids a call at most, each accepted; the same job carries them (no new stage job).
    const reupgrades = emulator()
      .state.requests()
      .filter((r) => r.action === 'ReupgradeOTATask')
    expect(reupgrades).toHaveLength(Math.ceil(failed / 10))
    expect(reupgrades.every((r) => r.status === 200)).toBe(true)
    expect((await jobsOf(firmwareId)).filter((j) => j.tags['ota.kind'] === 'stage')).toHaveLength(1)
  })
})
