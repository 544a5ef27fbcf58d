/**
 * How OSS reads a request's bucket and key: from the Host header first (`<bucket>.<endpoint>`, the
 * whole path being the key), path-style (`/<bucket>/<key>`) only when the Host names no bucket.
 */
import { isIP } from 'node:net'
import { BUCKET_NAME } from './bucket-names.js'

/** A bucket and the raw (still percent-encoded) key a request addresses; key '' for the bucket itself. */
export interface OssAddress {
  bucket: string
  rawKey: string
}

/** The name of a Host header or URL host, without port or IPv6 brackets, lower-case. */
function hostNameOf(host: string): string {
  const name = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '')
  return name.toLowerCase()
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Names that reach the emulator without naming a bucket: IP addresses, `localhost`, OSS's own
 * region endpoints and, with a `hostName`, that name, `oss-<region>.<hostName>` and `iot.<region>.<hostName>`.
 */
function isEndpointName(name: string, hostName: string | undefined): boolean {
  if (name === 'localhost' || isIP(name) !== 0 || /^oss-[a-z0-9-]+\.aliyuncs\.com$/.test(name)) return true
  if (hostName === undefined) return false
  return name === hostName || new RegExp(`^(oss-[a-z0-9-]+|iot\\.[a-z0-9-]+)\\.${escapeRegExp(hostName)}$`).test(name)
}

/** The bucket a Host names (`<bucket>.oss-<region>.aliyuncs.com`, `<bucket>.<endpoint name>`), or undefined. */
export function bucketOfHost(host: string | undefined, hostName: string | undefined): string | undefined {
  const name = hostNameOf(host ?? '')
  if (isEndpointName(name, hostName)) return undefined
  const dot = name.indexOf('.')
  const [first, rest] = [name.slice(0, dot), name.slice(dot + 1)]
  if (dot < 0 || !BUCKET_NAME.test(first) || rest.startsWith('iot.') || !isEndpointName(rest, hostName)) return undefined
  return first
}

/** Whether a host (of a URL) is one this emulator answers: its own address, or a name under its host name. */
export function isServedHost(host: string, ownHost: string, hostName: string | undefined): boolean {
  if (host.toLowerCase() === ownHost.toLowerCase()) return true
  const name = hostNameOf(host)
  return hostName !== undefined && (name === hostName || name.endsWith(`.${hostName}`))
}

/** The bucket and key of a request: virtual-hosted when the Host names a bucket, else path-style. */
export function ossAddress(host: string | undefined, pathname: string, hostName: string | undefined): OssAddress {
  const bucket = bucketOfHost(host, hostName)
  if (bucket !== undefined) return { bucket, rawKey: pathname.slice(1) }
  const rest = pathname.slice(1)
  const slash = rest.indexOf('/')
  return slash < 0 ? { bucket: rest, rawKey: '' } : { bucket: rest.slice(0, slash), rawKey: rest.slice(slash + 1) }
}

/** The object key a raw (percent-encoded) key names, or undefined when its escapes are malformed. */
export function decodeKey(rawKey: string): string | undefined {
  try {
    return decodeURIComponent(rawKey)
  } catch {
    return undefined
  }
}
