import { createIotClient, type IotApi } from '../../src/platform/client.js'
import { isAmbiguous } from '../../src/net/transient.js'
import type { Retrier } from '../../src/platform/retrier.js'
import { createRpcCaller, type RpcCall, type RpcCallerOptions } from '../../src/platform/rpc-caller.js'
import { acs3Dialect } from '../../src/platform/dialects/acs3.js'
import type { Dialect } from '../../src/platform/dialects/dialect.js'
import type { Credentials } from '../../src/config/connection.js'
import { sendRequest } from '../../src/net/transport.js'

/** One call as the client made it: the operation, its declared method, the query as sent. */
export interface SentCall {
  action: string
  method: 'GET' | 'POST'
  query: Readonly<Record<string, string>>
}

/** Tries `attempts` times, without waiting, whatever the error. */
export function retryTimes(attempts: number): Retrier {
  return async (_what, fn) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(attempt)
      } catch (error) {
        if (attempt >= attempts) throw error
      }
    }
  }
}

/** The real client over a fake caller: `answer` gives each call's answer (or throws); every call is recorded. */
export function clientOver(answer: RpcCall, options: { retry?: Retrier } = {}): { api: IotApi; sent: SentCall[]; info: string[] } {
  const sent: SentCall[] = []
  const info: string[] = []
  const call: RpcCall = async (action, method, query) => {
    sent.push({ action, method, query })
    return answer(action, method, query)
  }
  const api = createIotClient({ call, retry: options.retry ?? retryTimes(1), isAmbiguous, log: { info: (line) => info.push(line) } })
  return { api, sent, info }
}

/** The real client over HTTP to `endpoint` (the emulator), one attempt per call, no pacing: for tests and the bench. */
export function httpClient(endpoint: string, credentials: Credentials, options: { send?: RpcCallerOptions['send']; dialect?: Dialect } = {}): IotApi {
  const call = createRpcCaller({
    endpoint,
    credentials,
    dialect: options.dialect ?? acs3Dialect(),
    requestTimeoutMs: 60_000,
    send: options.send ?? sendRequest,
    pace: async () => undefined,
    now: () => new Date()
  })
  return createIotClient({ call, retry: retryTimes(1), isAmbiguous, log: { info: () => undefined } })
}
