import { describe, expect, it } from '@jest/globals'
import { fleetSpecs } from '../../emulator/devices/fleet.js'
import { jobsBench, names, PK, unverifiable } from '../support/jobs-bench.js'

const fw = { FirmwareId: 'fw-1', ProductKey: PK }
const specific = (list: string[], params: Record<string, string> = {}) => ({ ...fw, TargetSelection: 'SPECIFIC', ...names(list), ...params })
const ids = (list: string[]) => names(list, 'TaskId')
type Bench = ReturnType<typeof jobsBench>
const statuses = (bench: Bench, jobId: string) => bench.tasks(jobId).map((t) => t.TaskStatus)
const taskIds = (bench: Bench, jobId: string) => bench.tasks(jobId).map((t) => t.TaskId ?? '')

describe('ConfirmOTATask', () => {
  const confirming = (devices = fleetSpecs(3, 0), params: Record<string, string> = {}) => {
    const bench = jobsBench(devices, [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL', NeedConfirm: 'true', ...params }).Data
    return { bench, JobId, ids: taskIds(bench, JobId) }
  }

  it('releases CONFIRM tasks, which then play as pushed; the others wait', () => {
    const {
      bench,
      JobId,
      ids: [a = '', b = '']
    } = confirming()
    bench.at(10)
    expect(statuses(bench, JobId)).toEqual(['CONFIRM', 'CONFIRM', 'CONFIRM'])
    bench.ok('ConfirmOTATask', ids([a, b]))
    expect(statuses(bench, JobId)).toEqual(['NOTIFIED', 'NOTIFIED', 'CONFIRM'])
    bench.at(16)
    expect(statuses(bench, JobId)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'CONFIRM'])
    expect(bench.ok('QueryOTAJob', { JobId }).Data.JobStatus).toBe('IN_PROGRESS')
  })

  it('a confirmed task of an offline device waits QUEUED until it comes online', () => {
    const { bench, JobId, ids: taskIdList } = confirming([{ name: 'late-1', behaviour: 'offline', onlineAtMinute: 5 }])
    bench.at(1)
    bench.ok('ConfirmOTATask', ids(taskIdList))
    expect(statuses(bench, JobId)).toEqual(['QUEUED'])
    bench.at(5)
    expect(statuses(bench, JobId)).toEqual(['NOTIFIED'])
  })

  it('works only inside a scheduled job window', () => {
    const {
      bench,
      JobId,
      ids: [a = '']
    } = confirming(fleetSpecs(1, 0), { ScheduleTime: String(Date.UTC(2026, 0, 1) + 10 * 60_000) })
    expect(bench.refused('ConfirmOTATask', ids([a]))).toBe('iot.system.IllegalRequest')
    bench.at(10)
    bench.ok('ConfirmOTATask', ids([a]))
    expect(statuses(bench, JobId)).toEqual(['NOTIFIED'])
  })

  it('all or nothing: one task that is not in CONFIRM refuses the call', () => {
    const {
      bench,
      JobId,
      ids: [a = '', b = '']
    } = confirming()
    bench.ok('ConfirmOTATask', ids([a]))
    expect(bench.refused('ConfirmOTATask', ids([b, a]))).toBe('iot.ota.InvalidTaskExist')
    expect(statuses(bench, JobId)).toEqual(['NOTIFIED', 'CONFIRM', 'CONFIRM'])
  })

  it.each<[string, (taskIdList: string[]) => Record<string, string>, string]>([
    ['no TaskId', () => ({}), 'MissingTaskId'],
    ['11 TaskIds', (list) => ids(Array.from({ length: 11 }, (_, i) => `${list[0]}-${i}`)), 'iot.ota.TooManyOtaTask'],
    ['a TaskId twice', (list) => ids([list[0] ?? '', list[0] ?? '']), 'iot.system.IllegalRequest'],
    ['an unknown TaskId', (list) => ids([list[0] ?? '', 'EmuTask0000990000000010001']), 'iot.ota.InvalidTaskId']
  ])('refuses %s', (_label, params, code) => {
    const { bench, ids: taskIdList } = confirming()
    expect(bench.refused('ConfirmOTATask', params(taskIdList))).toBe(code)
  })

  it('a task of a job without NeedConfirm is never in CONFIRM', () => {
    const bench = jobsBench(fleetSpecs(1, 0), [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL' }).Data
    expect(bench.refused('ConfirmOTATask', ids(taskIds(bench, JobId)))).toBe('iot.ota.InvalidTaskExist')
  })
})

describe('ReupgradeOTATask', () => {
  const failing = () => {
    const devices = [{ name: 'bad-dl', behaviour: 'fail-download' as const }, { name: 'good-1' }, { name: 'slow-1', behaviour: 'stall' as const }]
    const bench = jobsBench(devices, [unverifiable(), unverifiable({ FirmwareId: 'fw-2', DestVersion: '3.0.0' })])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL', TimeoutInMinutes: '8' }).Data
    bench.at(20)
    const [bad = '', good = '', slow = ''] = taskIds(bench, JobId)
    return { bench, JobId, bad, good, slow }
  }

  it('pushes FAILED tasks again: each device plays its behaviour again from the new push', () => {
    const { bench, JobId, bad, slow } = failing()
    expect(statuses(bench, JobId)).toEqual(['FAILED', 'SUCCEEDED', 'FAILED'])
    expect(bench.ok('QueryOTAJob', { JobId }).Data.JobStatus).toBe('COMPLETED')
    bench.ok('ReupgradeOTATask', { JobId, ...ids([bad, slow]) })
    expect(statuses(bench, JobId)).toEqual(['NOTIFIED', 'SUCCEEDED', 'NOTIFIED'])
    expect(bench.ok('QueryOTAJob', { JobId }).Data.JobStatus).toBe('IN_PROGRESS')
    bench.at(21)
    expect(bench.tasks(JobId).map((t) => [t.TaskStatus, t.Progress])).toEqual([
      ['IN_PROGRESS', '20.00'],
      ['SUCCEEDED', '100.00'],
      ['IN_PROGRESS', '20.00']
    ])
    bench.at(40)
    expect(bench.tasks(JobId).map((t) => [t.TaskStatus, (t.TaskDesc ?? '').split(':')[0]])).toEqual([
      ['FAILED', 'step -2'],
      ['SUCCEEDED', ''],
      ['FAILED', 'timeout']
    ])
  })

  it.each<[string, (f: ReturnType<typeof failing>) => Record<string, string>, string]>([
    ['an unknown job', (f) => ({ JobId: 'nope', ...ids([f.bad]) }), 'iot.ota.InvalidJobId'],
    ['no TaskId', (f) => ({ JobId: f.JobId }), 'MissingTaskId'],
    ['11 TaskIds', (f) => ({ JobId: f.JobId, ...ids(Array.from({ length: 11 }, (_, i) => `t-${i}`)) }), 'iot.ota.TooManyOtaTask'],
    ['an unknown task', (f) => ({ JobId: f.JobId, ...ids([f.bad, 'EmuTask0000990000000010001']) }), 'iot.ota.InvalidTaskId'],
    ['a SUCCEEDED task', (f) => ({ JobId: f.JobId, ...ids([f.good]) }), 'iot.ota.FailedTaskNotFound'],
    ['a FAILED and a SUCCEEDED task', (f) => ({ JobId: f.JobId, ...ids([f.bad, f.good]) }), 'iot.ota.InvalidTaskExist']
  ])('refuses %s', (_label, params, code) => {
    const f = failing()
    expect(f.bench.refused('ReupgradeOTATask', params(f))).toBe(code)
    expect(statuses(f.bench, f.JobId)).toEqual(['FAILED', 'SUCCEEDED', 'FAILED'])
  })

  it('refuses a task of another job, a verify job, a device busy elsewhere, a cancelled dynamic job', () => {
    const f = failing()
    const other = f.bench.ok('CreateOTAStaticUpgradeJob', { ...specific(['bad-dl']), FirmwareId: 'fw-2' }).Data.JobId
    expect(f.bench.refused('ReupgradeOTATask', { JobId: other, ...ids([f.bad]) })).toBe('iot.ota.UnmatchedJob')
    expect(f.bench.refused('ReupgradeOTATask', { JobId: f.JobId, ...ids([f.bad]) })).toBe('iot.ota.DeviceNotReUpgraded')

    const verifying = jobsBench([{ name: 'bad-dl', behaviour: 'fail-download' }])
    const verifyJob = verifying.ok('CreateOTAVerifyJob', { ...fw, ...names(['bad-dl']) }).Data.JobId
    verifying.at(5)
    expect(verifying.refused('ReupgradeOTATask', { JobId: verifyJob, ...ids(taskIds(verifying, verifyJob)) })).toBe('iot.system.IllegalRequest')

    const dynamic = jobsBench([{ name: 'bad-dl', behaviour: 'fail-download' }], [unverifiable()])
    const dynamicJob = dynamic.ok('CreateOTADynamicUpgradeJob', { ...fw, 'SrcVersion.1': '1.0.0' }).Data.JobId
    dynamic.at(5)
    dynamic.ok('CancelOTAStrategyByJob', { JobId: dynamicJob })
    expect(dynamic.refused('ReupgradeOTATask', { JobId: dynamicJob, ...ids(taskIds(dynamic, dynamicJob)) })).toBe('iot.ota.JobCanceled')
  })

  it('refuses once the package is gone', () => {
    const f = failing()
    f.bench.forget('fw-1')
    expect(f.bench.refused('ReupgradeOTATask', { JobId: f.JobId, ...ids([f.bad]) })).toBe('iot.ota.InvalidFirmwareUid')
  })
})

describe('CancelOTATaskByDevice', () => {
  const started = () => {
    const bench = jobsBench([...fleetSpecs(4, 0), { name: 'away-1', behaviour: 'offline' }, { name: 'ask-1' }], [unverifiable()])
    const first = bench.ok('CreateOTAStaticUpgradeJob', specific(['fleet-0001', 'fleet-0002', 'away-1'])).Data.JobId
    const second = bench.ok('CreateOTAStaticUpgradeJob', specific(['fleet-0003', 'fleet-0004'])).Data.JobId
    const confirm = bench.ok('CreateOTAStaticUpgradeJob', specific(['ask-1'], { NeedConfirm: 'true' })).Data.JobId
    bench.at(1)
    return { bench, first, second, confirm }
  }

  it('cancels the named devices QUEUED, NOTIFIED and IN_PROGRESS tasks of the package, in every job of it', () => {
    const { bench, first, second, confirm } = started()
    bench.ok('CancelOTATaskByDevice', { ...fw, ...names(['fleet-0001', 'away-1', 'fleet-0004', 'ask-1'], 'DeviceName') })
    expect(statuses(bench, first)).toEqual(['CANCELED', 'IN_PROGRESS', 'CANCELED'])
    expect(statuses(bench, second)).toEqual(['IN_PROGRESS', 'CANCELED'])
    // CONFIRM is not among the statuses it cancels.
    expect(statuses(bench, confirm)).toEqual(['CONFIRM'])
    expect(bench.tasks(first)[0]?.TaskDesc).toBe('canceled by CancelOTATaskByDevice')
  })

  it('with JobId, only that job', () => {
    const { bench, first, second } = started()
    bench.ok('CancelOTATaskByDevice', { ...fw, JobId: second, ...names(['fleet-0001', 'fleet-0003'], 'DeviceName') })
    expect(statuses(bench, first)).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'QUEUED'])
    expect(statuses(bench, second)).toEqual(['CANCELED', 'IN_PROGRESS'])
  })

  it.each<[string, Record<string, string>, string]>([
    ['no DeviceName', { ...fw }, 'MissingDeviceName'],
    [
      '201 devices',
      {
        ...fw,
        ...names(
          fleetSpecs(201, 0).map((d) => d.name),
          'DeviceName'
        )
      },
      'iot.ota.TooManyOtaTask'
    ],
    ['a device twice', { ...fw, ...names(['fleet-0001', 'fleet-0001'], 'DeviceName') }, 'iot.system.IllegalRequest'],
    ['an unknown device', { ...fw, ...names(['ghost-1'], 'DeviceName') }, 'iot.ota.DeviceNotExist'],
    ['an unknown job', { ...fw, JobId: 'nope', ...names(['fleet-0001'], 'DeviceName') }, 'iot.ota.InvalidJobId'],
    ['another product', { ...fw, ProductKey: 'a1Other', ...names(['fleet-0001'], 'DeviceName') }, 'iot.ota.FirmwareAndProductKeyMismatch'],
    ['no FirmwareId', { ProductKey: PK, ...names(['fleet-0001'], 'DeviceName') }, 'MissingFirmwareId']
  ])('refuses %s', (_label, params, code) => {
    expect(started().bench.refused('CancelOTATaskByDevice', params)).toBe(code)
  })

  it('refuses a job of another package', () => {
    const bench = jobsBench(fleetSpecs(2, 0), [unverifiable(), unverifiable({ FirmwareId: 'fw-2', DestVersion: '3.0.0' })])
    const other = bench.ok('CreateOTAStaticUpgradeJob', { ...specific(['fleet-0001']), FirmwareId: 'fw-2' }).Data.JobId
    expect(bench.refused('CancelOTATaskByDevice', { ...fw, JobId: other, ...names(['fleet-0001'], 'DeviceName') })).toBe('iot.system.IllegalRequest')
  })
})

describe('a dynamic job whose strategy was cancelled', () => {
  it('keeps its running tasks; CancelOTATaskByJob refuses it (JobHasCanceled); CancelOTATaskByDevice stops the stragglers', () => {
    const bench = jobsBench(fleetSpecs(30, 0), [unverifiable()])
    const { JobId } = bench.ok('CreateOTADynamicUpgradeJob', { ...fw, 'SrcVersion.1': '1.0.0', MaximumPerMinute: '10' }).Data
    bench.at(1)
    bench.ok('CancelOTAStrategyByJob', { JobId })
    expect(bench.ok('QueryOTAJob', { JobId }).Data.JobStatus).toBe('CANCELED')
    expect([bench.count(JobId, 'IN_PROGRESS'), bench.count(JobId, 'NOTIFIED'), bench.count(JobId, 'QUEUED')]).toEqual([10, 10, 10])
    expect(bench.refused('CancelOTATaskByJob', { JobId, CancelQueuedTask: 'true', CancelNotifiedTask: 'true', CancelInProgressTask: 'true' })).toBe(
      'iot.ota.JobHasCanceled'
    )
    const stragglers = bench
      .tasks(JobId)
      .filter((t) => t.TaskStatus !== 'IN_PROGRESS')
      .map((t) => t.DeviceName ?? '')
    bench.ok('CancelOTATaskByDevice', { ...fw, JobId, ...names(stragglers, 'DeviceName') })
    bench.at(60)
    expect([bench.count(JobId, 'SUCCEEDED'), bench.count(JobId, 'CANCELED')]).toEqual([10, 20])
  })
})
