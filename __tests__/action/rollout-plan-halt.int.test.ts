import * as $Iot from '@alicloud/iot20180120'
import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, fleetSpecs } from '../../emulator/index.js'
import { runAction } from '../support/local-runner.js'
import { inProduct, usePlanHarness, type PlanJob } from '../support/plan-harness.js'

/** One emulated minute; ten pushes a minute keep a stage of 100 devices running for ten of them and more. */
const MINUTE_MS = 200

const PK = { race: 'a1haltrace1', marker: 'a1haltmark1', diff: 'a1haltdiff1', lost: 'a1haltlost1' }
const { emulator, publish, plan, sdk, jobsOf, tasksOf, countOf, writes, workspaceDir } = usePlanHarness({
  devices: [
    ...inProduct(PK.race, fleetSpecs(200, 0)),
    ...inProduct(PK.marker, fleetSpecs(40, 0)),
    ...inProduct(PK.diff, fleetSpecs(20, 0)),
    ...inProduct(PK.lost, fleetSpecs(20, 0))
  ],
  minuteMs: MINUTE_MS
})
const slow = { stages: '50, 100', 'max-per-minute': '10' }

/** A job as another run of the plan would have made it: the plan's tags of `like`, with some changed. */
async function forgeJob(firmwareId: string, productKey: string, like: PlanJob, tags: Record<string, string>, devices: string[], scheduleTime?: number) {
  const tag = Object.entries({ ...like.tags, ...tags }).map(([key, value]) => new $Iot.CreateOTAStaticUpgradeJobRequestTag({ key, value }))
  const request = new $Iot.CreateOTAStaticUpgradeJobRequest({
    firmwareId,
    productKey,
    targetSelection: 'SPECIFIC',
    targetDeviceName: devices,
    tag,
    scheduleTime
  })
  const created = await (await sdk()).createOTAStaticUpgradeJob(request)
  expect(created.body?.success).toBe(true)
  return created.body?.data?.jobId ?? ''
}

describe('a halted plan stays halted', () => {
  it('a stage job another run created after the halt is cancelled by the next run; retry-failed and confirm are refused', async () => {
    const firmwareId = await publish(PK.race)
    expect((await plan(PK.race, firmwareId, slow)).outputs.result).toBe('stage-started')
    const halted = await plan(PK.race, firmwareId, { ...slow, operation: 'halt' })
    expect(halted.outputs.result).toBe('halted')
    // A run that read the plan before the halt creates stage 2 after it.
    const stage1 = (await jobsOf(firmwareId)).find((j) => j.tags['ota.kind'] === 'stage') as PlanJob
    const inStage1 = new Set((await tasksOf(stage1.jobId)).map((t) => t.deviceName))
    const others = fleetSpecs(200, 0)
      .map((d) => d.name)
      .filter((name) => !inStage1.has(name))
      .slice(0, 5)
    const stray = await forgeJob(firmwareId, PK.race, stage1, { 'ota.stage': '2', 'ota.devices': '5' }, others)

    const advanced = await plan(PK.race, firmwareId, slow)
    expect(advanced.code).toBe(1)
    expect(advanced.stdout).toContain(`Cancelled job ${stray} (stage 2), created after the plan was halted`)
    expect(advanced.stdout).toMatch(/The plan was halted at stage 1 on .*Nothing was changed\./)
    for (const status of ['QUEUED', 'NOTIFIED', 'IN_PROGRESS']) expect(await countOf(stray, status)).toBe(0)

    // Nothing else acts on a halted plan.
    const before = writes()
    for (const operation of ['retry-failed', 'confirm']) {
      const refused = await plan(PK.race, firmwareId, { ...slow, operation })
      expect(refused.code).toBe(1)
      expect(refused.stdout).toContain("run with 'operation: resume'")
    }
    expect(writes()).toBe(before)
  })

  it('a marker a run left scheduled is cancelled by the next run, long before it could touch its device', async () => {
    const firmwareId = await publish(PK.marker)
    expect((await plan(PK.marker, firmwareId, slow)).outputs.result).toBe('stage-started')
    const stage1 = (await jobsOf(firmwareId)).find((j) => j.tags['ota.kind'] === 'stage') as PlanJob
    // A halt marker whose run stopped between its create and its cancel: scheduled a day ahead.
    const marker = await forgeJob(
      firmwareId,
      PK.marker,
      stage1,
      { 'ota.kind': 'halt', 'ota.reason': 'a run stopped here', 'ota.at': new Date().toISOString() },
      [fleetSpecs(40, 0)[0]?.name ?? ''],
      Date.now() + 86_400_000
    )
    expect((await jobsOf(firmwareId)).find((j) => j.jobId === marker)?.status).toBe('PLANNED')
    const run = await plan(PK.marker, firmwareId, slow)
    expect(run.stdout).toContain(`Cancelled the plan's halt marker, job ${marker}, which an earlier run left scheduled.`)
    expect((await jobsOf(firmwareId)).find((j) => j.jobId === marker)?.status).toBe('CANCELED')
  })

  it('a lost answer to a marker’s cancel: the retry finds it cancelled already, and the plan goes on with one pass marker a stage', async () => {
    const firmwareId = await publish(PK.lost)
    emulator().faults.add({ kind: 'lost-answer', action: 'CancelOTATaskByJob', count: 1 })
    const run = await plan(PK.lost, firmwareId, { stages: '50, 100', 'wait-minutes': '200' })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('completed')
    // The first cancel acted and its answer was lost; the retry was refused as the job was cancelled already.
    const cancels = emulator()
      .state.requests()
      .filter((r) => r.action === 'CancelOTATaskByJob')
    expect(cancels[0]?.status).toBe(0)
    expect(cancels[1]?.code).toMatch(/^iot\.ota\.Job(Has)?Cancel/)
    const markers = (await jobsOf(firmwareId)).filter((j) => j.tags['ota.kind'] === 'pass')
    expect(markers.map((j) => [j.tags['ota.stage'], j.status]).sort()).toEqual([
      ['1', 'CANCELED'],
      ['2', 'CANCELED']
    ])
  })

  it('refuses a differential package before any job: the platform would leave out devices on another version without a word', async () => {
    const published = await runAction({
      inputs: {
        'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
        'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
        endpoint: emulator().url,
        'product-key': PK.diff,
        files: 'build/*.bin',
        'need-to-verify': 'false',
        'firmware-type': 'diff',
        'src-version': '1.0.0'
      },
      workspace: workspaceDir(),
      ref: 'refs/tags/v1.2.3'
    })
    expect(published.code).toBe(0)
    const run = await plan(PK.diff, published.outputs['firmware-id'] ?? '', slow)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error title=OTA rollout failed \(input stages\)::Package \S+ is a differential package \(from 1\.0\.0\): a rollout plan takes full packages only\./
    )
    expect(
      emulator()
        .state.requests()
        .filter((r) => r.action.startsWith('Create') && r.action !== 'CreateOTAFirmware')
    ).toEqual([])
  })
})
