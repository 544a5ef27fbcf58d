import { beforeAll, describe, expect, it } from '@jest/globals'
import OSS from 'ali-oss'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from '../../emulator/index.js'
import { actionInputs, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction, type RunResult } from '../support/local-runner.js'

// A multipart upload in `upload-mode: oss` under faults: each request is retried on its own, and no
// upload is left open (its parts would be billed until someone aborts it).
const BUCKET = 'acme-firmware'
const KEY = 'ota/default/1.2.3/big.bin'
/** 110 MB: 7 parts of 16 MiB, over the 100 MiB from which the file goes up in parts. */
const SIZE = 110_000_000
const emulator = useEmulator()
/** The backoff on the emulator's clock (its floors: 0.25 s, at most 2 s), so that retries do not wait real seconds. */
const FAST_BACKOFF = { OTA_EMULATOR_MINUTE_MS: '1000' }

let workspace: string
let md5: string

beforeAll(async () => {
  workspace = await makeWorkspace({ 'README.txt': 1 })
  await mkdir(join(workspace, 'build'))
  // Written in 1 MiB chunks, so the test never holds the whole file; random bytes, so that no two
  // parts are alike, made natively (the runs share the machine with timing-sensitive tests).
  const hash = createHash('md5')
  const handle = await open(join(workspace, 'build', 'big.bin'), 'w')
  for (let offset = 0; offset < SIZE; offset += 1024 * 1024) {
    const chunk = randomBytes(Math.min(1024 * 1024, SIZE - offset))
    hash.update(chunk)
    await handle.write(chunk)
  }
  await handle.close()
  md5 = hash.digest('hex')
})

function ossClient(target: Emulator = emulator()): OSS {
  return new OSS({
    accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
    accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret,
    bucket: BUCKET,
    region: 'oss-cn-shanghai',
    endpoint: target.url,
    authorizationV4: true
  })
}

async function publish(overrides: Record<string, string> = {}, target: Emulator = emulator()): Promise<RunResult> {
  const inputs = actionInputs(target, { 'upload-mode': 'oss', 'oss-bucket': BUCKET, 'oss-endpoint': target.url, ...overrides })
  return runAction({ inputs, workspace, env: FAST_BACKOFF, timeoutMs: 120_000 })
}

const OSS_OPERATIONS = new Set([
  'HeadObject',
  'PutObject',
  'DeleteObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
  'ListMultipartUploads'
])
const requests = (target: Emulator = emulator()) => target.state.requests()
const count = (action: string, target: Emulator = emulator()): number => requests(target).filter((r) => r.action === action).length
/** The uploads of the key neither completed nor aborted, as ListMultipartUploads shows them (asked with the faults off). */
async function openUploads(target: Emulator = emulator()): Promise<string[]> {
  target.faults.clear()
  return (await ossClient(target).listUploads({ prefix: KEY })).uploads.map((u) => u.uploadId)
}

function expectOnePackageOfTheFile(run: RunResult): void {
  expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
  expect(run.code).toBe(0)
  expect(emulator().state.firmwares()).toHaveLength(1)
  expect(emulator().state.firmwares()[0]).toMatchObject({ FirmwareUrl: `${emulator().url}/${BUCKET}/${KEY}`, FirmwareSign: md5, FirmwareSize: SIZE })
  const stored = emulator()
    .state.objects()
    .filter((o) => o.bucket === BUCKET)
  expect(stored).toEqual([expect.objectContaining({ key: KEY, size: SIZE, md5 })])
  expect(run.stdout).toMatch(/Verified oss:\/\/acme-firmware\/ota\/default\/1\.2\.3\/big\.bin: CRC64 \d+, 110000000 bytes/)
}

describe('upload-mode: oss, a multipart upload under faults', () => {
  it('survives random faults on a quarter of all OSS requests: one package, the object verified, no upload left open', async () => {
    // Server errors, cut connections and lost answers (writes that took effect), drawn from a seed. The
    // same faults, with the same attempts, fail the whole-upload retry of earlier versions (and leave
    // uploads open): one attempt of a dozen requests then succeeds about 4 % of the time.
    emulator().faults.add({ kind: 'random', target: 'oss', seed: 22, rate: 0.25 })
    const run = await publish({ 'max-attempts': '10' })
    expectOnePackageOfTheFile(run)
    const oss = requests().filter((r) => OSS_OPERATIONS.has(r.action))
    const faulted = oss.filter((r) => r.status === 0 || r.status >= 500)
    expect(faulted.length).toBeGreaterThan(0)
    // Only what failed went again: each part once, plus once per fault it met; one warning per fault.
    expect(count('UploadPart')).toBe(7 + faulted.filter((r) => r.action === 'UploadPart').length)
    expect(run.stdout.match(/::warning::.*attempt \d+ of 10 failed/g)?.length).toBe(faulted.length)
    expect(await openUploads()).toEqual([])
  }, 150_000)

  it('a lost answer to InitiateMultipartUpload: the upload it opened is found and aborted', async () => {
    emulator().faults.add({ kind: 'lost-answer', action: 'InitiateMultipartUpload', count: 1 })
    const run = await publish()
    expectOnePackageOfTheFile(run)
    expect(count('InitiateMultipartUpload')).toBe(2)
    expect(count('UploadPart')).toBe(7)
    expect(count('ListMultipartUploads')).toBe(1)
    expect(count('AbortMultipartUpload')).toBe(1)
    expect(run.stdout).toMatch(/Aborted the unfinished multipart upload [0-9A-F]{32} of oss:\/\/acme-firmware\/ota\/default\/1\.2\.3\/big\.bin\./)
    expect(await openUploads()).toEqual([])
  }, 150_000)

  it('a lost answer to CompleteMultipartUpload: the retry finds the upload gone and the object whole, and accepts it', async () => {
    emulator().faults.add({ kind: 'lost-answer', action: 'CompleteMultipartUpload', count: 1 })
    const run = await publish()
    expectOnePackageOfTheFile(run)
    expect(requests().filter((r) => r.action === 'CompleteMultipartUpload')).toMatchObject([{ status: 0 }, { status: 404, code: 'NoSuchUpload' }])
    expect(count('UploadPart')).toBe(7)
    expect(count('DeleteObject')).toBe(0)
    expect(run.stdout).toContain('The answer to CompleteMultipartUpload was lost, and oss://acme-firmware/ota/default/1.2.3/big.bin holds the file')
    expect(await openUploads()).toEqual([])
  }, 150_000)

  it('a part refused for good ends the upload: it is aborted, and nothing is registered', async () => {
    const denied = { ...DEFAULT_ACCOUNT, deny: ['UploadPart'] }
    const local = await startEmulator({ port: 0, accounts: [denied] })
    try {
      const run = await publish({}, local)
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('::error title=OTA publish failed (AccessDenied)::UploadPart failed: AccessDenied')
      // The first refusal stops the other parts; each refusal is final (not retried).
      expect(count('UploadPart', local)).toBeLessThanOrEqual(4)
      expect(count('AbortMultipartUpload', local)).toBe(1)
      expect(local.state.firmwares()).toHaveLength(0)
      expect(await openUploads(local)).toEqual([])
    } finally {
      await local.close()
    }
  }, 150_000)
})
