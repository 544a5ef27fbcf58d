import { describe, expect, it } from '@jest/globals'
import { fleetSpecs } from '../../emulator/devices/fleet.js'
import { firmware, jobsBench, MINUTE, names, PK, T0, unverifiable } from '../support/jobs-bench.js'

const fw = { FirmwareId: 'fw-1', ProductKey: PK }
const staticJob = (params: Record<string, string>) => ({ ...fw, TargetSelection: 'ALL', ...params })
const mixed = [
  { name: 'dev-a', versions: { default: '1.0.0' } },
  { name: 'dev-b', versions: { default: '1.5.0' } },
  { name: 'dev-c', versions: { default: '2.0.0' } },
  { name: 'dev-d', behaviour: 'offline' as const },
  { name: 'dev-e', groups: ['g-1'] }
]

describe('CreateOTAStaticUpgradeJob rules', () => {
  const hour = 60 * 60_000
  it.each<[string, Record<string, string>, string]>([
    ['no TargetSelection', { ...fw }, 'MissingTargetSelection'],
    ['TargetSelection EVERYONE', staticJob({ TargetSelection: 'EVERYONE' }), 'iot.check.InvalidFormattedParameter'],
    ['GRAY without GrayPercent', staticJob({ TargetSelection: 'GRAY' }), 'iot.check.NullParameter'],
    ['GrayPercent with ALL', staticJob({ GrayPercent: '10' }), 'iot.system.IllegalRequest'],
    ['GrayPercent 0', staticJob({ TargetSelection: 'GRAY', GrayPercent: '0' }), 'iot.check.InvalidFormattedParameter'],
    ['SPECIFIC without devices', staticJob({ TargetSelection: 'SPECIFIC' }), 'iot.check.NullParameter'],
    ['201 devices', staticJob({ TargetSelection: 'SPECIFIC', ...names(fleetSpecs(201, 0).map((d) => d.name)) }), 'iot.ota.TooManyOtaTask'],
    ['devices with ALL', staticJob(names(['dev-a'])), 'iot.system.IllegalRequest'],
    ['SrcVersion with SPECIFIC', staticJob({ TargetSelection: 'SPECIFIC', ...names(['dev-a']), 'SrcVersion.1': '1.0.0' }), 'iot.system.IllegalRequest'],
    [
      'SrcVersion with GROUP',
      staticJob({ TargetSelection: 'GROUP', GroupId: 'g-1', GroupType: 'LINK_PLATFORM', 'SrcVersion.1': '1.0.0' }),
      'iot.system.IllegalRequest'
    ],
    [
      '11 SrcVersions',
      staticJob(
        names(
          Array.from({ length: 11 }, (_, i) => `1.${i}.0`),
          'SrcVersion'
        )
      ),
      'iot.system.IllegalRequest'
    ],
    ['GROUP without GroupType', staticJob({ TargetSelection: 'GROUP', GroupId: 'g-1' }), 'iot.check.NullParameter'],
    [
      'GroupType LINK_PLATFORM_DYNAMIC on a static job',
      staticJob({ TargetSelection: 'GROUP', GroupId: 'g-1', GroupType: 'LINK_PLATFORM_DYNAMIC' }),
      'iot.check.InvalidFormattedParameter'
    ],
    ['MaximumPerMinute 9', staticJob({ MaximumPerMinute: '9' }), 'iot.ota.InvalidMaximumPerMinute'],
    ['MaximumPerMinute 10001', staticJob({ MaximumPerMinute: '10001' }), 'iot.ota.InvalidMaximumPerMinute'],
    ['RetryInterval 15', staticJob({ RetryInterval: '15', RetryCount: '1' }), 'iot.check.InvalidFormattedParameter'],
    ['RetryInterval without RetryCount', staticJob({ RetryInterval: '10' }), 'iot.check.NullParameter'],
    ['RetryCount 3', staticJob({ RetryInterval: '10', RetryCount: '3' }), 'iot.check.InvalidFormattedParameter'],
    ['RetryInterval 60 with TimeoutInMinutes 60', staticJob({ RetryInterval: '60', RetryCount: '1', TimeoutInMinutes: '60' }), 'iot.system.IllegalRequest'],
    ['OverwriteMode 3', staticJob({ OverwriteMode: '3' }), 'iot.check.InvalidFormattedParameter'],
    ['OverwriteMode 2 with MultiModuleMode', staticJob({ OverwriteMode: '2', MultiModuleMode: 'true' }), 'iot.system.IllegalRequest'],
    ['ScheduleTime in 4 minutes', staticJob({ ScheduleTime: String(T0 + 4 * 60_000) }), 'iot.system.IllegalRequest'],
    ['ScheduleTime in 8 days', staticJob({ ScheduleTime: String(T0 + 8 * 24 * hour) }), 'iot.system.IllegalRequest'],
    ['ScheduleFinishTime without ScheduleTime', staticJob({ ScheduleFinishTime: String(T0 + 2 * hour) }), 'iot.system.IllegalRequest'],
    [
      'ScheduleFinishTime 30 minutes after ScheduleTime',
      staticJob({ ScheduleTime: String(T0 + hour), ScheduleFinishTime: String(T0 + 1.5 * hour) }),
      'iot.system.IllegalRequest'
    ],
    ['a DnListFileUrl not issued', staticJob({ TargetSelection: 'SPECIFIC', DnListFileUrl: 'https://example.invalid/list.csv' }), 'iot.system.IllegalRequest']
  ])('refuses %s', (_label, params, code) => {
    expect(jobsBench(mixed, [unverifiable()]).refused('CreateOTAStaticUpgradeJob', params)).toBe(code)
  })

  it('a package that needs verification is refused until it is verified', () => {
    const bench = jobsBench(mixed, [firmware()])
    expect(bench.refused('CreateOTAStaticUpgradeJob', staticJob({}))).toBe('iot.ota.FirmwareNotVerified')
    bench.ok('CreateOTAVerifyJob', { ...fw, ...names(['dev-a']) })
    expect(bench.refused('CreateOTAStaticUpgradeJob', staticJob({}))).toBe('iot.ota.FirmwareNotVerified')
    bench.at(6)
    expect(bench.verification().Status).toBe(1)
    expect(bench.ok('CreateOTAStaticUpgradeJob', staticJob({})).Data.JobId).toBeDefined()
  })
})

describe('static job targets', () => {
  const targeted = (params: Record<string, string>, packageOverrides = {}) => {
    const bench = jobsBench(mixed, [unverifiable(packageOverrides)])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', staticJob(params)).Data
    return bench.tasks(JobId).map((t) => t.DeviceName)
  }

  it.each<[string, Record<string, string>, string[]]>([
    ['ALL skips the device already on DestVersion and keeps the offline one', {}, ['dev-a', 'dev-b', 'dev-d', 'dev-e']],
    ['ALL with SrcVersion', { 'SrcVersion.1': '1.5.0' }, ['dev-b']],
    ['GRAY 50 of 4 candidates', { TargetSelection: 'GRAY', GrayPercent: '50' }, ['dev-a', 'dev-b']],
    ['GRAY 1 % still takes one device', { TargetSelection: 'GRAY', GrayPercent: '1' }, ['dev-a']],
    ['SPECIFIC', { TargetSelection: 'SPECIFIC', ...names(['dev-e', 'dev-c', 'dev-b']) }, ['dev-e', 'dev-b']],
    ['GROUP', { TargetSelection: 'GROUP', GroupId: 'g-1', GroupType: 'LINK_PLATFORM' }, ['dev-e']]
  ])('%s', (_label, params, expected) => {
    expect(targeted(params)).toEqual(expected)
  })

  it('a differential package only reaches devices on its SrcVersion', () => {
    expect(targeted({}, { Type: 1, SrcVersion: '1.5.0' })).toEqual(['dev-b'])
  })

  it('QueryOTAJob echoes the settings, with GrayPercent written as the platform does', () => {
    const bench = jobsBench(mixed, [unverifiable()])
    const params = staticJob({
      TargetSelection: 'GRAY',
      GrayPercent: '50',
      'SrcVersion.1': '1.0.0',
      MaximumPerMinute: '100',
      RetryInterval: '10',
      RetryCount: '2',
      TimeoutInMinutes: '30',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'fw'
    })
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', params).Data
    expect(bench.ok('QueryOTAJob', { JobId }).Data).toMatchObject({
      JobStatus: 'IN_PROGRESS',
      JobType: 'UPGRADE_FIRMWARE',
      SelectionType: 'STATIC',
      TargetSelection: 'GRAY',
      GrayPercent: '50.00',
      SrcVersions: { SrcVersion: ['1.0.0'] },
      MaximumPerMinute: 100,
      RetryInterval: 10,
      RetryCount: 2,
      TimeoutInMinutes: 30,
      OverwriteMode: 1,
      NeedPush: true,
      NeedConfirm: false,
      DownloadProtocol: 'HTTPS',
      DestVersion: '2.0.0',
      Tags: { OtaTagDTO: [{ Key: 'team', Value: 'fw' }] }
    })
  })
})

describe('pacing, schedule and versions', () => {
  it('MaximumPerMinute pushes that many devices per scaled minute', () => {
    const bench = jobsBench(fleetSpecs(35, 0), [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', staticJob({ MaximumPerMinute: '10' })).Data
    expect([bench.count(JobId, 'NOTIFIED'), bench.count(JobId, 'QUEUED')]).toEqual([10, 25])
    bench.at(1)
    expect([bench.count(JobId, 'IN_PROGRESS'), bench.count(JobId, 'NOTIFIED'), bench.count(JobId, 'QUEUED')]).toEqual([10, 10, 15])
    bench.at(9)
    expect(bench.count(JobId, 'SUCCEEDED')).toBe(35)
    expect(bench.ok('QueryOTAJob', { JobId }).Data.UtcEndTime).toBe(new Date(T0 + 9 * MINUTE).toISOString())
  })

  it('a scheduled job is PLANNED until ScheduleTime, played on the scaled clock', () => {
    const bench = jobsBench(fleetSpecs(3, 0), [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', staticJob({ ScheduleTime: String(T0 + 10 * 60_000) })).Data
    expect(bench.ok('QueryOTAJob', { JobId }).Data).toMatchObject({ JobStatus: 'PLANNED', UtcScheduleTime: new Date(T0 + 10 * 60_000).toISOString() })
    expect(bench.count(JobId, 'QUEUED')).toBe(3)
    bench.at(10)
    expect(bench.count(JobId, 'NOTIFIED')).toBe(3)
  })

  it('a succeeded device runs DestVersion: a later job of that version skips it, one from it targets it', () => {
    const bench = jobsBench(fleetSpecs(4, 50), [
      unverifiable(),
      unverifiable({ FirmwareId: 'fw-2' }),
      unverifiable({ FirmwareId: 'fw-3', DestVersion: '3.0.0' })
    ])
    const first = bench.ok('CreateOTAStaticUpgradeJob', staticJob({})).Data.JobId
    bench.at(10)
    expect(bench.tasks(first).map((t) => [t.TaskStatus, t.SrcVersion])).toEqual([
      ['SUCCEEDED', '1.0.0'],
      ['FAILED', '1.0.0'],
      ['SUCCEEDED', '1.0.0'],
      ['FAILED', '1.0.0']
    ])
    const again = bench.ok('CreateOTAStaticUpgradeJob', staticJob({ FirmwareId: 'fw-2' })).Data.JobId
    expect(bench.tasks(again).map((t) => t.DeviceName)).toEqual(['fleet-0002', 'fleet-0004'])
    const next = bench.ok('CreateOTAStaticUpgradeJob', staticJob({ FirmwareId: 'fw-3', 'SrcVersion.1': '2.0.0' })).Data.JobId
    expect(bench.tasks(next).map((t) => t.DeviceName)).toEqual(['fleet-0001', 'fleet-0003'])
  })
})

describe('one batch per device', () => {
  const devices = [{ name: 'busy-1' }, { name: 'away-1', behaviour: 'offline' as const }, { name: 'free-1' }]
  const setup = () => {
    const bench = jobsBench(devices, [unverifiable(), unverifiable({ FirmwareId: 'fw-2', DestVersion: '2.1.0' })])
    const first = bench.ok('CreateOTAStaticUpgradeJob', staticJob({ TargetSelection: 'SPECIFIC', ...names(['busy-1', 'away-1']) })).Data.JobId
    bench.at(2)
    return { bench, first }
  }

  it('a device pending or upgrading elsewhere gets a FAILED task; the earlier job goes on', () => {
    const { bench, first } = setup()
    const second = bench.ok('CreateOTAStaticUpgradeJob', staticJob({ FirmwareId: 'fw-2' })).Data.JobId
    expect(bench.tasks(second).map((t) => [t.DeviceName, t.TaskStatus])).toEqual([
      ['busy-1', 'FAILED'],
      ['away-1', 'FAILED'],
      ['free-1', 'NOTIFIED']
    ])
    expect(bench.tasks(second)[0]?.TaskDesc).toContain(`unfinished task in job ${first}`)
    expect(bench.tasks(first).map((t) => t.TaskStatus)).toEqual(['IN_PROGRESS', 'QUEUED'])
  })

  it('OverwriteMode 2 replaces a pending task but never one in progress', () => {
    const { bench, first } = setup()
    const second = bench.ok('CreateOTAStaticUpgradeJob', staticJob({ FirmwareId: 'fw-2', OverwriteMode: '2' })).Data.JobId
    expect(bench.tasks(second).map((t) => t.TaskStatus)).toEqual(['FAILED', 'QUEUED', 'NOTIFIED'])
    expect(bench.tasks(first).map((t) => [t.TaskStatus, t.TaskDesc])).toEqual([
      ['IN_PROGRESS', ''],
      ['CANCELED', expect.stringContaining('OverwriteMode 2')]
    ])
  })

  it('a device is free again once its task finished', () => {
    const { bench } = setup()
    bench.at(7)
    const second = bench.ok('CreateOTAStaticUpgradeJob', staticJob({ FirmwareId: 'fw-2', TargetSelection: 'SPECIFIC', ...names(['busy-1']) })).Data.JobId
    expect(bench.tasks(second).map((t) => [t.TaskStatus, t.SrcVersion])).toEqual([['NOTIFIED', '2.0.0']])
  })
})
