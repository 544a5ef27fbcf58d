import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EmulatorContext } from './server/context.js'
import { FaultRegistry, type FaultController } from './server/faults.js'
import { randomHex } from './state/ids.js'
import { JobModel } from './jobs/jobs.js'
import { NonceCache } from './server/nonce-cache.js'
import { resolveSettings, type EmulatorOptions, type Settings } from './server/options.js'
import { RateLimiter } from './server/rate-limit.js'
import { hostUrls, listen, type HostUrls, type Listening } from './server/listen.js'
import { REPLAY_WINDOW_MS } from './iot/rpc-auth.js'
import { Store, type FirmwareRecord, type RequestRecord, type StoredObject } from './state/store.js'
import { seedFirmwares } from './iot/seed-firmwares.js'

export { DEFAULT_ACCOUNT, type EmulatorAccount, type EmulatorOptions } from './server/options.js'
export { parseFaultSpec, type Fault, type FaultController, type RandomFault } from './server/faults.js'
export { type ChurnOptions } from './devices/churn.js'
export { fleetSpecs, type Behaviour, type DeviceSpec } from './devices/fleet.js'
export { fleetMix, type FleetShares } from './devices/fleet-mix.js'
export { FAILURE_DESCS } from './jobs/timeline.js'
export { type SeedFirmware } from './iot/seed-firmwares.js'
export { type FirmwareRecord, type MultiFileRecord, type RequestRecord, type StoredObject } from './state/store.js'

export interface Emulator {
  /** e.g. `http://127.0.0.1:41234` (`https://…` with TLS): where it listens; the IoT API at `/`, OSS by Host or path-style (`${url}/iotx-ota`). */
  url: string
  /** The IoT endpoint, the OSS endpoint and a bucket's URL as it hands them out (under `hostName` when set). */
  hostUrls: HostUrls
  port: number
  /** Where uploaded objects are stored. */
  dataDir: string
  faults: FaultController
  state: {
    /** Every package CreateOTAFirmware created (or seeded) and nobody deleted. */
    firmwares(): FirmwareRecord[]
    objects(): StoredObject[]
    /** Every API request (not the control API), oldest first. */
    requests(): RequestRecord[]
  }
  /** Forgets packages, jobs, objects (and their files), requests, faults, nonces and the QPS windows; puts the seedFirmwares back. */
  reset(): void
  close(): Promise<void>
}

/** The emulator's OSS key id; its secret is random per start, as users never need it. */
const OSS_ACCESS_KEY_ID = 'LTAI5tEmulatorOssUploadKey'

/** Everything the handlers share; the URLs are filled in once the server listens. */
function createContext(settings: Settings, dataDir: string, closing: AbortSignal): EmulatorContext {
  return {
    settings,
    store: new Store(dataDir, settings.buckets),
    jobs: new JobModel({ devices: settings.devices, minuteMs: settings.minuteMs, origin: Date.now(), churn: settings.churn }),
    faults: new FaultRegistry(),
    rateLimiter: new RateLimiter(settings.qpsLimit),
    nonces: new NonceCache(REPLAY_WINDOW_MS),
    ossKey: { accessKeyId: OSS_ACCESS_KEY_ID, accessKeySecret: randomHex(20) },
    url: '',
    urls: { iot: '', oss: '', bucket: () => '' },
    startedAt: Date.now(),
    closing
  }
}

/** Stops listening, ends pending delays and removes a data folder the emulator made; once, however often called. */
function closer(server: Listening['server'], closing: AbortController, dataDir: string, ownsDataDir: boolean): () => Promise<void> {
  let closed: Promise<void> | undefined
  return () => {
    closed ??= (async () => {
      closing.abort()
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await stopped
      if (ownsDataDir) await rm(dataDir, { recursive: true, force: true, maxRetries: 3 })
    })()
    return closed
  }
}

/** Starts a local stand-in for the Alibaba Cloud IoT OTA API and the OSS bucket it uploads to. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const settings = resolveSettings(options)
  const ownsDataDir = settings.dataDir === undefined
  const dataDir = settings.dataDir ?? (await mkdtemp(join(tmpdir(), 'iot-ota-emulator-')))
  await mkdir(join(dataDir, '.incoming'), { recursive: true })
  const closing = new AbortController()
  const context = createContext(settings, dataDir, closing.signal)
  const reset = () => {
    context.store.reset()
    context.jobs.reset()
    context.faults.clear()
    context.nonces.clear()
    context.rateLimiter.reset()
    seedFirmwares(context, settings.seedFirmwares)
  }

  let listening: Listening
  try {
    listening = await listen(context, reset)
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true })
    throw error
  }
  const { server, port } = listening
  context.url = listening.url
  context.urls = hostUrls(settings, listening.url, port)
  const close = closer(server, closing, dataDir, ownsDataDir)
  try {
    // Seed packages carry URLs of the platform's bucket: only now are they known.
    seedFirmwares(context, settings.seedFirmwares)
  } catch (error) {
    await close()
    throw error
  }

  return {
    url: context.url,
    hostUrls: context.urls,
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
