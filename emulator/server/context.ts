import { setTimeout as sleep } from 'node:timers/promises'
import type { FaultRegistry } from './faults.js'
import type { JobModel } from '../jobs/jobs.js'
import type { NonceCache } from './nonce-cache.js'
import type { OssKey } from '../oss/platform-bucket/policy.js'
import type { Settings } from './options.js'
import type { HostUrls } from './listen.js'
import type { RateLimiter } from './rate-limit.js'
import type { RequestRecord, Store } from '../state/store.js'

/** What every handler shares: one per running emulator. */
export interface EmulatorContext {
  settings: Settings
  store: Store
  /** Simulated devices and their OTA jobs. */
  jobs: JobModel
  faults: FaultRegistry
  rateLimiter: RateLimiter
  nonces: NonceCache
  ossKey: OssKey
  /** `http(s)://host:port`: where it listens. */
  url: string
  /** The bases of the URLs it hands out (under its host name when it has one). */
  urls: HostUrls
  startedAt: number
  /** Aborted by close(), so that pending delays end. */
  closing: AbortSignal
}

/** Records a request and writes its log line (action, status, code; nothing secret). */
export function finishRequest(context: EmulatorContext, record: RequestRecord): void {
  context.store.record(record)
  const status = record.status === 0 ? 'no-answer' : String(record.status)
  const millis = Date.now() - record.at
  context.settings.log?.(`${record.action || '-'} ${status}${record.code ? ` ${record.code}` : ''} ${millis}ms`)
}

/** Waits, unless the emulator closes first; false when it did. */
export async function pause(ms: number, context: EmulatorContext): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal: context.closing })
    return true
  } catch {
    return false
  }
}
