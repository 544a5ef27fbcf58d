import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { fleetMix, startEmulator, type Emulator } from '../../emulator/index.js'
import { jobsBench, PK, unverifiable } from '../support/jobs-bench.js'
import { rawCall } from '../support/rpc-call.js'

/**
 * 100,000 devices stay fast: the work a call does does not grow with the fleet where it need not.
 * The time bounds are loose (jest's module sandbox runs this code several times slower than node
 * does, and the files run in parallel); the work counts are the real check.
 */
const FLEET = fleetMix(100_000, { 'fail-download': 2, 'fail-install': 1, rollback: 0.5, 'offline-after-upgrade': 0.5 }, 2)
const STATUSES = ['QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'CANCELED']

/** Runs `fn` and returns its answer and how long it took, in ms. */
function timed<T>(fn: () => T): [T, number] {
  const start = performance.now()
  const value = fn()
  return [value, performance.now() - start]
}

describe('a job over 100,000 devices, in the model', () => {
  it('is created at once; each status count computes one state per course, not per task', () => {
    const bench = jobsBench(FLEET, [unverifiable()], { percent: 5, spanMinutes: 2 })
    const [created, createMs] = timed(() =>
      bench.ok('CreateOTAStaticUpgradeJob', { FirmwareId: 'fw-1', ProductKey: PK, TargetSelection: 'ALL', MaximumPerMinute: '10000' })
    )
    const { JobId } = created.Data
    expect(createMs).toBeLessThan(10_000)
    for (const minute of [0, 3, 7, 40]) {
      bench.at(minute)
      const before = bench.model.book.evaluations
      const [counts, countMs] = timed(() => STATUSES.map((s) => bench.count(JobId, s)))
      expect(counts.reduce((a, b) => a + b, 0)).toBe(100_000)
      expect(countMs).toBeLessThan(1000)
      // A few hundred courses at most (push slots × behaviours × churn delays), whatever the fleet's size.
      expect(bench.model.book.evaluations - before).toBeLessThan(1000)
    }
    expect(bench.count(JobId, 'SUCCEEDED')).toBe(97_000)
    const [page, pageMs] = timed(() => bench.ok('ListOTATaskByJob', { JobId, TaskStatus: 'FAILED', CurrentPage: '30', PageSize: '100' }))
    expect(page.Data.SimpleOTATaskInfo.map((t: { TaskStatus: string }) => t.TaskStatus)).toEqual(Array(100).fill('FAILED'))
    expect(page).toMatchObject({ Total: 3000, PageCount: 30 })
    expect(pageMs).toBeLessThan(1000)
  })

  it('a cancel by job moves whole courses; by device touches only the devices named', () => {
    const bench = jobsBench(FLEET, [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { FirmwareId: 'fw-1', ProductKey: PK, TargetSelection: 'ALL', MaximumPerMinute: '1000' }).Data
    bench.at(2)
    const names = Object.fromEntries(FLEET.slice(99_800).map((d, i) => [`DeviceName.${i + 1}`, d.name]))
    const [, byDeviceMs] = timed(() => bench.ok('CancelOTATaskByDevice', { FirmwareId: 'fw-1', ProductKey: PK, ...names }))
    expect(bench.count(JobId, 'CANCELED')).toBe(200)
    expect(byDeviceMs).toBeLessThan(1000)
    const [, byJobMs] = timed(() => bench.ok('CancelOTATaskByJob', { JobId, CancelQueuedTask: 'true' }))
    expect(byJobMs).toBeLessThan(5000)
    expect(bench.count(JobId, 'QUEUED')).toBe(0)
    // Three minutes' worth of devices were pushed (1,000 a minute); everything else was QUEUED.
    expect(bench.count(JobId, 'CANCELED')).toBe(100_000 - 3000)
  })
})

describe('100,000 devices over HTTP', () => {
  let emulator: Emulator

  beforeAll(async () => {
    emulator = await startEmulator({ qpsLimit: 0, devices: FLEET, churn: { percent: 5 } })
  })

  afterAll(async () => {
    await emulator.close()
  })

  it('QueryDevice pages, BatchGetDeviceState and the status counts answer in milliseconds', async () => {
    const call = async (action: string, params: Record<string, string>) => {
      const start = performance.now()
      const { json } = await rawCall(emulator, action, params)
      return { json, ms: performance.now() - start }
    }
    const firstPage = await call('QueryDevice', { ProductKey: PK, PageSize: '50' })
    expect(firstPage.json.Total).toBe(100_000)
    const later = await call('QueryDevice', { ProductKey: PK, PageSize: '50', CurrentPage: '2', NextToken: firstPage.json.NextToken })
    expect(later.ms).toBeLessThan(1000)
    const iotIds = Object.fromEntries(later.json.Data.DeviceInfo.map((d: { IotId: string }, i: number) => [`IotId.${i + 1}`, d.IotId]))
    const states = await call('BatchGetDeviceState', iotIds)
    expect(states.json.DeviceStatusList.DeviceStatus).toHaveLength(50)
    const again = await call('BatchGetDeviceState', iotIds)
    expect(again.ms).toBeLessThan(1000)

    const firmware = await call('GenerateOTAUploadURL', {})
    const form = new FormData()
    const data = firmware.json.Data
    for (const [k, v] of Object.entries({ key: data.Key, policy: data.Policy, OSSAccessKeyId: data.OSSAccessKeyId, Signature: data.Signature }))
      form.append(k, v as string)
    form.append('file', new Blob(['fw']), 'fw.bin')
    await fetch(data.Host, { method: 'POST', body: form })
    const fw = await call('CreateOTAFirmware', {
      FirmwareName: 'fw-scale',
      DestVersion: '2.0.0',
      FirmwareUrl: data.FirmwareUrl,
      ProductKey: PK,
      NeedToVerify: 'false'
    })
    const job = await call('CreateOTAStaticUpgradeJob', { FirmwareId: fw.json.Data.FirmwareId, ProductKey: PK, TargetSelection: 'ALL' })
    expect(job.ms).toBeLessThan(10_000)
    for (const status of STATUSES) {
      const count = await call('ListOTATaskByJob', { JobId: job.json.Data.JobId, TaskStatus: status, PageSize: '1' })
      expect(count.ms).toBeLessThan(1000)
    }
  })
})
