/**
 * Alibaba Cloud's percent-encoding for signatures (RFC 3986 unreserved characters kept, everything
 * else `%XY` upper-case). `encodeURIComponent` leaves `!'()*` alone, which Alibaba encodes.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
}

/**
 * Sorted `pe(name)=pe(value)` pairs joined by `&`: what both signature schemes sign, and so exactly
 * what the client sends as the query string (a space is `%20`, never `+`).
 */
export function canonicalQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${percentEncode(name)}=${percentEncode(params[name] ?? '')}`)
    .join('&')
}
