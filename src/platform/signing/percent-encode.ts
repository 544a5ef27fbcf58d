/**
 * Alibaba Cloud's percent-encoding for signatures (RFC 3986 unreserved characters kept, everything
 * else `%XY` upper-case). `encodeURIComponent` leaves `!'()*` alone, which Alibaba encodes.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()
  )
}
