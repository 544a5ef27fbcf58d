/** Whether an object in OSS holds the same bytes as the local file. Pure. */

/** What HeadObject tells about an object. */
export interface ObjectFacts {
  size?: number
  /** `x-oss-hash-crc64ecma`, decimal. */
  crc64?: string
  /** `Content-MD5`, base64; OSS sends it for objects written in one piece. */
  contentMd5?: string
  /** Without quotes; the MD5 only for objects written in one piece (multipart ETags end in `-N`). */
  etag?: string
}

/** The local file, digested before the upload. */
interface LocalFingerprint {
  size: number
  /** Decimal CRC-64/ECMA-182, as OSS writes it. */
  crc64: string
  /** Lower-case hex. */
  md5: string
}

export interface ObjectComparison {
  verdict: 'same' | 'different' | 'unknown'
  /** How the object was told apart (or matched), for messages: `CRC64 123, 5 bytes`. */
  remote: string
  local: string
}

function header(headers: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = headers[name]
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : undefined
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** Reads the facts from HeadObject's answer headers (lower-case names, as Node gives them). */
export function objectFactsFromHeaders(headers: Readonly<Record<string, unknown>>): ObjectFacts {
  const length = header(headers, 'content-length')
  return {
    size: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
    crc64: header(headers, 'x-oss-hash-crc64ecma'),
    contentMd5: header(headers, 'content-md5'),
    etag: header(headers, 'etag')?.replace(/"/g, '')
  }
}

/**
 * Compares by size and then the strongest digest the object has: CRC-64 (every object written
 * since 2016), else its Content-MD5, else an ETag that is a plain MD5. `unknown` when none is there.
 */
export function compareObject(remote: ObjectFacts, local: LocalFingerprint): ObjectComparison {
  const sizes = { remote: `${remote.size ?? '?'} bytes`, local: `${local.size} bytes` }
  const result = (verdict: ObjectComparison['verdict'], remoteDigest: string, localDigest: string): ObjectComparison => ({
    verdict,
    remote: `${remoteDigest}, ${sizes.remote}`,
    local: `${localDigest}, ${sizes.local}`
  })
  const sizeDiffers = remote.size !== undefined && remote.size !== local.size
  if (remote.crc64 !== undefined) {
    const same = !sizeDiffers && remote.crc64 === local.crc64
    return result(same ? 'same' : 'different', `CRC64 ${remote.crc64}`, `CRC64 ${local.crc64}`)
  }
  const md5 = remote.contentMd5 !== undefined ? Buffer.from(remote.contentMd5, 'base64').toString('hex') : remote.etag?.toLowerCase()
  if (md5 !== undefined && /^[0-9a-f]{32}$/.test(md5)) {
    const same = !sizeDiffers && md5 === local.md5
    return result(same ? 'same' : 'different', `MD5 ${md5}`, `MD5 ${local.md5}`)
  }
  return result(sizeDiffers ? 'different' : 'unknown', 'no digest', `CRC64 ${local.crc64}`)
}

/** HeadObject's answer headers against the local file's fingerprint. */
export function compareHeaders(headers: object, fp: { size: number; crc64: string; digests: { MD5: string } }): ObjectComparison {
  return compareObject(objectFactsFromHeaders(headers as Record<string, unknown>), { size: fp.size, crc64: fp.crc64, md5: fp.digests.MD5 })
}
