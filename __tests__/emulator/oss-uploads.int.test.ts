import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import OSS from 'ali-oss'
import { randomBytes } from 'node:crypto'
import { startEmulator, DEFAULT_ACCOUNT, type Emulator } from '../../emulator/index.js'

const BUCKET = 'acme-firmware'

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ qpsLimit: 0 })
})
afterAll(async () => {
  await emulator.close()
})
beforeEach(() => emulator.reset())

/** ali-oss on the emulator's IP endpoint: the bucket in the Host, as production addresses it. */
function oss(v4 = true, target = emulator): OSS {
  return new OSS({
    accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
    accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret,
    bucket: BUCKET,
    region: 'oss-cn-shanghai',
    endpoint: target.url,
    authorizationV4: v4,
    retryMax: 0
  } as OSS.Options)
}

const open = async (client: OSS, query: Record<string, string | number> = {}) => (await client.listUploads(query)).uploads.map((u) => u.name)

describe('ListMultipartUploads through ali-oss', () => {
  it.each([
    ['V4', true],
    ['V1', false]
  ])('lists the uploads initiated and not finished, oldest first per key (%s signature)', async (_scheme, v4) => {
    const client = oss(v4)
    expect(await open(client)).toEqual([])
    const b = await client.initMultipartUpload('ota/b.bin')
    const a1 = await client.initMultipartUpload('ota/a.bin')
    const a2 = await client.initMultipartUpload('ota/a.bin')
    const listed = await client.listUploads({})
    expect(listed.uploads).toEqual([
      { name: 'ota/a.bin', uploadId: a1.uploadId, initiated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
      { name: 'ota/a.bin', uploadId: a2.uploadId, initiated: expect.any(String) },
      { name: 'ota/b.bin', uploadId: b.uploadId, initiated: expect.any(String) }
    ])
    expect(listed).toMatchObject({ bucket: BUCKET, isTruncated: false })
    await client.abortMultipartUpload('ota/a.bin', a1.uploadId)
    await client.abortMultipartUpload('ota/a.bin', a2.uploadId)
    expect(await open(client)).toEqual(['ota/b.bin'])
  })

  it('pages with max-uploads and the markers, and filters on prefix', async () => {
    const client = oss()
    for (const key of ['x/1', 'x/2', 'y/1']) await client.initMultipartUpload(key)
    const first = await client.listUploads({ 'max-uploads': 2 })
    expect(first.uploads.map((u) => u.name)).toEqual(['x/1', 'x/2'])
    expect(first).toMatchObject({ isTruncated: true, nextKeyMarker: 'x/2' })
    const second = await client.listUploads({ 'max-uploads': 2, 'key-marker': first.nextKeyMarker, 'upload-id-marker': first.nextUploadIdMarker })
    expect(second.uploads.map((u) => u.name)).toEqual(['y/1'])
    expect(second.isTruncated).toBe(false)
    expect(await open(client, { prefix: 'x/' })).toEqual(['x/1', 'x/2'])
  })

  it('a completed upload is no longer open', async () => {
    const client = oss()
    await client.multipartUpload('ota/done.bin', randomBytes(250 * 1024), { partSize: 100 * 1024 })
    expect(await open(client)).toEqual([])
  })

  it('an upload whose part failed stays open until aborted', async () => {
    const client = oss()
    emulator.faults.add({ kind: 'server-error', action: 'UploadPart', count: 10 })
    await expect(client.multipartUpload('ota/broken.bin', randomBytes(250 * 1024), { partSize: 100 * 1024, parallel: 1 })).rejects.toMatchObject({
      status: 500
    })
    emulator.faults.clear()
    const [left] = (await client.listUploads({})).uploads
    expect(left?.name).toBe('ota/broken.bin')
    await client.abortMultipartUpload('ota/broken.bin', left?.uploadId ?? '')
    expect(await open(client)).toEqual([])
  })

  it('needs a signature, and other bucket operations stay NotImplemented', async () => {
    const anonymous = await fetch(`${emulator.url}/${BUCKET}/?uploads`)
    expect(anonymous.status).toBe(403)
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>')
    await expect(oss().list({ 'max-keys': 10 }, {})).rejects.toMatchObject({ status: 501, code: 'NotImplemented' })
  })

  it('refuses a max-uploads out of range', async () => {
    await expect(oss().listUploads({ 'max-uploads': 1001 })).rejects.toMatchObject({ status: 400, code: 'InvalidArgument' })
  })
})
