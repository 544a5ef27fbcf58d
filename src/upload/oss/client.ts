/**
 * ali-oss pointed at the bucket of `upload-mode: oss`.
 *
 * ali-oss is imported only here and only when an upload starts, so the default mode's start-up does
 * not load it (ncc emits it as a separate chunk).
 */
import type OSS from 'ali-oss'
import type { Agent } from 'node:http'
import { isIP } from 'node:net'
import type { Credentials } from '../../config/connection.js'
import type { OssTarget } from '../../config/upload-settings.js'
import type { ProxyRoute } from '../../net/proxy.js'

/** Options ali-oss reads that its type definitions leave out. */
interface ClientOptions extends OSS.Options {
  /** Path-style addressing (`/bucket/key`). */
  sldEnable?: boolean
  /** Agents for http and https endpoints; ali-oss's own keep-alive agents when absent. */
  agent?: Agent
  httpsAgent?: Agent
  /** ali-oss's own retry of network errors (none by default). */
  retryMax?: number
}

/** Where ali-oss connects: the bucket's host name, or the endpoint itself when it is an IP address. */
export function connectionUrl(target: OssTarget): URL {
  const endpoint = new URL(target.endpoint)
  if (isIP(endpoint.hostname.replace(/^\[|\]$/g, '')) !== 0) return endpoint
  return new URL(`${endpoint.protocol}//${target.bucket}.${endpoint.host}`)
}

function clientOptions(target: OssTarget, credentials: Credentials, requestTimeoutMs: number, route: ProxyRoute | undefined): ClientOptions {
  return {
    accessKeyId: credentials.accessKeyId,
    accessKeySecret: credentials.accessKeySecret,
    stsToken: credentials.securityToken,
    // Without a refresher ali-oss warns about STS tokens on every start; the run is shorter than the token.
    refreshSTSTokenInterval: credentials.securityToken ? 24 * 3600 * 1000 : undefined,
    bucket: target.bucket,
    region: `oss-${target.region}`,
    endpoint: target.endpoint,
    secure: target.endpoint.startsWith('https:'),
    // OSS phases out V1 signatures (new buckets refuse them since September 2025).
    authorizationV4: true,
    // Virtual-hosted for every endpoint: OSS reads the bucket from the Host ali-oss sends (also for IP
    // endpoints), so a bucket repeated in the path would become part of the key.
    sldEnable: false,
    timeout: requestTimeoutMs,
    // Each request is retried by the run's retry (ali-oss's default is none; said here so it stays so).
    retryMax: 0,
    // ali-oss hands these to urllib, which uses the one for the endpoint's protocol.
    agent: route?.agent,
    httpsAgent: route?.agent
  }
}

/** A client for the bucket, loading ali-oss on first use. */
export async function createOssClient(
  target: OssTarget,
  credentials: Credentials | undefined,
  requestTimeoutMs: number,
  route: ProxyRoute | undefined
): Promise<OSS> {
  if (credentials === undefined) throw new Error('upload-mode oss needs credentials to upload')
  const { default: Client } = await import('ali-oss')
  return new Client(clientOptions(target, credentials, requestTimeoutMs, route))
}
