import { createHash, createHmac } from 'node:crypto'
import { canonicalQuery } from './percent-encode.js'

/** Alibaba Cloud's V3 request signature: the scheme the official SDK uses by default. */
export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256'

/** Hex SHA-256 of an empty body, sent as `x-acs-content-sha256` for bodiless requests. */
export const EMPTY_BODY_SHA256 = createHash('sha256').update('').digest('hex')

interface Acs3Request {
  method: string
  /** Always `/` for RPC APIs. */
  path?: string
  query: Readonly<Record<string, string>>
  /** Header names in any case; only `host`, `content-type` and `x-acs-*` are signed. */
  headers: Readonly<Record<string, string>>
  /** Hex SHA-256 of the body (the value of `x-acs-content-sha256`). */
  bodySha256: string
}

interface Acs3Signature {
  authorization: string
  signature: string
  signedHeaders: string[]
  canonicalRequest: string
  stringToSign: string
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The header names V3 signs: `host`, `content-type` and every `x-acs-*`, lower-cased and sorted. */
function signableHeaderNames(headers: Readonly<Record<string, string>>): string[] {
  const names = new Set<string>()
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase()
    if (lower === 'host' || lower === 'content-type' || lower.startsWith('x-acs-')) names.add(lower)
  }
  return [...names].sort()
}

function headerValue(headers: Readonly<Record<string, string>>, lowerName: string): string {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === lowerName) return value.trim()
  }
  return ''
}

/**
 * Builds the canonical request. `signedHeaders` lets a verifier sign exactly the names the client
 * listed in its Authorization header; a client leaves it out to sign every signable header.
 */
function buildCanonicalRequest(req: Acs3Request, signedHeaders: readonly string[] = signableHeaderNames(req.headers)): string {
  const headerBlock = signedHeaders.map((n) => `${n}:${headerValue(req.headers, n)}\n`).join('')
  return [req.method.toUpperCase(), req.path ?? '/', canonicalQuery(req.query), headerBlock, signedHeaders.join(';'), req.bodySha256].join('\n')
}

/** Signs a request with ACS3-HMAC-SHA256 and returns the Authorization header and its parts. */
export function signAcs3(req: Acs3Request, accessKeyId: string, accessKeySecret: string, signedHeaders?: readonly string[]): Acs3Signature {
  const names = [...(signedHeaders ?? signableHeaderNames(req.headers))]
  const canonicalRequest = buildCanonicalRequest(req, names)
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`
  const signature = createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex')
  return {
    authorization: `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${names.join(';')},Signature=${signature}`,
    signature,
    signedHeaders: names,
    canonicalRequest,
    stringToSign
  }
}
