import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { fleetSpecs, startEmulator, type Emulator } from '../../emulator/index.js'
import { codeOf, rawCall } from '../support/rpc-call.js'

const PK = 'a1FleetApi'

let emulator: Emulator

beforeAll(async () => {
  const devices = [
    { name: 'named-1', nickname: 'Hall sensor' },
    { name: 'late-1', behaviour: 'offline' as const, onlineAtMinute: 1000 },
    { name: 'off-1', disabled: true },
    { name: 'mcu-1', versions: { mcu: '0.9.0' } },
    ...fleetSpecs(10_050, 0)
  ]
  emulator = await startEmulator({ qpsLimit: 0, devices, modules: { [PK]: ['wifi'] } })
})

afterAll(async () => {
  await emulator.close()
})

const names = (rows: { DeviceName: string }[]) => rows.map((r) => r.DeviceName)

describe('QueryDevice', () => {
  it('pages newest first with Page (not CurrentPage), PageCount, Total and a NextToken', async () => {
    const { json } = await rawCall(emulator, 'QueryDevice', { ProductKey: PK })
    expect(json).toMatchObject({ Success: true, Page: 1, PageSize: 10, PageCount: 1006, Total: 10_054 })
    expect(json.CurrentPage).toBeUndefined()
    expect(typeof json.NextToken).toBe('string')
    expect(json.NextToken).not.toBe('')
    const rows = json.Data.DeviceInfo
    expect(names(rows).slice(0, 2)).toEqual(['fleet-10050', 'fleet-10049'])
    expect(rows[0]).toMatchObject({
      ProductKey: PK,
      DeviceStatus: 'ONLINE',
      IotId: expect.stringMatching(/000100$/),
      DeviceSecret: expect.stringMatching(/^[0-9a-f]{32}$/)
    })
    expect(Date.parse(rows[0].UtcCreate)).toBeGreaterThan(Date.parse(rows[1].UtcCreate))
    expect(rows[0].GmtCreate).toMatch(/^\w{3}, \d{2}-\w{3}-\d{4} \d{2}:\d{2}:\d{2} GMT$/)
  })

  it('shows each device status, its nickname, a secret per device', async () => {
    const { json } = await rawCall(emulator, 'QueryDevice', { ProductKey: PK, CurrentPage: '202', PageSize: '50' })
    // Page 202 of 50 ends at row 10,100 > 10,000: without a NextToken there is no data.
    expect(json).toMatchObject({ Page: 202, Total: 10_054, NextToken: '', Data: { DeviceInfo: [] } })
    const last = await walk(50, 202)
    const byName = Object.fromEntries(last.map((r) => [r.DeviceName, r]))
    expect(byName['named-1']).toMatchObject({ Nickname: 'Hall sensor', DeviceStatus: 'ONLINE' })
    expect(byName['late-1']?.DeviceStatus).toBe('UNACTIVE')
    expect(byName['off-1']?.DeviceStatus).toBe('DISABLE')
    expect(new Set(last.map((r) => r.DeviceSecret)).size).toBe(last.length)
  })

  it.each<[string, Record<string, string>, string]>([
    ['no ProductKey', {}, 'MissingProductKey'],
    ['PageSize 51', { ProductKey: PK, PageSize: '51' }, 'iot.common.InvalidPageParams'],
    ['CurrentPage 0', { ProductKey: PK, CurrentPage: '0' }, 'iot.common.InvalidPageParams'],
    ['a forged NextToken', { ProductKey: PK, CurrentPage: '2', NextToken: 'MTAuZm9yZ2Vk' }, 'iot.check.InvalidFormattedParameter']
  ])('refuses %s', async (_label, params, code) => {
    expect(await codeOf(emulator, 'QueryDevice', params)).toBe(code)
  })

  it('a NextToken continues only from the page before CurrentPage, for its own product', async () => {
    const first = (await rawCall(emulator, 'QueryDevice', { ProductKey: PK, PageSize: '20' })).json
    expect(await codeOf(emulator, 'QueryDevice', { ProductKey: PK, PageSize: '20', CurrentPage: '3', NextToken: first.NextToken })).toBe(
      'iot.common.InvalidPageParams'
    )
    expect(await codeOf(emulator, 'QueryDevice', { ProductKey: 'a1Other', PageSize: '20', CurrentPage: '2', NextToken: first.NextToken })).toBe(
      'iot.check.InvalidFormattedParameter'
    )
    const second = (await rawCall(emulator, 'QueryDevice', { ProductKey: PK, PageSize: '20', CurrentPage: '2', NextToken: first.NextToken })).json
    expect(names(second.Data.DeviceInfo)[0]).toBe('fleet-10030')
  })
})

/** Pages with NextToken from page 1 to `pages`, keeping the last page's rows. */
async function walk(size: number, pages: number): Promise<{ DeviceName: string; DeviceStatus: string; DeviceSecret: string; Nickname?: string }[]> {
  let token: string | undefined
  let rows: never[] = []
  for (let page = 1; page <= pages; page++) {
    const { json } = await rawCall(emulator, 'QueryDevice', {
      ProductKey: PK,
      PageSize: String(size),
      CurrentPage: String(page),
      ...(token && { NextToken: token })
    })
    rows = json.Data.DeviceInfo
    token = json.NextToken
  }
  expect(token).toBe('')
  return rows
}

describe('BatchGetDeviceState', () => {
  it('answers per device, in the order asked, with LastOnlineTime in UTC+8 and the raw Timestamp', async () => {
    const { json } = await rawCall(emulator, 'BatchGetDeviceState', {
      ProductKey: PK,
      'DeviceName.1': 'late-1',
      'DeviceName.2': 'named-1',
      'DeviceName.3': 'off-1'
    })
    const rows = json.DeviceStatusList.DeviceStatus
    expect(rows.map((r: { Status: string }) => r.Status)).toEqual(['UNACTIVE', 'ONLINE', 'DISABLE'])
    expect(rows[1]).toMatchObject({ DeviceName: 'named-1', LastOnlineTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/) })
    expect(rows[1].AsAddress).toMatch(/^10\./)
    expect(typeof rows[1].Timestamp).toBe('number')
    expect(rows[0].LastOnlineTime).toBeUndefined()
    // Eight hours ahead of UTC: the time zone of the documented samples.
    const shown = Date.parse(`${rows[1].LastOnlineTime.replace(' ', 'T')}Z`) - 8 * 3_600_000
    expect(Math.abs(shown - rows[1].Timestamp)).toBeLessThan(1000)
  })

  it('takes IotId.N instead (and prefers it)', async () => {
    const listed = (await rawCall(emulator, 'QueryDevice', { ProductKey: PK, PageSize: '2' })).json.Data.DeviceInfo
    const { json } = await rawCall(emulator, 'BatchGetDeviceState', {
      'IotId.1': listed[1].IotId,
      'IotId.2': listed[0].IotId,
      ProductKey: PK,
      'DeviceName.1': 'named-1'
    })
    expect(names(json.DeviceStatusList.DeviceStatus)).toEqual(['fleet-10049', 'fleet-10050'])
  })

  it.each<[string, Record<string, string>, string]>([
    [
      '51 devices',
      { ProductKey: PK, ...Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`DeviceName.${i + 1}`, `fleet-${String(i + 1).padStart(5, '0')}`])) },
      'iot.system.IllegalRequest'
    ],
    ['a device twice', { ProductKey: PK, 'DeviceName.1': 'named-1', 'DeviceName.2': 'named-1' }, 'iot.system.IllegalRequest'],
    ['an unknown device', { ProductKey: PK, 'DeviceName.1': 'named-1', 'DeviceName.2': 'ghost-1' }, 'iot.device.NotExistedDevice'],
    ['an unknown IotId', { 'IotId.1': 'no-such-iot-id' }, 'iot.device.NotExistedDevice'],
    ['names without ProductKey', { 'DeviceName.1': 'named-1' }, 'iot.check.NullParameter'],
    ['nothing', {}, 'iot.check.NullParameter']
  ])('refuses %s', async (_label, params, code) => {
    expect(await codeOf(emulator, 'BatchGetDeviceState', params)).toBe(code)
  })
})

describe('ListOTAModuleVersionsByDevice', () => {
  it('lists every module the device reports a version on, with the paging fields', async () => {
    const { json } = await rawCall(emulator, 'ListOTAModuleVersionsByDevice', { ProductKey: PK, DeviceName: 'mcu-1', PageSize: '10', CurrentPage: '1' })
    expect(json).toMatchObject({ CurrentPage: 1, PageSize: 10, PageCount: 1, Total: 3 })
    expect(json.Data.SimpleOTAModuleInfo).toEqual([
      { ModuleName: 'default', ModuleVersion: '1.0.0', DeviceName: 'mcu-1', IotId: expect.any(String), ProductKey: PK },
      { ModuleName: 'wifi', ModuleVersion: '1.0.0', DeviceName: 'mcu-1', IotId: expect.any(String), ProductKey: PK },
      { ModuleName: 'mcu', ModuleVersion: '0.9.0', DeviceName: 'mcu-1', IotId: expect.any(String), ProductKey: PK }
    ])
    const iotId = json.Data.SimpleOTAModuleInfo[0].IotId
    const page2 = (await rawCall(emulator, 'ListOTAModuleVersionsByDevice', { IotId: iotId, PageSize: '2', CurrentPage: '2' })).json
    expect(page2).toMatchObject({ Total: 3, PageCount: 2, Data: { SimpleOTAModuleInfo: [{ ModuleName: 'mcu' }] } })
  })

  it.each<[string, Record<string, string>, string]>([
    ['no PageSize', { ProductKey: PK, DeviceName: 'mcu-1', CurrentPage: '1' }, 'MissingPageSize'],
    ['no CurrentPage', { ProductKey: PK, DeviceName: 'mcu-1', PageSize: '10' }, 'MissingCurrentPage'],
    ['PageSize 201', { ProductKey: PK, DeviceName: 'mcu-1', PageSize: '201', CurrentPage: '1' }, 'iot.common.InvalidPageParams'],
    ['no device', { PageSize: '10', CurrentPage: '1' }, 'iot.check.NullParameter'],
    ['an unknown device', { ProductKey: PK, DeviceName: 'ghost-1', PageSize: '10', CurrentPage: '1' }, 'iot.device.NotExistedDevice']
  ])('refuses %s', async (_label, params, code) => {
    expect(await codeOf(emulator, 'ListOTAModuleVersionsByDevice', params)).toBe(code)
  })
})

describe('QPS of their own', () => {
  it('QueryDevice past row 100,000 is limited to 2 a second, CancelOTATaskByJob to 5, besides the 10 for all', async () => {
    const limited = await startEmulator({ devices: fleetSpecs(3, 0) })
    try {
      const deep = { ProductKey: PK, CurrentPage: '2000', PageSize: '50' }
      const deepCodes = [await codeOf(limited, 'QueryDevice', deep), await codeOf(limited, 'QueryDevice', deep), await codeOf(limited, 'QueryDevice', deep)]
      expect(deepCodes).toEqual(['accepted', 'accepted', 'Throttling.User'])
      expect(await codeOf(limited, 'QueryDevice', { ProductKey: PK })).toBe('accepted')
      const cancels = []
      for (let i = 0; i < 6; i++) cancels.push(await codeOf(limited, 'CancelOTATaskByJob', { JobId: 'no-such-job', CancelQueuedTask: 'true' }))
      expect(cancels).toEqual([...Array(5).fill('iot.ota.InvalidJobId'), 'Throttling.User'])
    } finally {
      await limited.close()
    }
  })
})
