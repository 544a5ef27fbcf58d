import { describe, expect, it } from '@jest/globals'
import { fleetSpecs } from '../../emulator/devices/fleet.js'
import { jobsBench, names, PK, T0, unverifiable } from '../support/jobs-bench.js'

const fw = { FirmwareId: 'fw-1', ProductKey: PK }
const fleet = [
  { name: 'early-1' },
  { name: 'late-at-5', behaviour: 'offline' as const, onlineAtMinute: 5 },
  { name: 'never-1', behaviour: 'offline' as const },
  { name: 'newer-1', versions: { default: '1.9.0' } }
]

describe('CreateOTADynamicUpgradeJob', () => {
  const dynamic = (params: Record<string, string> = {}) => ({ ...fw, 'SrcVersion.1': '1.0.0', ...params })

  it('upgrades qualifying online devices, then a device that comes online later', () => {
    const bench = jobsBench(fleet, [unverifiable()])
    const { JobId } = bench.ok('CreateOTADynamicUpgradeJob', dynamic()).Data
    expect(bench.tasks(JobId).map((t) => t.DeviceName)).toEqual(['early-1'])
    bench.at(5)
    expect(bench.tasks(JobId).map((t) => [t.DeviceName, t.TaskStatus])).toEqual([
      ['early-1', 'IN_PROGRESS'],
      ['late-at-5', 'NOTIFIED']
    ])
    expect(bench.tasks(JobId)[1]?.UtcCreate).toBe(new Date(T0 + 5000).toISOString())
    expect(bench.ok('QueryOTAJob', { JobId }).Data).toMatchObject({
      JobStatus: 'IN_PROGRESS',
      SelectionType: 'DYNAMIC',
      TargetSelection: 'ALL',
      DynamicMode: 1
    })
  })

  it('DynamicMode 2 only takes devices that come online later', () => {
    const bench = jobsBench(fleet, [unverifiable()])
    const { JobId } = bench.ok('CreateOTADynamicUpgradeJob', dynamic({ DynamicMode: '2' })).Data
    bench.at(6)
    expect(bench.tasks(JobId).map((t) => t.DeviceName)).toEqual(['late-at-5'])
  })

  it('one dynamic job in progress per package; CancelOTAStrategyByJob ends it and stops new devices', () => {
    const bench = jobsBench(fleet, [unverifiable()])
    const { JobId } = bench.ok('CreateOTADynamicUpgradeJob', dynamic()).Data
    expect(bench.refused('CreateOTADynamicUpgradeJob', dynamic())).toBe('iot.system.IllegalRequest')
    bench.at(1)
    bench.ok('CancelOTAStrategyByJob', { JobId })
    expect(bench.refused('CancelOTAStrategyByJob', { JobId })).toBe('iot.ota.JobHasCanceled')
    bench.at(6)
    expect(bench.ok('QueryOTAJob', { JobId }).Data).toMatchObject({ JobStatus: 'CANCELED', UtcEndTime: new Date(T0 + 1000).toISOString() })
    expect(bench.tasks(JobId).map((t) => [t.DeviceName, t.TaskStatus])).toEqual([['early-1', 'SUCCEEDED']])
    expect(bench.ok('CreateOTADynamicUpgradeJob', dynamic()).Data.JobId).not.toBe(JobId)
  })

  it.each<[string, Record<string, string>, string]>([
    ['no SrcVersion and no group', { ...fw }, 'iot.ota.EmptySrcVersionList'],
    ['SrcVersion and a group', dynamic({ GroupId: 'g', GroupType: 'LINK_PLATFORM_DYNAMIC' }), 'iot.system.IllegalRequest'],
    ['a static GroupType', { ...fw, GroupId: 'g', GroupType: 'LINK_PLATFORM' }, 'iot.check.InvalidFormattedParameter'],
    ['DynamicMode 3', dynamic({ DynamicMode: '3' }), 'iot.check.InvalidFormattedParameter'],
    ['MaximumPerMinute 5', dynamic({ MaximumPerMinute: '5' }), 'iot.ota.InvalidMaximumPerMinute']
  ])('refuses %s', (_label, params, code) => {
    expect(jobsBench(fleet, [unverifiable()]).refused('CreateOTADynamicUpgradeJob', params)).toBe(code)
  })
})

describe('CancelOTATaskByJob', () => {
  const start = () => {
    const bench = jobsBench([...fleet, ...fleetSpecs(20, 0)], [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL', MaximumPerMinute: '10' }).Data
    bench.at(1)
    return { bench, JobId }
  }
  const statuses = (bench: ReturnType<typeof start>['bench'], JobId: string) =>
    Object.fromEntries(['QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'CANCELED'].map((s) => [s, bench.count(JobId, s)]))

  it.each<[string, Record<string, string>, Record<string, number>]>([
    ['queued only', { CancelQueuedTask: 'true' }, { QUEUED: 0, NOTIFIED: 10, IN_PROGRESS: 8, CANCELED: 6 }],
    ['notified only', { CancelNotifiedTask: 'true' }, { QUEUED: 6, NOTIFIED: 0, IN_PROGRESS: 8, CANCELED: 10 }],
    ['in progress only', { CancelInProgressTask: 'true' }, { QUEUED: 6, NOTIFIED: 10, IN_PROGRESS: 0, CANCELED: 8 }],
    [
      'everything pending',
      { CancelQueuedTask: 'true', CancelNotifiedTask: 'true', CancelInProgressTask: 'true' },
      { QUEUED: 0, NOTIFIED: 0, IN_PROGRESS: 0, CANCELED: 24 }
    ]
  ])('%s', (_label, flags, expected) => {
    const { bench, JobId } = start()
    // 24 devices at 10 a minute, one minute in: the first ten pushed (two of them offline), the next ten notified.
    expect(statuses(bench, JobId)).toEqual({ QUEUED: 6, NOTIFIED: 10, IN_PROGRESS: 8, CANCELED: 0 })
    bench.ok('CancelOTATaskByJob', { JobId, ...flags })
    expect(statuses(bench, JobId)).toEqual(expected)
    bench.at(100)
    expect(bench.count(JobId, 'CANCELED')).toBe(expected.CANCELED)
  })

  it('needs a flag set, a known job and one that has not finished', () => {
    const { bench, JobId } = start()
    expect(bench.refused('CancelOTATaskByJob', { JobId })).toBe('iot.system.IllegalRequest')
    expect(bench.refused('CancelOTATaskByJob', { JobId, CancelQueuedTask: 'false' })).toBe('iot.system.IllegalRequest')
    expect(bench.refused('CancelOTATaskByJob', { JobId: 'nope', CancelQueuedTask: 'true' })).toBe('iot.ota.InvalidJobId')
    expect(bench.refused('CancelOTAStrategyByJob', { JobId })).toBe('iot.ota.noDynamicJob')
    bench.ok('CancelOTATaskByJob', { JobId, CancelQueuedTask: 'true' })
    bench.at(100)
    expect(bench.ok('QueryOTAJob', { JobId }).Data.JobStatus).toBe('COMPLETED')
    expect(bench.refused('CancelOTATaskByJob', { JobId, CancelQueuedTask: 'true' })).toBe('iot.ota.JobHasFinished')
  })

  it('CancelQueuedTask also cancels CONFIRM tasks unless CancelUnconfirmedTask is given', () => {
    const run = (flags: Record<string, string>) => {
      const bench = jobsBench(fleet, [unverifiable()])
      const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'SPECIFIC', ...names(['early-1']), NeedConfirm: 'true' }).Data
      bench.ok('CancelOTATaskByJob', { JobId, ...flags })
      return bench.tasks(JobId)[0]?.TaskStatus
    }
    expect(run({ CancelQueuedTask: 'true' })).toBe('CANCELED')
    expect(run({ CancelQueuedTask: 'true', CancelUnconfirmedTask: 'false' })).toBe('CONFIRM')
    expect(run({ CancelUnconfirmedTask: 'true' })).toBe('CANCELED')
  })

  it('CancelScheduledTask cancels a planned batch', () => {
    const bench = jobsBench(fleet, [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL', ScheduleTime: String(T0 + 10 * 60_000) }).Data
    bench.ok('CancelOTATaskByJob', { JobId, CancelScheduledTask: 'true' })
    bench.at(20)
    expect(bench.ok('QueryOTAJob', { JobId }).Data.JobStatus).toBe('CANCELED')
    expect(bench.refused('CancelOTATaskByJob', { JobId, CancelQueuedTask: 'true' })).toBe('iot.ota.JobHasCanceled')
    expect(bench.count(JobId, 'CANCELED')).toBe(4)
  })
})
