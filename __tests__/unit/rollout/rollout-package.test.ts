import { describe, expect, it } from '@jest/globals'
import type { JobSummary, StaticJobParams } from '../../../src/platform/models.js'
import type { RolloutInputs } from '../../../src/rollout/inputs.js'
import { jobParams, rolloutFailure, rolloutPackage } from '../../../src/rollout/rollout-package.js'
import { zeroCounts } from '../../../src/jobs/tasks.js'
import { fakeDeps, firmware, losingAnswer } from '../../support/jobs-fakes.js'
import { fleetApi, fleetPage, jobDetail } from '../../support/rollout-fleet.js'

const INPUTS: Omit<RolloutInputs, 'connection'> = {
  productKey: 'P',
  firmwareId: 'F',
  needPush: true,
  needConfirm: false,
  downloadProtocol: 'HTTPS',
  selection: 'all',
  devices: [],
  srcVersions: [],
  dynamic: false,
  overwrite: false,
  waitMinutes: 0,
  minFinishedDevices: 10
}

describe('jobParams', () => {
  it.each([
    [{}, { dynamic: false, params: { TargetSelection: 'ALL' } }],
    [
      { selection: 'gray' as const, grayPercent: '5', srcVersions: ['1.0.0'] },
      { dynamic: false, params: { TargetSelection: 'GRAY', GrayPercent: '5', SrcVersion: ['1.0.0'] } }
    ],
    [
      { selection: 'devices' as const, devices: ['a', 'b'] },
      { dynamic: false, params: { TargetSelection: 'SPECIFIC', TargetDeviceName: ['a', 'b'] } }
    ],
    [
      { selection: 'group' as const, groupId: 'g', groupType: 'LINK_PLATFORM' },
      { dynamic: false, params: { TargetSelection: 'GROUP', GroupId: 'g', GroupType: 'LINK_PLATFORM' } }
    ],
    [
      { dynamic: true, srcVersions: ['1.0.0'] },
      { dynamic: true, params: { DynamicMode: 1, SrcVersion: ['1.0.0'] } }
    ],
    [
      { overwrite: true, retryInterval: 10, retryCount: 2, maxPerMinute: 100, scheduleTime: 123 },
      { params: { OverwriteMode: 2, RetryInterval: 10, RetryCount: 2, MaximumPerMinute: 100, ScheduleTime: 123 } }
    ]
  ])('%j', (given, expected) => {
    expect(jobParams({ ...INPUTS, ...given })).toMatchObject(expected)
  })

  it('leaves out what was not given', () => {
    const { params } = jobParams(INPUTS)
    expect(
      Object.entries(params)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k)
        .sort()
    ).toEqual(['DownloadProtocol', 'FirmwareId', 'NeedConfirm', 'NeedPush', 'ProductKey', 'TargetSelection'])
    expect('TargetSelection' in jobParams({ ...INPUTS, dynamic: true, srcVersions: ['1'] }).params).toBe(false)
  })
})

describe('rolloutPackage', () => {
  const verified = async () => firmware('F', 1, 100)

  it('creates the job and, with wait-minutes 0, reports it started', async () => {
    const sent: StaticJobParams[] = []
    const api = fleetApi([{ counts: {} }], {
      queryFirmware: verified,
      listJobsByFirmware: async () => [],
      createStaticUpgradeJob: async (p) => (sent.push(p), { JobId: 'J1', UtcCreate: '' })
    })
    const outcome = await rolloutPackage(INPUTS, fakeDeps(api))
    expect(outcome).toMatchObject({ result: 'started', jobId: 'J1', origin: 'created' })
    expect(sent).toHaveLength(1)
    expect(api.calls).not.toContain('queryJob')
  })

  it('follows under the budget and halts', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 10, FAILED: 10, QUEUED: 80 } }], {
      queryFirmware: verified,
      listJobsByFirmware: async () => [],
      createStaticUpgradeJob: async () => ({ JobId: 'J1', UtcCreate: '' })
    })
    const outcome = await rolloutPackage({ ...INPUTS, waitMinutes: 30, maxFailurePercent: 20 }, fakeDeps(api))
    expect(outcome).toMatchObject({ result: 'halted', jobId: 'J1' })
    const error = rolloutFailure(outcome)
    expect(error?.message).toMatch(/halted: 10 of 20 finished devices failed \(50.0%\), over 'max-failure-percent'/)
    expect(error?.message).toMatch('Failed: dev-FAILED-0, dev-FAILED-1')
  })

  it('a create whose answer was lost is found by its lookup: a new job of the same selection, not an older one', async () => {
    let jobs: JobSummary[] = [{ JobId: 'OLD', JobStatus: 'COMPLETED', JobType: 'UPGRADE_FIRMWARE' }]
    const api = fleetApi([{ counts: {} }], {
      queryFirmware: verified,
      listJobsByFirmware: async () => jobs,
      queryJob: async (id) => jobDetail({ JobId: id, ...(id === 'OTHER' ? { TargetSelection: 'GRAY', GrayPercent: '10.00' } : {}) }),
      createStaticUpgradeJob: losingAnswer(() => {
        jobs = [
          ...jobs,
          { JobId: 'OTHER', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' },
          { JobId: 'NEW', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' }
        ]
      })
    })
    expect(await rolloutPackage(INPUTS, fakeDeps(api))).toMatchObject({ jobId: 'NEW', origin: 'created' })
  })

  it('checks schedule-time again before the create: a wait for an earlier stage can take it out of the window, and then no job is made', async () => {
    let polls = 0
    const api = fleetApi([{ counts: {} }], {
      queryFirmware: verified,
      listJobsByFirmware: async () => [{ JobId: 'G', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE', SelectionType: 'STATIC' }],
      queryJob: async (id) => jobDetail({ JobId: id, TargetSelection: 'GRAY', GrayPercent: '5.00' }),
      // The earlier stage keeps a device upgrading for a few polls, several minutes in all.
      listTasksByJob: async (_j, page, size, status) => fleetPage(status === 'IN_PROGRESS' && ++polls < 12 ? { IN_PROGRESS: 1 } : {}, page, size, status)
    })
    const deps = fakeDeps(api)
    const scheduleTime = deps.clock.now() + 6 * 60_000
    const error = await rolloutPackage({ ...INPUTS, scheduleTime }, deps).catch((e: unknown) => e)
    expect(error).toMatchObject({ input: 'schedule-time' })
    expect((error as Error).message).toMatch(/the platform takes a ScheduleTime from 5 minutes to 7 days ahead, so no job was created/)
    expect(api.calls).not.toContain('createStaticUpgradeJob')
    // Inside the window, the same wait ends in the create.
    polls = 0
    const created = fleetApi([{ counts: {} }], { ...api, createStaticUpgradeJob: async () => ({ JobId: 'J2', UtcCreate: '' }) })
    const later = fakeDeps(created)
    await expect(rolloutPackage({ ...INPUTS, scheduleTime: later.clock.now() + 60 * 60_000 }, later)).resolves.toMatchObject({ jobId: 'J2' })
  })

  it('a re-run follows the running job of the same selection', async () => {
    const api = fleetApi([{ counts: { SUCCEEDED: 4 }, status: 'COMPLETED' }], {
      queryFirmware: verified,
      listJobsByFirmware: async () => [{ JobId: 'J1', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE', SelectionType: 'STATIC' }]
    })
    const outcome = await rolloutPackage({ ...INPUTS, waitMinutes: 10 }, fakeDeps(api))
    expect(outcome).toMatchObject({ result: 'completed', jobId: 'J1', origin: 'followed', total: 4 })
    expect(api.calls).not.toContain('createStaticUpgradeJob')
  })
})

describe('rolloutFailure', () => {
  const base = {
    jobId: 'J',
    origin: 'created' as const,
    counts: zeroCounts(),
    total: 0,
    failedTasks: [],
    cancelled: [],
    stillRunning: [],
    stillRunningCount: 0
  }
  it.each([
    [{ result: 'completed' as const, jobStatus: 'COMPLETED' }, undefined],
    [{ result: 'following-ended' as const }, undefined],
    [{ result: 'started' as const }, undefined],
    [{ result: 'completed' as const, jobStatus: 'CANCELED' }, /cancelled outside this run/]
  ])('%j', (over, expected) => {
    const error = rolloutFailure({ ...base, ...over })
    if (expected === undefined) expect(error).toBeUndefined()
    else expect(error?.message).toMatch(expected)
  })
})
