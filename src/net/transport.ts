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

/**
 * A message about this request without its query string, which may hold a signature (the
 * marketplace's RPC calls, OSS signed URLs). Messages here name the host only; this also covers
 * what Node's own errors might quote.
 */
function withoutQuery(message: string, url: URL): string {
  return url.search === '' ? message : message.split(url.href).join(`${url.origin}${url.pathname}`).split(url.search).join('')
}

/**
 * Sends one HTTP(S) request on a fresh connection (or `req.agent`'s) and reads the whole (small) answer. Errors are
 * TransportErrors whose messages never contain the request's URL query.
 */
export function sendRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url)
  const lib = url.protocol === 'https:' ? https : http
  return new Promise<HttpResponse>((resolve, reject) => {
    let sent = false
    let settled = false
    // Writes of a BodyProducer not yet taken by the connection: failed along with the request.
    const writes = new Set<(err: Error) => void>()
    const fail = (err: Error): void => {
      if (settled) return
      settled = true
      clientRequest.destroy()
      for (const failWrite of writes) failWrite(err)
      writes.clear()
      reject(err)
    }
    const clientRequest = lib.request(url, { method: req.method, headers: req.headers, agent: req.agent ?? false })
    // The last bytes of a body (and small requests) must not wait for the ACK of the previous ones.
    clientRequest.on('socket', (socket) => socket.setNoDelay(true))
    const onAbort = (): void => fail(new TransportError('request aborted: the run ran out of time', 'aborted', sent))
    if (req.signal?.aborted) {
      onAbort()
      return
    }
    req.signal?.addEventListener('abort', onAbort, { once: true })
    const cleanup = (): void => req.signal?.removeEventListener('abort', onAbort)

    clientRequest.setTimeout(req.idleTimeoutMs, () => {
      fail(new TransportError(`no progress for ${Math.round(req.idleTimeoutMs / 1000)} s (${url.host})`, 'timeout', sent))
    })
    clientRequest.on('finish', () => {
      sent = true
    })
    clientRequest.on('error', (err: NodeJS.ErrnoException) => {
      cleanup()
      fail(new TransportError(`${err.code ?? 'network error'}: ${withoutQuery(err.message, url)} (${url.host})`, 'network', sent, err.code))
    })
    clientRequest.on('response', (res) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_RESPONSE_BYTES) {
          fail(new TransportError(`answer larger than ${MAX_RESPONSE_BYTES} bytes (${url.host})`, 'network', true))
          return
        }
        chunks.push(chunk)
      })
      res.on('error', (err: NodeJS.ErrnoException) => {
        cleanup()
        fail(new TransportError(`${err.code ?? 'network error'} while reading the answer (${url.host})`, 'network', true, err.code))
      })
      res.on('end', () => {
        cleanup()
        if (settled) return
        if (!res.complete) {
          fail(new TransportError(`connection closed mid-answer (${url.host})`, 'network', true, 'ECONNRESET'))
          return
        }
        settled = true
        // Answered before the whole body left (an early refusal): the producer stops.
        for (const failWrite of writes) failWrite(new TransportError(`answered before the whole body was sent (${url.host})`, 'network', true))
        writes.clear()
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
      })
    })

    if (req.body === undefined) {
      clientRequest.end()
    } else if (Buffer.isBuffer(req.body)) {
      clientRequest.end(req.body)
    } else if (typeof req.body === 'function') {
      const write = (chunk: Buffer): Promise<void> =>
        new Promise<void>((resolve, reject) => {
          if (settled) {
            reject(new TransportError(`request already over (${url.host})`, 'network', sent))
            return
          }
          const failWrite = (err: Error): void => reject(err)
          writes.add(failWrite)
          clientRequest.write(chunk, (err?: NodeJS.ErrnoException | null) => {
            writes.delete(failWrite)
            if (err) reject(new TransportError(`${err.code ?? 'network error'}: ${withoutQuery(err.message, url)} (${url.host})`, 'network', false, err.code))
            else resolve()
          })
        })
      req.body(write).then(
        () => {
          if (!settled) clientRequest.end()
        },
        (err: unknown) => {
          cleanup()
          // A local read failure is not the network's fault: keep its own message.
          fail(err instanceof Error ? err : new Error(String(err)))
        }
      )
    } else {
      const body = req.body
      body.on('error', (err: NodeJS.ErrnoException) => {
        cleanup()
        // A local read failure is not the network's fault: keep its own message.
        fail(err)
      })
      body.pipe(clientRequest)
    }
  })
}
