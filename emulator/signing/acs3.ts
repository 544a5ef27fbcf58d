/**
 * ACS3-HMAC-SHA256 (the IoT API's V3 signature), computed the way the gateway verifies it: over the
 * query as received and exactly the headers the client lists in SignedHeaders.
 */
import { createHash, createHmac } from 'node:crypto'
import { canonicalQuery, type QueryPair } from './rfc3986.js'

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256'

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

interface Acs3Authorization {
  algorithm: string
  accessKeyId: string
  signedHeaders: string[]
  signature: string
}

/** `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`; undefined when malformed. */
export function parseAcs3Authorization(header: string): Acs3Authorization | undefined {
  const match = /^(\S+)\s+(.*)$/.exec(header.trim())
  if (!match) return undefined
  const fields = new Map<string, string>()
  for (const part of (match[2] ?? '').split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const accessKeyId = fields.get('Credential')
  const signedHeaders = fields.get('SignedHeaders')
  const signature = fields.get('Signature')
  if (!accessKeyId || signedHeaders === undefined || !signature) return undefined
  return { algorithm: match[1] ?? '', accessKeyId, signedHeaders: signedHeaders.split(';').filter((n) => n !== ''), signature }
}

interface Acs3Received {
  method: string
  /** The query as received (RFC 3986 decoded). */
  query: readonly QueryPair[]
  /** Lower-case names. */
  headers: Readonly<Record<string, string>>
  /** Hex SHA-256 of the body as received. */
  bodySha256: string
}

/** METHOD, `/`, canonical query, the listed headers, their names, the body hash. */
export function acs3CanonicalRequest(request: Acs3Received, signedHeaders: readonly string[]): string {
  const headerBlock = signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim()}\n`).join('')
  return [request.method.toUpperCase(), '/', canonicalQuery(request.query), headerBlock, signedHeaders.join(';'), request.bodySha256].join('\n')
}

/** The string to sign and the hex signature the gateway expects. */
export function acs3Signature(canonicalRequest: string, accessKeySecret: string): { stringToSign: string; signature: string } {
  const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`
  return { stringToSign, signature: createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex') }
}
