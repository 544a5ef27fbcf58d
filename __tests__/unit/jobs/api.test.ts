import { describe, expect, it } from '@jest/globals'
import { ApiError } from '../../../src/net/api-error.js'
import { createJobsApi, flattenParams, type RpcValue } from '../../../src/jobs/api.js'

/** Lower-camel copy of an answer, the way the marketplace variant writes it. */
function lowerCamel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamel)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), lowerCamel(v)]))
}

function apiAnswering(answer: unknown) {
  const calls: { action: string; params: Record<string, RpcValue> }[] = []
  const api = createJobsApi(async (action, params) => {
    calls.push({ action, params })
    return answer
  })
  return { api, calls }
}

const CASINGS: [string, (answer: unknown) => unknown][] = [
  ['PascalCase', (answer) => answer],
  ['lower camel', lowerCamel]
]

const TASKS = {
  RequestId: 'r',
  Success: true,
  Total: 2,
  CurrentPage: 1,
  PageSize: 100,
  PageCount: 1,
  Data: {
    SimpleOTATaskInfo: [
      { TaskId: 'T1', DeviceName: 'dev-0001', TaskStatus: 'IN_PROGRESS', Progress: '40.00', SrcVersion: '1.0.0', DestVersion: '1.1.0' },
      { TaskId: 'T2', DeviceName: 'dev-0002', TaskStatus: 'FAILED', Progress: '0.00', TaskDesc: 'report version is not conform', Timeout: '' }
    ]
  }
}

describe('createJobsApi', () => {
  it('sends lists as Name.1, Name.2 and leaves out what is not set', async () => {
    const { api, calls } = apiAnswering({ Data: { JobId: 'J1', UtcCreate: 'now' } })
    await api.createVerifyJob({ FirmwareId: 'F', ProductKey: 'P', TargetDeviceName: ['a', 'b'], TimeoutInMinutes: 5, NeedPush: undefined })
    expect(calls).toEqual([
      {
        action: 'CreateOTAVerifyJob',
        params: { FirmwareId: 'F', ProductKey: 'P', 'TargetDeviceName.1': 'a', 'TargetDeviceName.2': 'b', TimeoutInMinutes: 5, NeedPush: undefined }
      }
    ])
    expect(flattenParams({ SrcVersion: ['1', '2'], TargetSelection: 'ALL' })).toEqual({ 'SrcVersion.1': '1', 'SrcVersion.2': '2', TargetSelection: 'ALL' })
  })

  it.each(CASINGS)('reads a created job (%s), ids as strings or numbers', async (_casing, cased) => {
    for (const JobId of ['wahVIzGkCMuAUE2gDERM02', 183634077921266]) {
      const { api } = apiAnswering(cased({ RequestId: 'r', Success: true, Data: { JobId, UtcCreate: '2019-11-04T06:22:19.566Z' } }))
      await expect(api.createStaticUpgradeJob({ FirmwareId: 'F', ProductKey: 'P', TargetSelection: 'ALL' })).resolves.toEqual({
        JobId: String(JobId),
        UtcCreate: '2019-11-04T06:22:19.566Z'
      })
    }
  })

  it('refuses a created job without a JobId', async () => {
    const { api } = apiAnswering({ Success: true, Data: {} })
    await expect(api.createDynamicUpgradeJob({ FirmwareId: 'F', ProductKey: 'P' })).rejects.toThrow(ApiError)
  })

  it.each(CASINGS)('reads a task page (%s), Progress as a number', async (_casing, cased) => {
    const { api, calls } = apiAnswering(cased(TASKS))
    const page = await api.listTasksByJob('J1', 1, 100, 'FAILED')
    expect(calls[0]).toEqual({ action: 'ListOTATaskByJob', params: { JobId: 'J1', CurrentPage: 1, PageSize: 100, TaskStatus: 'FAILED' } })
    expect(page).toMatchObject({ Total: 2, PageCount: 1 })
    expect(page.Tasks).toEqual([
      { TaskId: 'T1', DeviceName: 'dev-0001', TaskStatus: 'IN_PROGRESS', Progress: 40, SrcVersion: '1.0.0', DestVersion: '1.1.0' },
      { TaskId: 'T2', DeviceName: 'dev-0002', TaskStatus: 'FAILED', Progress: 0, TaskDesc: 'report version is not conform' }
    ])
  })

  it('reads a task page whose Data is the bare array, and one with a single row not in an array', async () => {
    const bare = apiAnswering({ total: '1', data: [{ taskId: 7, deviceName: 'dev-0001', taskStatus: 'QUEUED', progress: '0' }] })
    expect((await bare.api.listTasksByJob('J', 1, 1)).Tasks).toEqual([{ TaskId: '7', DeviceName: 'dev-0001', TaskStatus: 'QUEUED', Progress: 0 }])
    const single = apiAnswering({ Total: 1, Data: { SimpleOTATaskInfo: { TaskId: 'T', DeviceName: 'd', TaskStatus: 'QUEUED' } } })
    expect(await single.api.listTasksByJob('J', 1, 1)).toMatchObject({ Total: 1, PageCount: 1, Tasks: [{ TaskId: 'T' }] })
  })
})

describe('createJobsApi, jobs and the package', () => {
  it.each(CASINGS)('reads a job (%s) with its wrapped SrcVersions', async (_casing, cased) => {
    const { api } = apiAnswering(
      cased({
        Data: {
          JobId: 'J1',
          JobStatus: 'IN_PROGRESS',
          JobType: 'UPGRADE_FIRMWARE',
          SelectionType: 'STATIC',
          TargetSelection: 'GRAY',
          GrayPercent: '50.00',
          SrcVersions: { SrcVersion: ['1.0.0', '1.0.1'] },
          TimeoutInMinutes: 60,
          FirmwareId: 'F'
        }
      })
    )
    await expect(api.queryJob('J1')).resolves.toMatchObject({
      JobId: 'J1',
      JobStatus: 'IN_PROGRESS',
      TargetSelection: 'GRAY',
      GrayPercent: '50.00',
      SrcVersions: ['1.0.0', '1.0.1'],
      TimeoutInMinutes: 60
    })
  })

  it.each(CASINGS)('reads every page of the jobs of a package (%s)', async (_casing, cased) => {
    const pages = [
      { PageCount: 2, Data: { SimpleOTAJobInfo: [{ JobId: 'J1', JobStatus: 'COMPLETED', JobType: 'VERIFY_FIRMWARE' }] } },
      {
        PageCount: 2,
        Data: { SimpleOTAJobInfo: [{ JobId: 'J2', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE', SelectionType: 'STATIC', TargetSelection: 'ALL' }] }
      }
    ]
    const seen: Record<string, RpcValue>[] = []
    const api = createJobsApi(async (_action, params) => {
      seen.push(params)
      return cased(pages[Number(params.CurrentPage) - 1])
    })
    expect((await api.listJobsByFirmware('F')).map((j) => j.JobId)).toEqual(['J1', 'J2'])
    expect(seen.map((p) => [p.CurrentPage, p.PageSize])).toEqual([
      [1, 200],
      [2, 200]
    ])
  })

  it.each(CASINGS)('reads the firmware status (%s)', async (_casing, cased) => {
    const { api } = apiAnswering(cased({ FirmwareInfo: { FirmwareId: 'F', Status: 2, VerifyProgress: 50, DestVersion: '1.1.0' } }))
    await expect(api.queryFirmware('F')).resolves.toEqual({ FirmwareId: 'F', Status: 2, VerifyProgress: 50, DestVersion: '1.1.0' })
  })

  it('reads a firmware status written as a string, and refuses an answer without one', async () => {
    await expect(apiAnswering({ firmwareInfo: { status: '-1' } }).api.queryFirmware('F')).resolves.toMatchObject({
      FirmwareId: 'F',
      Status: -1,
      VerifyProgress: 0
    })
    await expect(apiAnswering({ FirmwareInfo: {} }).api.queryFirmware('F')).rejects.toThrow(/FirmwareInfo.Status/)
  })

  it('sends the cancel flags as given', async () => {
    const { api, calls } = apiAnswering({ Success: true })
    await api.cancelTasksByJob('J1', { CancelQueuedTask: true, CancelInProgressTask: true })
    await api.cancelStrategyByJob('J1')
    expect(calls).toEqual([
      { action: 'CancelOTATaskByJob', params: { JobId: 'J1', CancelQueuedTask: true, CancelInProgressTask: true } },
      { action: 'CancelOTAStrategyByJob', params: { JobId: 'J1' } }
    ])
  })
})
