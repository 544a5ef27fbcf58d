import type { Credentials } from '../../config/connection.js'

/** One call to sign: the operation, its parameters as text, and what makes the request unique. */
interface DialectCall {
  action: string
  /** The method the operation is declared with (the official SDK's); a dialect may have its own. */
  method: 'GET' | 'POST'
  params: Readonly<Record<string, string>>
  /** The endpoint's origin; RPC calls go to `/`. */
  base: URL
  credentials: Credentials
  now: Date
  /** Unique per request (replay protection). */
  nonce: string
}

/** The request as it goes on the wire. Its URL may carry a signature: never log it. */
interface SignedCall {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  /** The request's signature, kept out of every message (a gateway may quote it back). */
  signature: string
}

/** How one gateway wants its calls: method, where the parameters go, which signature. */
export type Dialect = (call: DialectCall) => SignedCall

/** `YYYY-MM-DDThh:mm:ssZ`: both signatures want UTC without milliseconds. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** `base` + `/` + the query exactly as signed (never re-encoded by URLSearchParams). */
export function rpcUrl(base: URL, query: string): string {
  return query === '' ? `${base.origin}/` : `${base.origin}/?${query}`
}
