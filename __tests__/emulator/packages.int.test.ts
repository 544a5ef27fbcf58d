import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from '../../emulator/index.js'
import { withEmulator } from '../support/emulator-harness.js'
import { rawRpc, uploadFirmwareFile } from '../support/rpc-call.js'

/** The official SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default

const DAY_MS = 86_400_000
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString()
const md5 = (text: string) => createHash('md5').update(text).digest('hex')

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ qpsLimit: 0 })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(() => emulator.reset())

function sdk(target = emulator): InstanceType<typeof IotClient> {
  return new IotClient(
    new $OpenApi.Config({
      accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
      accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret,
      endpoint: `127.0.0.1:${target.port}`,
      protocol: 'http'
    })
  )
}

/** A package created through the raw API from a fresh upload; its FirmwareId. */
async function createPackage(name: string, extra: Record<string, string> = {}, target = emulator): Promise<string> {
  const url = await uploadFirmwareFile(target, `image of ${name}`)
  const created = await rawRpc(target, 'CreateOTAFirmware', { FirmwareName: name, DestVersion: '2.0.0', FirmwareUrl: url, ...extra })
  expect(created.json).toMatchObject({ Success: true })
  return (created.json.Data as { FirmwareId: string }).FirmwareId
}

const del = (firmwareId: string, target = emulator) => rawRpc(target, 'DeleteOTAFirmware', { FirmwareId: firmwareId })

describe('ListOTAFirmware as the account-wide package counter', () => {
  it('without ProductKey lists every product’s packages (official SDK), Total being the account’s count', async () => {
    await createPackage('pk-a-1', { ProductKey: 'a1one' })
    await createPackage('pk-b-1', { ProductKey: 'a1two' })
    await createPackage('no-product')
    const page = await sdk().listOTAFirmware(new $Iot.ListOTAFirmwareRequest({ currentPage: 1, pageSize: 1 }))
    expect(page.body).toMatchObject({ success: true, total: 3, pageCount: 3, pageSize: 1, currentPage: 1 })
    const all = await sdk().listOTAFirmware(new $Iot.ListOTAFirmwareRequest({ currentPage: 1, pageSize: 100 }))
    expect(all.body?.firmwareInfo?.simpleFirmwareInfo?.map((f) => f.firmwareName).sort()).toEqual(['no-product', 'pk-a-1', 'pk-b-1'])
    const one = await sdk().listOTAFirmware(new $Iot.ListOTAFirmwareRequest({ currentPage: 1, pageSize: 100, productKey: 'a1two' }))
    expect(one.body?.total).toBe(1)
  })

  it.each<[Record<string, string>, number, string]>([
    [{ PageSize: '10' }, 400, 'MissingCurrentPage'],
    [{ CurrentPage: '1' }, 400, 'MissingPageSize'],
    [{ CurrentPage: '1', PageSize: '101' }, 200, 'iot.common.InvalidPageParams']
  ])('still requires paging without ProductKey: %j', async (params, status, code) => {
    const answer = await rawRpc(emulator, 'ListOTAFirmware', params)
    expect(answer.status).toBe(status)
    expect(answer.json.Code).toBe(code)
  })
})

describe('the package quota', () => {
  it('refuses the package beyond firmwareQuota, and a deletion frees the slot (official SDK)', async () => {
    await withEmulator({ firmwareQuota: 2, qpsLimit: 0 }, async (small) => {
      const first = await createPackage('q-1', {}, small)
      await createPackage('q-2', {}, small)
      const url = await uploadFirmwareFile(small, 'third')
      const third = () => rawRpc(small, 'CreateOTAFirmware', { FirmwareName: 'q-3', DestVersion: '1.0.0', FirmwareUrl: url })
      const over = await third()
      expect(over.status).toBe(200)
      expect(over.json).toMatchObject({ Success: false, Code: 'iot.firmware.FirmwareCountExceedLimit', ErrorMessage: expect.stringContaining('(2)') })
      const deleted = await sdk(small).deleteOTAFirmware(new $Iot.DeleteOTAFirmwareRequest({ firmwareId: first }))
      expect(deleted.body).toMatchObject({ success: true, requestId: expect.any(String) })
      expect((await third()).json).toMatchObject({ Success: true })
      expect(small.state.firmwares().map((f) => f.FirmwareName)).toEqual(['q-2', 'q-3'])
    })
  })
})

describe('DeleteOTAFirmware', () => {
  it('answers the common fields only, removes the uploaded file, and a second delete is iot.ota.FirmwareNotFound', async () => {
    const id = await createPackage('to-delete')
    const fileUrl = emulator.state.firmwares()[0]?.FirmwareUrl ?? ''
    expect(emulator.state.objects()).toHaveLength(1)
    const deleted = await del(id)
    expect(deleted.json).toEqual({ RequestId: expect.any(String), Success: true })
    expect(emulator.state.firmwares()).toEqual([])
    expect(emulator.state.objects()).toEqual([])
    expect((await fetch(fileUrl)).status).toBe(404)
    const again = await del(id)
    expect(again.status).toBe(200)
    expect(again.json).toMatchObject({ Success: false, Code: 'iot.ota.FirmwareNotFound', ErrorMessage: 'The specified firmware does not exist.' })
    expect((await rawRpc(emulator, 'DeleteOTAFirmware')).json.Code).toBe('MissingFirmwareId')
  })

  it('keeps a file another package registered too', async () => {
    const url = await uploadFirmwareFile(emulator, 'shared image')
    for (const name of ['shared-a', 'shared-b']) {
      expect((await rawRpc(emulator, 'CreateOTAFirmware', { FirmwareName: name, DestVersion: '1.0.0', FirmwareUrl: url })).json.Success).toBe(true)
    }
    const [a] = emulator.state.firmwares()
    expect((await del(a?.FirmwareId ?? '')).json.Success).toBe(true)
    expect(emulator.state.objects()).toHaveLength(1)
    expect((await fetch(url)).status).toBe(200)
  })

  it('refuses a package with an IN_PROGRESS verify job, then deletes it once the job is cancelled', async () => {
    const id = await createPackage('verifying', { ProductKey: 'a1pk' })
    const job = await rawRpc(emulator, 'CreateOTAVerifyJob', { FirmwareId: id, ProductKey: 'a1pk', 'TargetDeviceName.1': 'test-device-1' })
    const jobId = (job.json.Data as { JobId: string }).JobId
    const refused = await del(id)
    expect(refused.json).toMatchObject({ Success: false, Code: 'iot.system.IllegalRequest', ErrorMessage: expect.stringContaining(jobId) })
    expect(emulator.state.firmwares()).toHaveLength(1)
    const flags = { CancelQueuedTask: 'true', CancelNotifiedTask: 'true', CancelInProgressTask: 'true' }
    expect((await rawRpc(emulator, 'CancelOTATaskByJob', { JobId: jobId, ...flags })).json.Success).toBe(true)
    expect((await del(id)).json).toMatchObject({ Success: true })
  })

  it('refuses a package with a PLANNED static job until CancelScheduledTask', async () => {
    const id = await createPackage('scheduled', { ProductKey: 'a1pk', NeedToVerify: 'false' })
    const job = await rawRpc(emulator, 'CreateOTAStaticUpgradeJob', {
      FirmwareId: id,
      ProductKey: 'a1pk',
      TargetSelection: 'ALL',
      ScheduleTime: String(Date.now() + 3_600_000)
    })
    const jobId = (job.json.Data as { JobId: string }).JobId
    expect((await rawRpc(emulator, 'QueryOTAJob', { JobId: jobId })).json.Data).toMatchObject({ JobStatus: 'PLANNED' })
    expect((await del(id)).json).toMatchObject({ Success: false, Code: 'iot.system.IllegalRequest' })
    expect((await rawRpc(emulator, 'CancelOTATaskByJob', { JobId: jobId, CancelScheduledTask: 'true' })).json.Success).toBe(true)
    expect((await del(id)).json).toMatchObject({ Success: true })
  })

  it('refuses a package with a dynamic job until CancelOTAStrategyByJob', async () => {
    const id = await createPackage('dynamic', { ProductKey: 'a1pk', NeedToVerify: 'false' })
    const job = await rawRpc(emulator, 'CreateOTADynamicUpgradeJob', { FirmwareId: id, ProductKey: 'a1pk', 'SrcVersion.1': '0.0.1' })
    const jobId = (job.json.Data as { JobId: string }).JobId
    expect((await del(id)).json).toMatchObject({ Success: false, Code: 'iot.system.IllegalRequest' })
    expect((await rawRpc(emulator, 'CancelOTAStrategyByJob', { JobId: jobId })).json.Success).toBe(true)
    expect((await del(id)).json).toMatchObject({ Success: true })
  })

  it('is held to the QPS limit like every operation', async () => {
    await withEmulator({ qpsLimit: 1 }, async (limited) => {
      expect((await del('nope', limited)).json.Code).toBe('iot.ota.FirmwareNotFound')
      const second = await del('nope', limited)
      expect(second.status).toBe(400)
      expect(second.json.Code).toBe('Throttling.User')
    })
  })
})

describe('seed packages, created in the past', () => {
  const seeds = [
    { FirmwareName: 'old-40d', DestVersion: '1.0.0', UtcCreate: daysAgo(40), ProductKey: 'a1pk', content: 'forty days' },
    { FirmwareName: 'old-10d', DestVersion: '1.1.0', UtcCreate: daysAgo(10), ProductKey: 'a1pk', NeedToVerify: false }
  ]

  it('are in the account from the start, listed by age with their UtcCreate, downloadable, and back after reset', async () => {
    await withEmulator({ seedFirmwares: seeds, qpsLimit: 0 }, async (seeded) => {
      await createPackage('new-today', { ProductKey: 'a1pk' }, seeded)
      const listed = await sdk(seeded).listOTAFirmware(new $Iot.ListOTAFirmwareRequest({ currentPage: 1, pageSize: 10 }))
      const rows = listed.body?.firmwareInfo?.simpleFirmwareInfo ?? []
      expect(rows.map((r) => r.firmwareName)).toEqual(['new-today', 'old-10d', 'old-40d'])
      expect(rows[2]).toMatchObject({ utcCreate: seeds[0]?.UtcCreate, firmwareSign: md5('forty days'), firmwareSize: 10, status: 0 })
      expect(rows[1]).toMatchObject({ status: -1 })
      const info = await sdk(seeded).queryOTAFirmware(new $Iot.QueryOTAFirmwareRequest({ firmwareId: rows[2]?.firmwareId }))
      expect(await (await fetch(info.body?.firmwareInfo?.firmwareUrl ?? '')).text()).toBe('forty days')
      seeded.reset()
      expect(seeded.state.firmwares().map((f) => f.FirmwareName)).toEqual(['old-40d', 'old-10d'])
    })
  })

  it('follow CreateOTAFirmware’s rules: a bad seed stops the start', async () => {
    await expect(startEmulator({ seedFirmwares: [{ FirmwareName: 'bad name!', DestVersion: '1' }] })).rejects.toThrow(
      /Seed package bad name!: iot\.firmware\.IncorrectFormattedFirmwareName/
    )
    await expect(startEmulator({ seedFirmwares: [{ FirmwareName: 'future', DestVersion: '1', UtcCreate: '2999-01-01T00:00:00Z' }] })).rejects.toThrow(
      /in the future/
    )
    await expect(startEmulator({ firmwareQuota: 1, seedFirmwares: [seeds[0]!, seeds[1]!] })).rejects.toThrow(/FirmwareCountExceedLimit/)
  })

  it('can be added over the control API, all or none', async () => {
    const post = (body: unknown) => fetch(`${emulator.url}/__emulator/firmwares`, { method: 'POST', body: JSON.stringify(body) })
    const added = await post(seeds)
    expect(added.status).toBe(200)
    expect(((await added.json()) as Array<{ FirmwareName: string; UtcCreate: string }>).map((f) => [f.FirmwareName, f.UtcCreate])).toEqual(
      seeds.map((s) => [s.FirmwareName, s.UtcCreate])
    )
    const refused = await post([
      { FirmwareName: 'fine', DestVersion: '1.0.0' },
      { FirmwareName: 'old-40d', DestVersion: '1.0.0' }
    ])
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: string }).error).toMatch(/AlreadyExistedFirmwareName/)
    expect((await post({ FirmwareName: 'x' })).status).toBe(400)
    expect(emulator.state.firmwares().map((f) => f.FirmwareName)).toEqual(['old-40d', 'old-10d'])
    expect(emulator.state.objects()).toHaveLength(2)
  })

  it('can be pruned by age: delete what is older than 30 days', async () => {
    await withEmulator({ seedFirmwares: seeds, qpsLimit: 0 }, async (seeded) => {
      const rows = (await rawRpc(seeded, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '100' })).json.FirmwareInfo as {
        SimpleFirmwareInfo: Array<{ FirmwareId: string; UtcCreate: string }>
      }
      const old = rows.SimpleFirmwareInfo.filter((r) => Date.parse(r.UtcCreate) < Date.now() - 30 * DAY_MS)
      expect(old).toHaveLength(1)
      for (const row of old) expect((await del(row.FirmwareId, seeded)).json.Success).toBe(true)
      expect(seeded.state.firmwares().map((f) => f.FirmwareName)).toEqual(['old-10d'])
    })
  })
})
