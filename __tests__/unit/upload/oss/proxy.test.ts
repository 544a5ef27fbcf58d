import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from '../../../../emulator/index.js'
import type { Artifact } from '../../../../src/files/artifact.js'
import { ActionError } from '../../../../src/contract/action-error.js'
import { createOssUploader } from '../../../../src/upload/oss/uploader.js'
import { createRetrier } from '../../../../src/platform/retrier.js'
import type { OssTarget } from '../../../../src/config/upload-settings.js'
import { startTestProxy, type TestProxy } from '../../../support/test-proxy.js'

// ali-oss's requests (upload-mode oss) take the same proxy route as the action's own. The endpoint
// is a .test name only the proxy can route to; the bucket is reached virtual-hosted, as OSS reads it.
const HOST = 'oss-cn-shanghai.emulator.test'
const BUCKET = 'acme-firmware'
const VHOST = `${BUCKET}.${HOST}`
const target: OssTarget = { bucket: BUCKET, region: 'cn-shanghai', endpoint: `http://${HOST}`, pathStyle: false, keyTemplate: 'ota/{file}' }

let emulator: Emulator
let dir: string
let artifact: Artifact
let proxy: TestProxy | undefined
const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY }

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, hostName: 'emulator.test' })
  dir = await mkdtemp(join(tmpdir(), 'oss-proxy-'))
  const path = join(dir, 'app.bin')
  await writeFile(path, Buffer.alloc(70_000, 7))
  artifact = { path, displayPath: 'app.bin', size: 70_000, suffix: 'bin' } as Artifact
})
afterAll(async () => {
  await emulator.close()
  await rm(dir, { recursive: true, force: true })
})
afterEach(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await proxy?.close()
  proxy = undefined
  emulator.reset()
})

async function useProxy(auth?: { user: string; password: string }, password = auth?.password): Promise<TestProxy> {
  proxy = await startTestProxy({ routes: { [`${VHOST}:80`]: emulator.port }, auth })
  const credentials = auth ? `${auth.user}:${password ?? ''}@` : ''
  process.env.HTTP_PROXY = `http://${credentials}127.0.0.1:${proxy.port}`
  delete process.env.NO_PROXY
  return proxy
}

function uploader() {
  const log = { info: () => undefined, warning: () => undefined, debug: () => undefined }
  // Each request may be retried: a refused tunnel must still be tried once only.
  const policy = {
    maxAttempts: 3,
    baseDelayMs: 1,
    maxDelayMs: 1,
    deadline: Number.POSITIVE_INFINITY,
    now: Date.now,
    sleep: async () => undefined,
    random: () => 0
  }
  const retry = createRetrier(policy, log)
  return createOssUploader({ target, key: 'ota/app.bin', credentials: DEFAULT_ACCOUNT, requestTimeoutMs: 10_000, retry, now: Date.now, log })
}

describe('upload-mode oss behind a proxy', () => {
  it('sends every OSS request through the tunnel, with the proxy credentials', async () => {
    const through = await useProxy({ user: 'ci', password: 's3cret' })
    const uploaded = await uploader().upload(artifact, ['MD5'])
    expect(uploaded.size).toBe(70_000)
    expect(emulator.state.objects()).toEqual([expect.objectContaining({ bucket: BUCKET, key: 'ota/app.bin', size: 70_000 })])
    const ossCalls = emulator.state.requests().map((r) => r.action)
    expect(ossCalls).toEqual(['HeadObject', 'PutObject', 'HeadObject'])
    // One tunnel per request (tunnel keeps no idle connection), each authenticated.
    const tunnels = through.requests()
    expect(tunnels).toHaveLength(ossCalls.length)
    for (const t of tunnels) expect(t).toEqual({ method: 'CONNECT', target: `${VHOST}:80`, authenticated: true, status: 200 })
  })

  it('a wrong proxy password: one refused tunnel and a permanent error naming HTTP_PROXY, not the password', async () => {
    const through = await useProxy({ user: 'ci', password: 's3cret' }, 'wr0ng')
    const err = await uploader()
      .upload(artifact, ['MD5'])
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as Error).message).toContain(`HTTP_PROXY (http://127.0.0.1:${through.port}) refused to open a tunnel to ${VHOST}:80: HTTP 407`)
    expect((err as Error).message).not.toContain('wr0ng')
    expect(through.requests()).toHaveLength(1)
    expect(emulator.state.requests()).toHaveLength(0)
  })
})
