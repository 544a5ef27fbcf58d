import { describe, expect, it } from '@jest/globals'
import { ApiError } from '../../../src/net/api-error.js'
import { TransportError } from '../../../src/net/transport.js'
import { leftOutcomeUnknown } from '../../../src/platform/client.js'
import { flattenParams, OPERATIONS } from '../../../src/platform/operations.js'
import { clientOver, retryTimes } from '../../support/iot-client.js'

/** Lower-camel copy of an answer, the way the marketplace variant writes it. */
function lowerCamel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerCamel)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), lowerCamel(v)]))
}

const none = async () => undefined

function apiAnswering(answer: unknown) {
  const { api, sent } = clientOver(async () => answer as never)
  return { api, calls: sent }
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

describe('the client, job operations', () => {
  it('sends lists as Name.1, Name.2 and leaves out what is not set', async () => {
    const { api, calls } = apiAnswering({ Data: { JobId: 'J1', UtcCreate: 'now' } })
    await api.createVerifyJob({ FirmwareId: 'F', ProductKey: 'P', TargetDeviceName: ['a', 'b'], TimeoutInMinutes: 5, NeedPush: undefined }, none)
    expect(calls).toEqual([
      {
        action: 'CreateOTAVerifyJob',
        method: 'POST',
        query: { FirmwareId: 'F', ProductKey: 'P', 'TargetDeviceName.1': 'a', 'TargetDeviceName.2': 'b', TimeoutInMinutes: '5' }
      }
    ])
  })

  it.each(CASINGS)('reads a created job (%s), ids as strings or numbers', async (_casing, cased) => {
    for (const JobId of ['wahVIzGkCMuAUE2gDERM02', 183634077921266]) {
      const { api } = apiAnswering(cased({ RequestId: 'r', Success: true, Data: { JobId, UtcCreate: '2019-11-04T06:22:19.566Z' } }))
      await expect(api.createStaticUpgradeJob({ FirmwareId: 'F', ProductKey: 'P', TargetSelection: 'ALL' }, none)).resolves.toEqual({
        JobId: String(JobId),
        UtcCreate: '2019-11-04T06:22:19.566Z'
      })
    }
  })

  it('refuses a created job without a JobId', async () => {
    const { api } = apiAnswering({ Success: true, Data: {} })
    await expect(api.createDynamicUpgradeJob({ FirmwareId: 'F', ProductKey: 'P' }, none)).rejects.toThrow(ApiError)
  })

  it.each(CASINGS)('reads a task page (%s), Progress as a number', async (_casing, cased) => {
    const { api, calls } = apiAnswering(cased(TASKS))
    const page = await api.listTasksByJob('J1', 1, 100, 'FAILED')
    expect(calls[0]).toEqual({ action: 'ListOTATaskByJob', method: 'POST', query: { JobId: 'J1', CurrentPage: '1', PageSize: '100', TaskStatus: 'FAILED' } })
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

describe('the client, jobs and the package', () => {
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
    const { api, sent } = clientOver(async (_action, _method, query) => cased(pages[Number(query.CurrentPage) - 1]) as never)
    expect((await api.listJobsByFirmware('F')).map((j) => j.JobId)).toEqual(['J1', 'J2'])
    expect(sent.map((c) => [c.query.CurrentPage, c.query.PageSize])).toEqual([
      ['1', '200'],
      ['2', '200']
    ])
  })

  it.each(CASINGS)('reads the firmware status (%s)', async (_casing, cased) => {
    const { api } = apiAnswering(cased({ FirmwareInfo: { FirmwareId: 'F', Status: 2, VerifyProgress: 50, DestVersion: '1.1.0' } }))
    await expect(api.queryFirmware('F')).resolves.toEqual({
      FirmwareId: 'F',
      FirmwareName: '',
      ModuleName: 'default',
      Status: 2,
      VerifyProgress: 50,
      DestVersion: '1.1.0'
    })
  })

  it.each(CASINGS)('reads the files of a multi-file package, a bare array (%s)', async (_casing, cased) => {
    const files = [
      { Name: 'bootloader.bin', Url: 'https://b/ota/1.bin?Expires=1&Signature=x', Size: 24576, SignValue: 'aa', FileMd5: 'aa' },
      { Name: 'app.bin', Url: 'https://b/ota/2.bin?Expires=1&Signature=y', Size: '1048576', SignValue: 'bb', FileMd5: 'bb' }
    ]
    const { api } = apiAnswering(cased({ FirmwareInfo: { FirmwareId: 'F', Status: -1, SignMethod: 'MD5', MultiFiles: files } }))
    const found = await api.queryFirmware('F')
    expect(found.MultiFiles).toEqual([files[0], { ...files[1], Size: 1048576 }])
    expect(found).not.toHaveProperty('FirmwareUrl')
  })

  it('reads no MultiFiles for a package of one file', async () => {
    await expect(apiAnswering({ FirmwareInfo: { FirmwareId: 'F', FirmwareUrl: 'u', MultiFiles: [] } }).api.queryFirmware('F')).resolves.not.toHaveProperty(
      'MultiFiles'
    )
  })

  it('reads a firmware status written as a string, and refuses an answer without the package', async () => {
    await expect(apiAnswering({ firmwareInfo: { firmwareId: 'F', status: '-1' } }).api.queryFirmware('F')).resolves.toMatchObject({
      FirmwareId: 'F',
      Status: -1
    })
    await expect(apiAnswering({ Success: true }).api.queryFirmware('F')).rejects.toThrow(/FirmwareInfo/)
  })

  it('sends the cancel flags as given', async () => {
    const { api, calls } = apiAnswering({ Success: true })
    await api.cancelTasksByJob('J1', { CancelQueuedTask: true, CancelInProgressTask: true })
    await api.cancelStrategyByJob('J1')
    expect(calls).toEqual([
      { action: 'CancelOTATaskByJob', method: 'POST', query: { JobId: 'J1', CancelQueuedTask: 'true', CancelInProgressTask: 'true' } },
      { action: 'CancelOTAStrategyByJob', method: 'POST', query: { JobId: 'J1' } }
    ])
  })
})

describe('the client, the packages of a product and of the account', () => {
  const row = (FirmwareId: string, ProductKey = 'P') => ({ FirmwareId, FirmwareName: FirmwareId, DestVersion: '1.0.0', ProductKey, UtcCreate: 'u' })

  it.each(CASINGS)('reads every page of a product (%s), a row read twice counted once, another product’s row left out', async (_casing, cased) => {
    const pages = [
      { PageCount: 2, Total: 3, FirmwareInfo: { SimpleFirmwareInfo: [row('A'), row('B')] } },
      // B moved to page 2 while a package was deleted; X belongs to another product.
      { PageCount: 2, Total: 3, FirmwareInfo: { SimpleFirmwareInfo: [row('B'), row('C'), row('X', 'OTHER')] } }
    ]
    const { api, sent } = clientOver(async (_action, _method, query) => cased(pages[Number(query.CurrentPage) - 1]) as never)
    expect((await api.listProductFirmware('P')).map((r) => r.FirmwareId)).toEqual(['A', 'B', 'C'])
    expect(sent.map((c) => c.query)).toEqual([
      { ProductKey: 'P', CurrentPage: '1', PageSize: '100' },
      { ProductKey: 'P', CurrentPage: '2', PageSize: '100' }
    ])
  })

  it.each(CASINGS)('counts the account’s packages from one page without ProductKey (%s)', async (_casing, cased) => {
    const { api, sent } = clientOver(async () => cased({ PageCount: 412, Total: 412, FirmwareInfo: { SimpleFirmwareInfo: [row('A')] } }) as never)
    await expect(api.countFirmware()).resolves.toBe(412)
    expect(sent).toEqual([{ action: 'ListOTAFirmware', method: 'POST', query: { CurrentPage: '1', PageSize: '1' } }])
  })

  it('says it cannot count when the answer has no Total', async () => {
    const { api } = apiAnswering({ FirmwareInfo: { SimpleFirmwareInfo: [] } })
    await expect(api.countFirmware()).resolves.toBeUndefined()
  })
})

describe('flattenParams', () => {
  it.each([
    ['strings as Name.N', { SrcVersion: ['1', '2'], TargetSelection: 'ALL' }, { 'SrcVersion.1': '1', 'SrcVersion.2': '2', TargetSelection: 'ALL' }],
    [
      'objects as Name.N.Field',
      {
        Tag: [
          { Key: 'k1', Value: 'v1' },
          { Key: 'k2', Value: 'v2' }
        ]
      },
      { 'Tag.1.Key': 'k1', 'Tag.1.Value': 'v1', 'Tag.2.Key': 'k2', 'Tag.2.Value': 'v2' }
    ],
    [
      // What the official SDK's createOTAFirmwareWithOptions puts in the query (the reference's RUN output).
      'MultiFiles as MultiFiles.N.Field, a file without Size, SignValue and FileMd5 leaving them out',
      {
        MultiFiles: [
          { Name: 'a', Url: 'u1', Size: 1, SignValue: 's', FileMd5: 'm' },
          { Name: 'b', Url: 'u2', Size: undefined }
        ]
      },
      {
        'MultiFiles.1.FileMd5': 'm',
        'MultiFiles.1.Name': 'a',
        'MultiFiles.1.SignValue': 's',
        'MultiFiles.1.Size': '1',
        'MultiFiles.1.Url': 'u1',
        'MultiFiles.2.Name': 'b',
        'MultiFiles.2.Url': 'u2'
      }
    ],
    ['numbers and booleans as text, absent values left out', { Size: 3, NeedPush: false, Udi: undefined }, { Size: '3', NeedPush: 'false' }],
    ['an empty list as nothing', { TargetDeviceName: [] }, {}]
  ])('%s', (_name, params, wire) => {
    expect(flattenParams(params)).toEqual(wire)
  })
})

describe('each operation as declared', () => {
  it('sends ListOTAModuleByProduct with GET (its only declared method) and every other operation with POST, as the SDK does', () => {
    const methods = Object.fromEntries(Object.values(OPERATIONS).map((op) => [op.name, op.method]))
    expect(methods).toMatchObject({ ListOTAModuleByProduct: 'GET', CreateOTAFirmware: 'POST', QueryOTAJob: 'POST', CancelOTATaskByJob: 'POST' })
    expect(Object.entries(methods).filter(([, m]) => m === 'GET')).toEqual([['ListOTAModuleByProduct', 'GET']])
  })

  it('retries reads and idempotent writes, whatever failed', async () => {
    let n = 0
    const { api, sent } = clientOver(
      async () => {
        if (++n < 3) throw new TransportError('socket hang up', 'network', true)
        return { Data: { JobId: 'J', JobStatus: 'IN_PROGRESS' } }
      },
      { retry: retryTimes(3) }
    )
    await expect(api.queryJob('J')).resolves.toMatchObject({ JobId: 'J' })
    expect(sent).toHaveLength(3)
  })

  it('resends a create after a clear refusal without looking', async () => {
    let n = 0
    let looked = 0
    const { api, sent } = clientOver(
      async () => {
        if (++n < 3) throw new ApiError('CreateOTAVerifyJob', 'Throttling.User', 'slow down', 400)
        return { Data: { JobId: 'J', UtcCreate: '' } }
      },
      { retry: retryTimes(3) }
    )
    await expect(api.createVerifyJob({ FirmwareId: 'F', ProductKey: 'P', TargetDeviceName: ['d'] }, async () => (looked++, undefined))).resolves.toEqual({
      JobId: 'J',
      UtcCreate: ''
    })
    expect([sent.length, looked]).toEqual([3, 0])
  })

  it('after a lost answer looks first, and takes what the lookup found instead of creating again', async () => {
    const { api, sent, info } = clientOver(
      async () => {
        throw new TransportError('socket hang up', 'network', true)
      },
      { retry: retryTimes(3) }
    )
    const created = await api.createFirmware({} as never, async () => ({ FirmwareId: 'MINE', UtcCreate: 'u' }))
    expect(created).toEqual({ FirmwareId: 'MINE', UtcCreate: 'u' })
    expect(sent).toHaveLength(1)
    expect(info.join('\n')).toContain('CreateOTAFirmware had taken effect before its answer was lost (it created package MINE)')
  })

  it('sends again when the lookup finds nothing, rethrows the last error and says the outcome stayed unknown', async () => {
    let n = 0
    let looked = 0
    const { api, sent } = clientOver(
      async () => {
        throw new TransportError(`lost ${++n}`, 'network', true)
      },
      { retry: retryTimes(3) }
    )
    const error = await api.deleteFirmware('F', async () => (looked++, undefined)).catch((e: unknown) => e)
    expect(error).toMatchObject({ message: 'lost 3' })
    expect([sent.length, looked]).toEqual([3, 2])
    expect(leftOutcomeUnknown(error)).toBe(true)
  })

  it('does not call a refused create unknown', async () => {
    const { api } = clientOver(async () => {
      throw new ApiError('CreateOTAFirmware', 'iot.firmware.AlreadyExistedFirmwareName', 'taken', 200)
    })
    const error = await api.createFirmware({} as never, none).catch((e: unknown) => e)
    expect(leftOutcomeUnknown(error)).toBe(false)
  })
})

describe('the client, fleet operations', () => {
  it('reads QueryDevice rows without ever keeping a DeviceSecret, and the next page token', async () => {
    const { api, sent } = clientOver(async () => ({
      Page: 1,
      PageSize: 2,
      Total: 3,
      NextToken: 'tok-2',
      Data: {
        DeviceInfo: [
          { DeviceName: 'd1', DeviceSecret: 'very-secret-1', DeviceStatus: 'ONLINE' },
          { deviceName: 'd2', deviceSecret: 'very-secret-2' }
        ]
      }
    }))
    const page = await api.queryDevices('P', 2, 50, 'tok-1')
    expect(page).toEqual({ Devices: [{ DeviceName: 'd1', DeviceStatus: 'ONLINE' }, { DeviceName: 'd2' }], Total: 3, NextToken: 'tok-2' })
    expect(JSON.stringify(page)).not.toContain('secret')
    expect(sent[0]).toEqual({ action: 'QueryDevice', method: 'POST', query: { ProductKey: 'P', CurrentPage: '2', PageSize: '50', NextToken: 'tok-1' } })
  })

  it('sends job tags as Tag.N.Key/Value and reads them back from a job row and a job', async () => {
    const { api, sent } = clientOver(async (action) =>
      action === 'ListOTAJobByFirmware'
        ? {
            PageCount: 1,
            Data: {
              SimpleOTAJobInfo: [{ JobId: 'J', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE', Tags: { OtaTagDTO: [{ Key: 'ota.plan', Value: 'p1' }] } }]
            }
          }
        : { Data: { JobId: 'J', UtcCreate: 'now' } }
    )
    await api.createStaticUpgradeJob(
      {
        FirmwareId: 'F',
        ProductKey: 'P',
        TargetSelection: 'SPECIFIC',
        DnListFileUrl: 'u',
        Tag: [
          { Key: 'ota.plan', Value: 'p1' },
          { Key: 'ota.stage', Value: '2' }
        ]
      },
      none
    )
    expect(sent[0]?.query).toMatchObject({ 'Tag.1.Key': 'ota.plan', 'Tag.1.Value': 'p1', 'Tag.2.Key': 'ota.stage', 'Tag.2.Value': '2', DnListFileUrl: 'u' })
    expect((await api.listJobsByFirmware('F'))[0]?.Tags).toEqual([{ Key: 'ota.plan', Value: 'p1' }])
  })

  it('reads the device-list form under its own field names (AccessKeyId, FileUrl)', async () => {
    const form = { Host: 'https://h', Key: 'ota/x/1.csv', AccessKeyId: 'k', Policy: 'p', Signature: 's', FileUrl: 'https://h/ota/x/1.csv' }
    const { api } = clientOver(async () => ({ Data: form }))
    await expect(api.generateDeviceListUrl()).resolves.toEqual(form)
  })

  it('reads device states and every page of a device’s module versions', async () => {
    const { api, sent } = clientOver(async (action, _m, q) =>
      action === 'BatchGetDeviceState'
        ? { DeviceStatusList: { DeviceStatus: [{ DeviceName: 'd1', Status: 'OFFLINE', LastOnlineTime: '2026-01-01 10:00:00' }] } }
        : { PageCount: 2, Data: { SimpleOTAModuleInfo: [{ ModuleName: `m${q.CurrentPage}`, ModuleVersion: '1.0.0' }] } }
    )
    await expect(api.deviceStates('P', ['d1'])).resolves.toEqual([{ DeviceName: 'd1', Status: 'OFFLINE', LastOnlineTime: '2026-01-01 10:00:00' }])
    await expect(api.moduleVersions('P', 'd1')).resolves.toEqual([
      { ModuleName: 'm1', ModuleVersion: '1.0.0' },
      { ModuleName: 'm2', ModuleVersion: '1.0.0' }
    ])
    expect(sent[0]?.query).toEqual({ ProductKey: 'P', 'DeviceName.1': 'd1' })
  })
})
