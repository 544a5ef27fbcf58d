import { randomBytes } from 'node:crypto'
import { ApiError } from '../net/api-error.js'
import type { HttpRequest, HttpResponse } from '../net/transport.js'
import type { Credentials } from '../config/connection.js'
import { type AnswerObject, failureOf, parseAnswer, textOf } from './answer.js'
import type { Dialect } from './dialects/dialect.js'
import { percentEncode } from './signing/percent-encode.js'

export interface RpcCallerOptions {
  endpoint: string
  credentials: Credentials
  /** How this gateway wants its calls (method, parameters, signature). */
  dialect: Dialect
  requestTimeoutMs: number
  signal?: AbortSignal
  send: (req: HttpRequest) => Promise<HttpResponse>
  /** Waits for this run's turn (client-side pacing), which may depend on the call. */
  pace: (action: string, query: Readonly<Record<string, string>>) => Promise<void>
  now: () => Date
  /** Called with the operation's name and outcome of each call; never with secrets or the signed URL. */
  onCall?: (action: string, detail: string) => void
}

/** One signed call: the operation, the method it is declared with, its parameters as text. Throws ApiError for a failed answer. */
export type RpcCall = (action: string, method: 'GET' | 'POST', query: Readonly<Record<string, string>>) => Promise<AnswerObject>

/** A gateway may quote the request back in its error; the signature (plain or percent-encoded) stays out. */
function withoutSignature(message: string, signature: string): string {
  if (signature === '') return message
  return [signature, percentEncode(signature)].reduce((m, s) => m.split(s).join('***'), message)
}

/** Calls IoT RPC operations in the options' dialect; throws ApiError for every failed answer. */
export function createRpcCaller(options: RpcCallerOptions): RpcCall {
  const base = new URL(options.endpoint)
  return async function call(action, method, query) {
    const nonce = randomBytes(16).toString('hex')
    const { signature, ...request } = options.dialect({ action, method, params: query, base, credentials: options.credentials, now: options.now(), nonce })
    await options.pace(action, query)
    const res = await options.send({ ...request, idleTimeoutMs: options.requestTimeoutMs, signal: options.signal })
    const answer = parseAnswer(res.body)
    const requestId = textOf(answer, 'RequestId')
    const failure = answer === undefined ? { code: `HTTP${res.status}`, message: res.body.toString('utf8').slice(0, 200) } : failureOf(res.status, answer)
    if (failure) {
      options.onCall?.(action, `HTTP ${res.status} ${failure.code}`)
      throw new ApiError(action, failure.code, withoutSignature(failure.message, signature), res.status, requestId)
    }
    options.onCall?.(action, `HTTP ${res.status} RequestId ${requestId ?? '-'}`)
    return answer as AnswerObject
  }
}
