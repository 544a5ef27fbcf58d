/**
 * The composition root: the real transport, proxy, clock, pacing and retry of a run, and the one
 * IoT client built from them for every action.
 */
import { sendRequest } from '../net/transport.js'
import { withProxy } from '../net/proxy.js'
import { createPacer } from '../net/pacer.js'
import type { RetryPolicy } from '../net/retry.js'
import { isAmbiguous } from '../net/transient.js'
import type { Connection, SignedConnection } from '../config/connection.js'
import { createIotClient, type IotApi } from '../platform/client.js'
import { acs3Dialect } from '../platform/dialects/acs3.js'
import { rpcQueryDialect } from '../platform/dialects/rpc-query.js'
import { createRetrier, type Retrier } from '../platform/retrier.js'
import type { ActionKind } from '../platform/ram.js'
import { createRpcCaller } from '../platform/rpc-caller.js'
import { paceClassOf, paceFor, PUBLISH_QPS, type PaceClass } from '../platform/pace.js'
import type { JobDeps } from '../jobs/deps.js'
import { pacingFor } from '../jobs/poll.js'
import { postBytes } from '../upload/platform/post-object.js'
import { readInWorkspace } from '../files/workspace.js'
import type { Logger } from '../contract/logger.js'

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

/** The run's backoff, on the platform's clock, ending at `deadline` (epoch ms). */
export function retryPolicy(connection: Pick<Connection, 'maxAttempts' | 'minuteMs'>, deadline: number): RetryPolicy {
  const pace = paceFor(connection.minuteMs)
  return {
    maxAttempts: connection.maxAttempts,
    baseDelayMs: pace.retryBaseDelayMs,
    maxDelayMs: pace.retryMaxDelayMs,
    deadline,
    now,
    sleep,
    random: Math.random
  }
}

type ClientConnection = Pick<SignedConnection, 'endpoint' | 'apiVariant' | 'iotInstanceId' | 'requestTimeoutMs' | 'credentials'>

interface ClientSettings {
  readonly retry: Retrier
  /** Waits for this run's turn before each call. */
  readonly pace: (action: string, query: Readonly<Record<string, string>>) => Promise<void>
  readonly signal?: AbortSignal
  readonly log: Pick<Logger, 'info' | 'debug'>
}

/**
 * The IoT client of a run: signed calls over the real transport in the variant's dialect, paced
 * and retried. Debug lines name the operation and the outcome, never the (signed) URL.
 */
export function createIot(connection: ClientConnection, settings: ClientSettings): IotApi {
  const { endpoint, apiVariant, credentials, iotInstanceId, requestTimeoutMs } = connection
  const call = createRpcCaller({
    endpoint,
    credentials,
    dialect: apiVariant === 'marketplace' ? rpcQueryDialect() : acs3Dialect(iotInstanceId),
    requestTimeoutMs,
    signal: settings.signal,
    send,
    pace: settings.pace,
    now: () => new Date(),
    onCall: (action, detail) => settings.log.debug(`${action}: ${detail}`)
  })
  return createIotClient({ call, retry: settings.retry, isAmbiguous, log: settings.log })
}

/**
 * The publish action's retry and client (none in a dry run without credentials), bounded by
 * `timeout-minutes`: `deadline.at` (epoch ms) and its abort signal.
 */
export function createPublishIot(
  connection: Pick<Connection, 'endpoint' | 'apiVariant' | 'iotInstanceId' | 'requestTimeoutMs' | 'credentials' | 'maxAttempts' | 'minuteMs'>,
  deadline: { signal: AbortSignal; at: number },
  log: Logger
): { iot?: IotApi; retry: Retrier } {
  const retry = createRetrier(retryPolicy(connection, deadline.at), log, 'publish')
  const { credentials } = connection
  if (credentials === undefined) return { retry }
  const pace = createPacer(PUBLISH_QPS, now, sleep, PUBLISH_QPS)
  return { iot: createIot({ ...connection, credentials }, { retry, pace, signal: deadline.signal, log }), retry }
}

/**
 * What the verify and rollout steps need: the client at one call a second, five for bulk reads (shrunk on the
 * emulator's clock), retries bounded by attempts alone (the follow loop has its own bound,
 * `wait-minutes`), and the real clock, on which a platform minute lasts `minuteMs`.
 */
export function createJobDeps(connection: ClientConnection & Pick<Connection, 'maxAttempts' | 'minuteMs'>, log: Logger, action: ActionKind): JobDeps {
  const { minuteMs } = connection
  const retry = createRetrier(retryPolicy(connection, Number.POSITIVE_INFINITY), log, action)
  const spacing = paceFor(minuteMs)
  const pacers: Record<PaceClass, () => Promise<void>> = {
    poll: createPacer(1000 / spacing.jobCallSpacingMs, now, sleep),
    bulk: createPacer(1000 / spacing.bulkCallSpacingMs, now, sleep),
    deep: createPacer(1000 / spacing.deepQuerySpacingMs, now, sleep)
  }
  const pace = (action: string, query: Readonly<Record<string, string>>) => pacers[paceClassOf(action, query)]()
  const form = { idleTimeoutMs: connection.requestTimeoutMs, send }
  return {
    api: createIot(connection, { retry, pace, log }),
    clock: { now, sleep },
    minuteMs,
    pacing: pacingFor(minuteMs),
    log,
    // One request, retried as a whole: the form is valid for a minute, and the file is small.
    postDeviceList: (ticket, csv) =>
      retry('PostObject (device list)', () => postBytes({ ...ticket, OSSAccessKeyId: ticket.AccessKeyId }, 'devices.csv', csv, form)),
    readWorkspaceFile: (path) => readInWorkspace(path, process.env.GITHUB_WORKSPACE || process.cwd())
  }
}
