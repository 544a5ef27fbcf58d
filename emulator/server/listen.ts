import { createServer, type RequestListener, type Server } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { EmulatorContext } from './context.js'
import type { Settings } from './options.js'
import { route } from './router.js'

/** A URL host for the listening address: wildcards are reached through loopback, IPv6 needs brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::') return '[::1]'
  return host.includes(':') ? `[${host}]` : host
}

export interface Listening {
  server: Server
  port: number
  /** `http(s)://host:port` */
  url: string
}

/** Where the emulator's services are, as the URLs it hands out name them. */
export interface HostUrls {
  /** The IoT API endpoint. */
  iot: string
  /** The OSS endpoint that names no bucket (path-style requests, ali-oss's `endpoint`). */
  oss: string
  /** A bucket's own URL: virtual-hosted under the host name, else path-style on the address. */
  bucket(name: string): string
}

/** The service URLs: under `hostName` when set (`iot.<region>.<hostName>`, …), else all at `url`. */
export function hostUrls(settings: Settings, url: string, port: number): HostUrls {
  const { hostName, region } = settings
  if (hostName === undefined) return { iot: url, oss: url, bucket: (name) => `${url}/${name}` }
  const scheme = settings.tls ? 'https' : 'http'
  const publicPort = settings.publicPort ?? port
  const suffix = publicPort === (settings.tls ? 443 : 80) ? '' : `:${publicPort}`
  const at = (name: string) => `${scheme}://${name}${suffix}`
  return { iot: at(`iot.${region}.${hostName}`), oss: at(`oss-${region}.${hostName}`), bucket: (name) => at(`${name}.oss-${region}.${hostName}`) }
}

/** Serves every request through the router; an unexpected failure answers 500 (or cuts a started answer). */
function createEmulatorServer(context: EmulatorContext, reset: () => void): Server {
  const listener: RequestListener = (req, res) => {
    route(req, res, context, reset).catch((error: unknown) => {
      // A client that went away mid-request (reading its body fails) leaves nothing to answer.
      if (req.socket.destroyed) return
      context.settings.log?.(`internal error: ${(error as Error).message}`)
      if (res.headersSent) {
        res.destroy()
        return
      }
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end('Emulator internal error')
    })
  }
  // No request timeout: a 1 GB upload may take a while, and a stalled one must hang until the client gives up.
  const { tls } = context.settings
  return tls ? createTlsServer({ ...tls, requestTimeout: 0 }, listener) : createServer({ requestTimeout: 0 }, listener)
}

/** Listens on the configured host and port (0: a free one). */
export function listen(context: EmulatorContext, reset: () => void): Promise<Listening> {
  const server = createEmulatorServer(context, reset)
  const { host, port } = context.settings
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const bound = (server.address() as AddressInfo).port
      resolve({ server, port: bound, url: `${context.settings.tls ? 'https' : 'http'}://${urlHost(host)}:${bound}` })
    })
  })
}
