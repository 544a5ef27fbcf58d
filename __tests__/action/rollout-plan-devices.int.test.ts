import * as $Iot from '@alicloud/iot20180120'
import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, fleetMix, fleetSpecs, type Behaviour, type DeviceSpec } from '../../emulator/index.js'
import { expectNoSecretsShown } from '../support/emulator-harness.js'
import { inProduct, usePlanHarness } from '../support/plan-harness.js'

/** One emulated minute: a device upgrades in six of them; no churn here. */
const MINUTE_MS = 200

const PK = { rollback: 'a1devrollbk', confirm: 'a1devconfrm', classes: 'a1devclass1', ahead: 'a1devahead1' }
const fleets = {
  // Four devices in ten are rolled back by their bootloader a minute after upgrading: their tasks stay SUCCEEDED.
  rollback: fleetMix(200, { rollback: 40 }, 1),
  confirm: fleetSpecs(60, 0),
  // Ten devices of each way to fail; `stall` reports 40 % and then nothing, until the job's timeout.
  classes: fleetMix(100, { 'fail-download': 10, 'fail-verify': 10, 'fail-install': 10, reject: 10, stall: 10 }),
  // One device in four runs 1.2.3 already (the test devices a verify job upgraded, say): the platform gives them no task.
  ahead: fleetSpecs(40, 0).map((d, i) => (i % 4 === 0 ? { ...d, versions: { default: '1.2.3' } } : d))
}
const { publish, plan, sdk, stageJobs, tasksOf, countOf, calls } = usePlanHarness({
  devices: [
    ...inProduct(PK.rollback, fleets.rollback),
    ...inProduct(PK.confirm, fleets.confirm),
    ...inProduct(PK.classes, fleets.classes),
    ...inProduct(PK.ahead, fleets.ahead)
  ],
  minuteMs: MINUTE_MS
})

/** Every DeviceSecret of the product, as QueryDevice hands them out. */
async function deviceSecrets(productKey: string): Promise<string[]> {
  const secrets: string[] = []
  for (let page = 1; ; page++) {
    const rows = (await (await sdk()).queryDevice(new $Iot.QueryDeviceRequest({ productKey, pageSize: 50, currentPage: page }))).body?.data?.deviceInfo ?? []
    secrets.push(...rows.map((d) => d.deviceSecret ?? ''))
    if (rows.length < 50) return secrets.filter((s) => s !== '')
  }
}

describe('devices in a plan, as the emulated fleet has them behave', () => {
  it('with online,version, halts on devices their bootloader rolled back, and shows no DeviceSecret with RUNNER_DEBUG=1', async () => {
    const firmwareId = await publish(PK.rollback)
    const inputs = { stages: '20, 100', 'health-check': 'online,version', 'health-sample': '40', 'soak-minutes': '5', 'wait-minutes': '60' }
    const run = await plan(PK.rollback, firmwareId, inputs, { RUNNER_DEBUG: '1' })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'halted', stage: '1', 'control-unhealthy-percent': '0.0' })
    // Every device is online: what is unhealthy is the version, and only in the upgraded cohort.
    expect(Number(run.outputs['unhealthy-percent'])).toBeGreaterThan(20)
    expect(run.summary).toMatch(/\*\*Health\*\* \(online,version\): [\d.]+% of 40 upgraded devices unhealthy, 0\.0% of 40 in the control group/)
    const rolledBack = new Set(fleets.rollback.filter((d) => d.behaviour === 'rollback').map((d) => d.name))
    const named = [...run.summary.matchAll(/(fleet-\d{4}) \(reports 1\.0\.0 for module default\)/g)].map((m) => m[1] ?? '')
    expect(named.length).toBeGreaterThan(0)
    expect(named.every((name) => rolledBack.has(name))).toBe(true)
    // The stage's tasks all succeeded: a gate on task states alone would have gone on.
    expect(await countOf((await stageJobs(firmwareId))[0]?.jobId ?? '', 'SUCCEEDED')).toBe(40)
    expect(run.stdout).toContain('::debug::QueryDevice')
    expect(run.stdout).toContain('::debug::ListOTAModuleVersionsByDevice')
    const secrets = await deviceSecrets(PK.rollback)
    expect(secrets).toHaveLength(200)
    expectNoSecretsShown(run, [DEFAULT_ACCOUNT.accessKeySecret])
    const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n')
    for (const secret of secrets) expect(everything).not.toContain(secret)
  })

  it('confirm releases the CONFIRM tasks of the current stage, and only those', async () => {
    const firmwareId = await publish(PK.confirm)
    const inputs = { stages: '50, 100', 'need-confirm': 'true' }
    const started = await plan(PK.confirm, firmwareId, inputs)
    expect(started.outputs).toMatchObject({ result: 'stage-started', stage: '1' })
    const stage1 = (await stageJobs(firmwareId))[0]?.jobId ?? ''
    expect(await countOf(stage1, 'CONFIRM')).toBe(30)
    // A job of someone else's on the same package, waiting for confirmation on three other devices.
    const inStage = new Set((await tasksOf(stage1)).map((t) => t.deviceName))
    const others = fleets.confirm.map((d) => d.name).filter((name) => !inStage.has(name))
    const created = await (
      await sdk()
    ).createOTAStaticUpgradeJob(
      new $Iot.CreateOTAStaticUpgradeJobRequest({
        firmwareId,
        productKey: PK.confirm,
        targetSelection: 'SPECIFIC',
        targetDeviceName: others.slice(0, 3),
        needConfirm: true
      })
    )
    const unrelated = created.body?.data?.jobId ?? ''
    expect(await countOf(unrelated, 'CONFIRM')).toBe(3)

    const confirmed = await plan(PK.confirm, firmwareId, { ...inputs, operation: 'confirm' })
    expect(confirmed.code).toBe(0)
    expect(confirmed.outputs.result).toBe('confirmed')
    expect(confirmed.summary).toContain('Confirmed 30 task(s) of stage 1 waiting in CONFIRM.')
    // Ten task ids a call.
    expect(calls('ConfirmOTATask')).toBe(3)
    expect(await countOf(stage1, 'CONFIRM')).toBe(0)
    expect(await countOf(unrelated, 'CONFIRM')).toBe(3)
  })

  it('counts each failure by its class in the summary and json, as the devices failed; devices busy in another batch apart', async () => {
    const firmwareId = await publish(PK.classes)
    // Twelve good devices are kept busy by a job waiting for confirmation: those in stage 1 fail there at once.
    const busy = fleets.classes.filter((d) => d.behaviour === 'succeed').slice(0, 12)
    await (
      await sdk()
    ).createOTAStaticUpgradeJob(
      new $Iot.CreateOTAStaticUpgradeJobRequest({
        firmwareId,
        productKey: PK.classes,
        targetSelection: 'SPECIFIC',
        targetDeviceName: busy.map((d) => d.name),
        needConfirm: true
      })
    )
    const run = await plan(PK.classes, firmwareId, { stages: '50, 100', 'timeout-minutes': '10', 'wait-minutes': '60' })
    expect(run.code).toBe(1)
    expect(run.outputs).toMatchObject({ result: 'failed', stage: '1' })

    const stage = new Set((await tasksOf((await stageJobs(firmwareId))[0]?.jobId ?? '')).map((t) => t.deviceName))
    const inStage = (behaviour: Behaviour, from: DeviceSpec[] = fleets.classes) => from.filter((d) => d.behaviour === behaviour && stage.has(d.name)).length
    const expected = {
      busy: inStage('succeed', busy),
      timeout: inStage('stall'),
      download: inStage('fail-download'),
      checksum: inStage('fail-verify'),
      install: inStage('fail-install'),
      rejected: inStage('reject'),
      other: 0
    }
    expect(expected.busy).toBeGreaterThan(0)
    expect(JSON.parse(run.outputs.json ?? '{}').failureClasses).toEqual(expected)
    const rows: [string, number][] = [
      ['busy in another batch (not counted)', expected.busy],
      ['timed out', expected.timeout],
      ['download failed', expected.download],
      ['checksum or signature failed', expected.checksum],
      ['flash or install failed', expected.install],
      ['rejected by the device', expected.rejected]
    ]
    for (const [text, count] of rows) if (count > 0) expect(run.summary).toContain(`| ${text} | ${count} |`)
    // The failed output is the platform's count of FAILED tasks; the devices listed are those that failed for this package.
    const own = expected.timeout + expected.download + expected.checksum + expected.install + expected.rejected
    expect(run.outputs.failed).toBe(String(own + expected.busy))
    expect(run.summary.match(/^\| fleet-\d{4} \|/gm)).toHaveLength(own)
    expect(run.summary).not.toMatch(/\| fleet-\d{4} \| 0% \| the device has an unfinished task/)
  })

  it('counts the devices the platform skipped, as they ran the version already, as upgraded once the stage job is complete', async () => {
    const firmwareId = await publish(PK.ahead)
    const run = await plan(PK.ahead, firmwareId, { stages: '50, 100', 'min-success-percent': '100', 'wait-minutes': '60' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '40', failed: '0' })
    let tasks = 0
    for (const job of await stageJobs(firmwareId)) tasks += await countOf(job.jobId)
    expect(tasks).toBe(30)
  })
})
