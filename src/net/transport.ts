import * as http from 'node:http'
import * as https from 'node:https'
import type { Readable } from 'node:stream'

/**
 * A body produced chunk by chunk, whose length is in the `content-length` header. `write` queues a
 * chunk on the connection and resolves once the connection has taken it, so that its buffer can be
 * reused (it rejects when the request failed meanwhile); the producer resolves after its last write.
 * Unlike a stream, this lets the producer recycle a few buffers instead of allocating one per chunk.
 */
export type BodyProducer = (write: (chunk: Buffer) => Promise<void>) => Promise<void>

export interface HttpRequest {
  url: string
  method: string
  headers: Record<string, string>
  /** A buffer, a stream or a producer whose length is in the `content-length` header. */
  body?: Buffer | Readable | BodyProducer
  /** Fails the request when nothing moves on the socket for this long (a stall, not a slow link). */
  idleTimeoutMs: number
  /** Aborts the request (the run's overall deadline). */
  signal?: AbortSignal
  /** The agent that connects (a proxy's tunnel); without one, a fresh direct connection. */
  agent?: http.Agent
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

type TransportErrorKind = 'timeout' | 'network' | 'aborted'

/**
 * The request did not get an answer. `requestSent` tells whether the whole request had left this
 * process: if it had, the server may have acted on it, so the outcome is unknown.
 */
export class TransportError extends Error {
  readonly kind: TransportErrorKind
  readonly requestSent: boolean
  readonly code?: string

  constructor(message: string, kind: TransportErrorKind, requestSent: boolean, code?: string) {
    super(message)
    this.name = 'TransportError'
    this.kind = kind
    this.requestSent = requestSent
    this.code = code
  }
}

// Answers of the IoT API and OSS are small; anything larger is not one of theirs.
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024

/** One request in flight: settles once, and fails the body's pending writes along with itself. */
interface Exchange {
  readonly url: URL
  readonly request: http.ClientRequest
  /** Whether the whole request has left this process. */
  sent: boolean
  settled: boolean
  /** Writes of a BodyProducer not yet taken by the connection. */
  readonly writes: Set<(err: Error) => void>
  fail(err: Error): void
  succeed(res: HttpResponse): void
  cleanup(): void
}

/**
 * A message about this request without its query string, which may hold a signature (the
 * marketplace's RPC calls, OSS signed URLs). Messages here name the host only; this also covers
 * what Node's own errors might quote.
 */
function withoutQuery(message: string, url: URL): string {
  return url.search === '' ? message : message.split(url.href).join(`${url.origin}${url.pathname}`).split(url.search).join('')
}

function networkError(err: NodeJS.ErrnoException, url: URL, sent: boolean): TransportError {
  return new TransportError(`${err.code ?? 'network error'}: ${withoutQuery(err.message, url)} (${url.host})`, 'network', sent, err.code)
}

function failWrites(ex: Exchange, err: Error): void {
  for (const failWrite of ex.writes) failWrite(err)
  ex.writes.clear()
}

/** Reads the (small) answer whole; an answer that ends early or runs too long fails the request. */
function readAnswer(ex: Exchange, res: http.IncomingMessage): void {
  const chunks: Buffer[] = []
  let size = 0
  const host = ex.url.host
  res.on('data', (chunk: Buffer) => {
    size += chunk.length
    if (size > MAX_RESPONSE_BYTES) {
      ex.fail(new TransportError(`answer larger than ${MAX_RESPONSE_BYTES} bytes (${host})`, 'network', true))
      return
    }
    chunks.push(chunk)
  })
  res.on('error', (err: NodeJS.ErrnoException) => {
    ex.cleanup()
    ex.fail(new TransportError(`${err.code ?? 'network error'} while reading the answer (${host})`, 'network', true, err.code))
  })
  res.on('end', () => {
    ex.cleanup()
    if (ex.settled) return
    if (!res.complete) {
      ex.fail(new TransportError(`connection closed mid-answer (${host})`, 'network', true, 'ECONNRESET'))
      return
    }
    ex.succeed({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
  })
}

/** Feeds a BodyProducer: each write resolves once the connection has taken the chunk. */
function writeProduced(ex: Exchange, produce: BodyProducer): void {
  const host = ex.url.host
  const write = (chunk: Buffer): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      if (ex.settled) {
        reject(new TransportError(`request already over (${host})`, 'network', ex.sent))
        return
      }
      const failWrite = (err: Error): void => reject(err)
      ex.writes.add(failWrite)
      ex.request.write(chunk, (err?: NodeJS.ErrnoException | null) => {
        ex.writes.delete(failWrite)
        if (err) reject(networkError(err, ex.url, false))
        else resolve()
      })
    })
  produce(write).then(
    () => {
      if (!ex.settled) ex.request.end()
    },
    (err: unknown) => {
      ex.cleanup()
      // A local read failure is not the network's fault: keep its own message.
      ex.fail(err instanceof Error ? err : new Error(String(err)))
    }
  )
}

function writeBody(ex: Exchange, body: HttpRequest['body']): void {
  if (body === undefined) ex.request.end()
  else if (Buffer.isBuffer(body)) ex.request.end(body)
  else if (typeof body === 'function') writeProduced(ex, body)
  else {
    body.on('error', (err: NodeJS.ErrnoException) => {
      ex.cleanup()
      // A local read failure is not the network's fault: keep its own message.
      ex.fail(err)
    })
    body.pipe(ex.request)
  }
}

/**
 * Sends one HTTP(S) request on a fresh connection (or `req.agent`'s) and reads the whole (small)
 * answer. Its TransportErrors never contain the request's URL query.
 */
export function sendRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url)
  const lib = url.protocol === 'https:' ? https : http
  return new Promise<HttpResponse>((resolve, reject) => {
    const onAbort = (): void => ex.fail(new TransportError('request aborted: the run ran out of time', 'aborted', ex.sent))
    const ex: Exchange = {
      url,
      request: lib.request(url, { method: req.method, headers: req.headers, agent: req.agent ?? false }),
      sent: false,
      settled: false,
      writes: new Set(),
      fail(err) {
        if (ex.settled) return
        ex.settled = true
        ex.request.destroy()
        failWrites(ex, err)
        reject(err)
      },
      succeed(res) {
        ex.settled = true
        // Answered before the whole body left (an early refusal): the producer stops.
        failWrites(ex, new TransportError(`answered before the whole body was sent (${url.host})`, 'network', true))
        resolve(res)
      },
      cleanup: () => req.signal?.removeEventListener('abort', onAbort)
    }
    // The last bytes of a body (and small requests) must not wait for the ACK of the previous ones.
    ex.request.on('socket', (socket) => socket.setNoDelay(true))
    if (req.signal?.aborted) {
      onAbort()
      return
    }
    req.signal?.addEventListener('abort', onAbort, { once: true })
    ex.request.setTimeout(req.idleTimeoutMs, () => {
      ex.fail(new TransportError(`no progress for ${Math.round(req.idleTimeoutMs / 1000)} s (${url.host})`, 'timeout', ex.sent))
    })
    ex.request.on('finish', () => {
      ex.sent = true
    })
    ex.request.on('error', (err: NodeJS.ErrnoException) => {
      ex.cleanup()
      ex.fail(networkError(err, url, ex.sent))
    })
    ex.request.on('response', (res) => readAnswer(ex, res))
    writeBody(ex, req.body)
  })
}
