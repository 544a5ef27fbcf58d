/**
 * Query strings as a gateway that follows RFC 3986 reads them: `%XY` escapes are decoded, nothing
 * else is (a `+` is a plus, not a space), and the canonical form re-encodes every byte outside the
 * unreserved set `A-Z a-z 0-9 - _ . ~`.
 */

/** A query parameter as received: name and value, decoded. */
export type QueryPair = readonly [name: string, value: string]

/** RFC 3986 percent-encoding: unreserved characters kept, every other UTF-8 byte `%XY` upper-case. */
export function pe(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Decodes `%XY` escapes only; a malformed escape is kept as sent (it then fails the signature). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** The pairs of a raw query string (without `?`), in the order received. */
export function parseRawQuery(raw: string): QueryPair[] {
  if (raw === '') return []
  return raw
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=')
      return eq < 0 ? [decode(part), ''] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))]
    })
}

/** The raw query string of a request target (`/path?query`), undefined when there is none. */
export function rawQueryOf(target: string): string {
  const at = target.indexOf('?')
  return at < 0 ? '' : target.slice(at + 1)
}

/** Sorted by encoded name (byte order), `pe(name)=pe(value)` joined by `&`. */
export function canonicalQuery(pairs: readonly QueryPair[]): string {
  return pairs
    .map(([name, value]) => [pe(name), pe(value)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
}
