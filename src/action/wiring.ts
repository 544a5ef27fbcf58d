import { sendRequest } from '../net/transport.js'
import { createPacer } from '../net/pacer.js'
import type { RetryPolicy } from '../net/retry.js'
import type { ApiVariant, Credentials } from '../config/connection.js'
import { createIotClient, createRpcCaller, type IotApi } from '../platform/client.js'
import { acs3Dialect } from '../platform/dialects/acs3.js'
import { rpcQueryDialect } from '../platform/dialects/rpc-query.js'

/**
 * Client-side pacing: one run stays under this many IoT API calls per second, so that a matrix of
 * runs sharing the account's 10 QPS mostly paces itself instead of being throttled.
 */
const CLIENT_QPS = 4
/** Full-jitter backoff between attempts: the first retry waits up to this long… */
const RETRY_BASE_DELAY_MS = 1000
/** …and no wait is ever longer than this. */
const RETRY_MAX_DELAY_MS = 20_000

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
export const now = (): number => Date.now()

/** An abort signal that fires when the whole run has used its time. */
export function runDeadline(timeoutMs: number): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), timeoutMs)
  timer.unref()
  return { signal: controller.signal, dispose: () => clearTimeout(timer) }
}

export function retryPolicy(maxAttempts: number, deadline: number): RetryPolicy {
  return { maxAttempts, baseDelayMs: RETRY_BASE_DELAY_MS, maxDelayMs: RETRY_MAX_DELAY_MS, deadline, now, sleep, random: Math.random }
}

interface ConnectionSettings {
  endpoint: string
  apiVariant: ApiVariant
  credentials: Credentials
  iotInstanceId?: string
  requestTimeoutMs: number
}

/**
 * The IoT API client over the real transport, paced for the account's shared QPS, in the
 * variant's dialect. Debug lines name the action and the outcome, never the (signed) URL.
 */
export function createIot(connection: ConnectionSettings, signal: AbortSignal, debug: (line: string) => void): IotApi {
  const { apiVariant, iotInstanceId, ...rest } = connection
  return createIotClient(
    createRpcCaller({
      ...rest,
      dialect: apiVariant === 'marketplace' ? rpcQueryDialect() : acs3Dialect(iotInstanceId),
      signal,
      send: sendRequest,
      // At most CLIENT_QPS calls in any one second, unspaced: a publish's few calls never wait.
      pace: createPacer(CLIENT_QPS, now, sleep, CLIENT_QPS),
      now: () => new Date(),
      onCall: (action, detail) => debug(`${action}: ${detail}`)
    })
  )
}
