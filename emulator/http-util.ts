import type { IncomingMessage } from 'node:http'

/** Header values as single strings under lower-case names (Node already lower-cases them). */
export function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

/**
 * A query string read as RFC 3986 has it, the strict reading of what the gateway documents: split
 * on `&` and `=`, then percent-decode. A `+` stays a plus (URLSearchParams would make it a space),
 * so a client that signs `%20` and sends `+` is refused. A malformed escape is kept as written.
 */
export function parseQueryStrict(requestUrl: string): Record<string, string> {
  const at = requestUrl.indexOf('?')
  const query: Record<string, string> = {}
  if (at < 0) return query
  for (const pair of requestUrl.slice(at + 1).split('#')[0]!.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]
    query[decodeStrict(name)] = decodeStrict(value)
  }
  return query
}

function decodeStrict(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
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
