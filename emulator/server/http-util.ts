import type { IncomingMessage } from 'node:http'

/** The client went away mid-request: there is no one to answer. */
export class ClientGone extends Error {}

/** Header values as single strings under lower-case names (Node already lower-cases them). */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

/** The whole body, or undefined when it is over `limit` bytes (the rest is still read, so the answer gets through). */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= limit) chunks.push(chunk)
  }
  return size <= limit ? Buffer.concat(chunks, size) : undefined
}

/** Resolves once the request body has been read to its end or the connection is gone. */
export function requestDone(req: IncomingMessage): Promise<void> {
  if (req.readableEnded || req.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    req.once('end', resolve)
    req.once('close', resolve)
  })
}
