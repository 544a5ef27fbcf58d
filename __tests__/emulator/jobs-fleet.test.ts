import { describe, expect, it } from '@jest/globals'
import { fleetSpecs } from '../../emulator/devices/fleet.js'
import { jobsBench, names, PK, unverifiable } from '../support/jobs-bench.js'

const fw = { FirmwareId: 'fw-1', ProductKey: PK }

describe('a 10,000-device fleet', () => {
  it('is counted and paged per status from the clock, each finished task computed once', () => {
    const bench = jobsBench(fleetSpecs(10_000, 5), [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL', MaximumPerMinute: '5000' }).Data
    bench.at(1)
    expect([bench.count(JobId, 'IN_PROGRESS'), bench.count(JobId, 'NOTIFIED')]).toEqual([5000, 5000])
    bench.at(8)
    expect([bench.count(JobId, 'SUCCEEDED'), bench.count(JobId, 'FAILED')]).toEqual([9500, 500])

    const before = bench.model.book.evaluations
    const page = bench.ok('ListOTATaskByJob', { JobId, TaskStatus: 'FAILED', CurrentPage: '5', PageSize: '100' })
    expect(page).toMatchObject({ CurrentPage: 5, PageSize: 100, PageCount: 5, Total: 500 })
    const failed = page.Data.SimpleOTATaskInfo as Record<string, string>[]
    expect(failed).toHaveLength(100)
    expect(failed[0]).toMatchObject({ DeviceName: 'fleet-08020', TaskStatus: 'FAILED', Progress: '20.00', TaskDesc: 'step -2: download failed' })
    expect(bench.ok('QueryOTAJob', { JobId }).Data.JobStatus).toBe('COMPLETED')
    // Every task is final: further reads take the memo, not the timeline.
    expect(bench.model.book.evaluations).toBe(before)
  })
})

describe('paging', () => {
  it.each<[string, Record<string, string>, string]>([
    ['PageSize 101', { PageSize: '101' }, 'iot.common.InvalidPageParams'],
    ['CurrentPage 0', { CurrentPage: '0' }, 'iot.common.InvalidPageParams'],
    ['past 100,000 tasks', { CurrentPage: '1001', PageSize: '100' }, 'iot.common.InvalidPageParams'],
    ['TaskStatus TIMEOUT', { TaskStatus: 'TIMEOUT' }, 'iot.firmware.InvalidTaskStatus'],
    [
      '51 DeviceNames',
      names(
        fleetSpecs(51, 0).map((d) => d.name),
        'DeviceNames'
      ),
      'iot.system.IllegalRequest'
    ],
    ['no JobId', { JobId: '' }, 'MissingJobId']
  ])('ListOTATaskByJob refuses %s', (_label, params, code) => {
    const bench = jobsBench(fleetSpecs(3, 0), [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL' }).Data
    expect(bench.refused('ListOTATaskByJob', { JobId, ...params })).toBe(code)
  })

  it('DeviceNames picks tasks regardless of the page', () => {
    const bench = jobsBench(fleetSpecs(30, 0), [unverifiable()])
    const { JobId } = bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL' }).Data
    const answer = bench.ok('ListOTATaskByJob', { JobId, CurrentPage: '3', PageSize: '10', ...names(['fleet-0002', 'fleet-0029'], 'DeviceNames') })
    expect(answer.Data.SimpleOTATaskInfo.map((t: Record<string, string>) => t.DeviceName)).toEqual(['fleet-0002', 'fleet-0029'])
  })

  it('ListOTAJobByFirmware lists newest first, with PageSize and CurrentPage required', () => {
    const bench = jobsBench(fleetSpecs(3, 0), [unverifiable()])
    const ids = [1, 2, 3].map(() => bench.ok('CreateOTAStaticUpgradeJob', { ...fw, TargetSelection: 'ALL', OverwriteMode: '2' }).Data.JobId)
    const page = bench.ok('ListOTAJobByFirmware', { FirmwareId: 'fw-1', CurrentPage: '1', PageSize: '2' })
    expect(page).toMatchObject({ CurrentPage: 1, PageSize: 2, PageCount: 2, Total: 3 })
    expect(page.Data.SimpleOTAJobInfo.map((j: Record<string, string>) => j.JobId)).toEqual([ids[2], ids[1]])
    expect(page.Data.SimpleOTAJobInfo[0]).toMatchObject({
      JobType: 'UPGRADE_FIRMWARE',
      SelectionType: 'STATIC',
      TargetSelection: 'ALL',
      JobStatus: 'IN_PROGRESS',
      Tags: { OtaTagDTO: [] }
    })
    expect(bench.refused('ListOTAJobByFirmware', { FirmwareId: 'fw-1', CurrentPage: '1' })).toBe('MissingPageSize')
    expect(bench.refused('ListOTAJobByFirmware', { FirmwareId: 'fw-1', CurrentPage: '1', PageSize: '201' })).toBe('iot.common.InvalidPageParams')
    expect(bench.refused('ListOTAJobByFirmware', { FirmwareId: 'fw-x', CurrentPage: '1', PageSize: '10' })).toBe('iot.ota.FirmwareNotFound')
  })
})
