import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EmulatorContext } from './context.js'
import { FaultRegistry, type FaultController } from './faults.js'
import { randomHex } from './ids.js'
import { JobModel } from './jobs/jobs.js'
import { NonceCache } from './nonce-cache.js'
import { resolveSettings, type EmulatorOptions } from './options.js'
import { RateLimiter } from './rate-limit.js'
import { route } from './router.js'
import { REPLAY_WINDOW_MS } from './rpc-auth.js'
import { Store, type FirmwareRecord, type RequestRecord, type StoredObject } from './store.js'

export { DEFAULT_ACCOUNT, type EmulatorAccount, type EmulatorOptions } from './options.js'
export { parseFaultSpec, type Fault, type FaultController } from './faults.js'
export { fleetSpecs, type Behaviour, type DeviceSpec } from './jobs/fleet.js'
export { BUCKET, type FirmwareRecord, type MultiFileRecord, type RequestRecord, type StoredObject } from './store.js'

export interface Emulator {
  /** e.g. `http://127.0.0.1:41234`: the IoT endpoint (RPC at `/`) and OSS, path-style (`${url}/iotx-ota`). */
  url: string
  port: number
  /** Where uploaded objects are stored. */
  dataDir: string
  faults: FaultController
  state: {
    /** Every package CreateOTAFirmware created and nobody deleted. */
    firmwares(): FirmwareRecord[]
    objects(): StoredObject[]
    /** Every API request (not the control API), oldest first. */
    requests(): RequestRecord[]
  }
  /** Forgets packages, jobs, objects (and their files), requests, faults, nonces and the QPS windows. */
  reset(): void
  close(): Promise<void>
}

/** The emulator's OSS key id; its secret is random per start, as users never need it. */
const OSS_ACCESS_KEY_ID = 'LTAI5tEmulatorOssUploadKey'

/** A URL host for the listening address: wildcards are reached through loopback, IPv6 needs brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Starts a local stand-in for the Alibaba Cloud IoT OTA API and the OSS bucket it uploads to. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const settings = resolveSettings(options)
  const ownsDataDir = settings.dataDir === undefined
  const dataDir = settings.dataDir ?? (await mkdtemp(join(tmpdir(), 'iot-ota-emulator-')))
  await mkdir(join(dataDir, '.incoming'), { recursive: true })
  const closing = new AbortController()
  const context: EmulatorContext = {
    settings,
    store: new Store(dataDir, settings.buckets),
    jobs: new JobModel({ devices: settings.devices, minuteMs: settings.minuteMs, origin: Date.now() }),
    faults: new FaultRegistry(),
    rateLimiter: new RateLimiter(settings.qpsLimit),
    nonces: new NonceCache(REPLAY_WINDOW_MS),
    ossKey: { accessKeyId: OSS_ACCESS_KEY_ID, accessKeySecret: randomHex(20) },
    url: '',
    startedAt: Date.now(),
    closing: closing.signal
  }
  const reset = () => {
    context.store.reset()
    context.jobs.reset()
    context.faults.clear()
    context.nonces.clear()
    context.rateLimiter.reset()
  }

  // No request timeout: a 1 GB upload may take a while, and a stalled one must hang until the client gives up.
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    route(req, res, context, reset).catch((error: unknown) => {
      // A client that went away mid-request (reading its body fails) leaves nothing to answer.
      if (req.socket.destroyed) return
      settings.log?.(`internal error: ${(error as Error).message}`)
      if (res.headersSent) {
        res.destroy()
        return
      }
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('Emulator internal error')
    })
  })
  let port: number
  try {
    port = await listen(server, settings.port, settings.host)
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
    throw error
  }
  context.url = `http://${urlHost(settings.host)}:${port}`

  let closed: Promise<void> | undefined
  const close = () => {
    closed ??= (async () => {
      closing.abort()
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await stopped
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 3 })
    })()
    return closed
  }

  return {
    url: context.url,
    port,
    dataDir,
    faults: context.faults,
    state: {
      firmwares: () => context.store.listFirmwares(),
      objects: () => context.store.listObjects(),
      requests: () => context.store.requests()
    },
    reset,
    close
  }
}
