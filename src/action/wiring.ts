import { sendRequest } from '../net/transport.js'
import { withProxy } from '../net/proxy.js'
import { createPacer } from '../net/pacer.js'
import type { RetryPolicy } from '../net/retry.js'
import type { ApiVariant, Credentials } from '../config/connection.js'
import { createIotClient, createRpcCaller, type IotApi } from '../platform/client.js'
import { acs3Dialect } from '../platform/dialects/acs3.js'
import { rpcQueryDialect } from '../platform/dialects/rpc-query.js'
import { createRetrier } from '../platform/retrier.js'
import { isAmbiguous } from '../net/transient.js'
import { createJobsApi } from '../jobs/api.js'
import type { JobDeps } from '../jobs/deps.js'
import { pacedApi, POLL_PACING } from '../jobs/poll.js'
import type { Logger } from '../report/logger.js'

/**
 * Client-side pacing: one run stays under this many IoT API calls per second, so that a matrix of
 * runs sharing the account's 10 QPS mostly paces itself instead of being throttled.
 */
const CLIENT_QPS = 4
/** Full-jitter backoff between attempts: the first retry waits up to this long… */
const RETRY_BASE_DELAY_MS = 1000
/** …and no wait is ever longer than this. */
const RETRY_MAX_DELAY_MS = 20_000

/** Every request of the run: through the proxy the environment names, else direct. */
export const send = withProxy(sendRequest)

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
 * One signed RPC call over the real transport, paced for the account's shared QPS, in the
 * variant's dialect. Debug lines name the action and the outcome, never the (signed) URL.
 */
function createCaller(connection: ConnectionSettings, signal: AbortSignal | undefined, debug: (line: string) => void) {
  const { endpoint, apiVariant, credentials, iotInstanceId, requestTimeoutMs } = connection
  return createRpcCaller({
    endpoint,
    credentials,
    dialect: apiVariant === 'marketplace' ? rpcQueryDialect() : acs3Dialect(iotInstanceId),
    requestTimeoutMs,
    signal,
    send,
    // At most CLIENT_QPS calls in any one second, unspaced: a publish's few calls never wait.
    pace: createPacer(CLIENT_QPS, now, sleep, CLIENT_QPS),
    now: () => new Date(),
    onCall: (action, detail) => debug(`${action}: ${detail}`)
  })
}

/** The IoT API client of the publish action. */
export function createIot(connection: ConnectionSettings, signal: AbortSignal, debug: (line: string) => void): IotApi {
  return createIotClient(createCaller(connection, signal, debug))
}

/**
 * What the verify and rollout steps need: the jobs API at most one call a second on top of the
 * client's pacing (a dozen matrix legs may poll one account), retries, and the real clock.
 */
export function createJobDeps(connection: ConnectionSettings & { maxAttempts: number }, log: Logger): JobDeps {
  return {
    api: pacedApi(createJobsApi(createCaller(connection, undefined, log.debug)), createPacer(1, now, sleep)),
    // The follow loop has its own bound (`wait-minutes`); one call's retries end by attempts alone.
    retry: createRetrier(retryPolicy(connection.maxAttempts, Number.POSITIVE_INFINITY), log),
    isAmbiguous,
    clock: { now, sleep },
    pacing: POLL_PACING,
    log
  }
}
