import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import OSS from 'ali-oss'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator, type Fault } from '../../emulator/index.js'
import { rawRpc, uploadFirmwareFile } from '../support/rpc-call.js'

const BUCKET = 'acme-firmware'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ qpsLimit: 0 })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(() => emulator.reset())

/** ali-oss that never retries: one call, one request. */
function oss(): OSS {
  return new OSS({
    accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
    accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret,
    bucket: BUCKET,
    region: 'oss-cn-shanghai',
    endpoint: emulator.url,
    authorizationV4: true,
    retryMax: 0
  } as OSS.Options)
}

/** What each of the requests since `from` got: the HTTP status, 0 when the connection was cut. */
const statusesSince = (from: number) =>
  emulator.state
    .requests()
    .slice(from)
    .map((r) => r.status)

/** `count` PutObjects one after another under a fault; the statuses the emulator answered. */
async function putsUnder(fault: Fault, count: number): Promise<number[]> {
  emulator.reset()
  emulator.faults.add(fault)
  const client = oss()
  for (let i = 0; i < count; i++) await client.put(`ota/${i}.bin`, Buffer.from(`file ${i}`)).catch(() => undefined)
  return statusesSince(0)
}

/** `count` ListOTAFirmware calls one after another under a fault; the statuses answered (0: cut). */
async function listsUnder(fault: Fault, count: number): Promise<number[]> {
  emulator.reset()
  emulator.faults.add(fault)
  for (let i = 0; i < count; i++) await rawRpc(emulator, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '1' }).catch(() => undefined)
  return statusesSince(0)
}

describe('seeded random OSS faults', () => {
  const fault: Fault = { kind: 'random', target: 'oss', seed: 20240601, rate: 0.5 }

  it('are the same for the same seed, and differ for another', async () => {
    const first = await putsUnder(fault, 30)
    expect(first).toHaveLength(30)
    expect(new Set(first)).toEqual(new Set([200, 0, 500, 503]))
    expect(await putsUnder(fault, 30)).toEqual(first)
    expect(await putsUnder({ ...fault, seed: 1 }, 30)).not.toEqual(first)
  })

  it('a lost answer happens after the write took effect: every initiated upload is open, answered or not', async () => {
    emulator.faults.add({ kind: 'random', target: 'oss', seed: 5, rate: 0.5, outcomes: ['lost-answer'] })
    const client = oss()
    const outcomes: boolean[] = []
    for (let i = 0; i < 8; i++)
      outcomes.push(
        await client.initMultipartUpload(`ota/part-${i}.bin`).then(
          () => true,
          () => false
        )
      )
    expect(outcomes).toContain(false)
    expect(outcomes).toContain(true)
    emulator.faults.clear()
    expect((await client.listUploads({})).uploads).toHaveLength(8)
  })

  it('never loses the answer of a read (nothing to lose), and stays until cleared', async () => {
    emulator.faults.add({ kind: 'random', target: 'oss', seed: 9, rate: 1, outcomes: ['lost-answer'] })
    const client = oss()
    await client.put('ota/x.bin', Buffer.from('x')).catch(() => undefined)
    expect((await client.head('ota/x.bin')).status).toBe(200)
    expect(emulator.faults.list()).toEqual([{ kind: 'random', target: 'oss', seed: 9, rate: 1, outcomes: ['lost-answer'] }])
  })

  it('strike the platform bucket’s PostObject too, and never the IoT API', async () => {
    emulator.faults.add({ kind: 'random', target: 'oss', seed: 3, rate: 1, outcomes: ['lost-answer'] })
    await expect(uploadFirmwareFile(emulator, 'stored, answer lost')).rejects.toThrow()
    expect(emulator.state.objects()).toHaveLength(1)
    expect(emulator.state.requests().map((r) => [r.action, r.status])).toEqual([
      ['GenerateOTAUploadURL', 200],
      ['PostObject', 0]
    ])
  })

  it('come after counted faults, which win', async () => {
    emulator.faults.add({ kind: 'random', target: 'oss', seed: 3, rate: 1, outcomes: ['drop'] })
    emulator.faults.add({ kind: 'server-error', action: 'PutObject', count: 1, status: 503 })
    await oss()
      .put('ota/y.bin', Buffer.from('y'))
      .catch(() => undefined)
    await oss()
      .put('ota/y.bin', Buffer.from('y'))
      .catch(() => undefined)
    expect(statusesSince(0)).toEqual([503, 0])
  })
})

describe('a lost InitiateMultipartUpload answer', () => {
  it('leaves an upload open that ListMultipartUploads shows', async () => {
    emulator.faults.add({ kind: 'lost-answer', action: 'InitiateMultipartUpload', count: 1 })
    const client = oss()
    await expect(client.initMultipartUpload('ota/lost.bin')).rejects.toThrow()
    const [open] = (await client.listUploads({})).uploads
    expect(open).toMatchObject({ name: 'ota/lost.bin', uploadId: expect.stringMatching(/^[0-9A-F]{32}$/) })
    await client.abortMultipartUpload('ota/lost.bin', open?.uploadId ?? '')
    expect((await client.listUploads({})).uploads).toEqual([])
  })
})

describe('seeded random IoT faults', () => {
  it('are the same for the same seed', async () => {
    const fault: Fault = { kind: 'random', target: 'iot', seed: 77, rate: 0.5 }
    const first = await listsUnder(fault, 30)
    expect(new Set(first)).toEqual(new Set([200, 400, 500, 503, 0]))
    expect(await listsUnder(fault, 30)).toEqual(first)
  })

  it('throttle in both forms: 400 Throttling.User and 200 iot.common.TooManyRequest', async () => {
    emulator.faults.add({ kind: 'random', target: 'iot', seed: 11, rate: 1, outcomes: ['throttle'] })
    const codes = new Set<unknown>()
    for (let i = 0; i < 12; i++) {
      const answer = await rawRpc(emulator, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '1' })
      codes.add(`${answer.status} ${String(answer.json.Code)}`)
    }
    expect(codes).toEqual(new Set(['400 Throttling.User', '200 iot.common.TooManyRequest']))
  })

  it('lose the answers of writes after they took effect, and leave reads alone', async () => {
    emulator.faults.add({ kind: 'random', target: 'iot', seed: 11, rate: 1, outcomes: ['lost-answer'] })
    await expect(rawRpc(emulator, 'CreateOTAModule', { ProductKey: 'a1pk', ModuleName: 'wifi' })).rejects.toThrow()
    const listed = await rawRpc(emulator, 'ListOTAModuleByProduct', { ProductKey: 'a1pk' }, { method: 'GET' })
    expect((listed.json.Data as Array<{ ModuleName: string }>).map((m) => m.ModuleName)).toEqual(['default', 'wifi'])
  })

  it('can be added over the control API, and never touch OSS', async () => {
    const posted = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'random', target: 'iot', seed: 1, rate: 1, outcomes: ['drop'] })
    })
    expect(posted.status).toBe(200)
    await oss().put('ota/z.bin', Buffer.from('z'))
    await expect(rawRpc(emulator, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '1' })).rejects.toThrow()
    const refused = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'random', target: 'iot', seed: 1, rate: 2 })
    })
    expect(refused.status).toBe(400)
  })
})
