import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { EmulatorContext } from './context.js'
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
  /** `http://host:port` */
  url: string
}

/** Serves every request through the router; an unexpected failure answers 500 (or cuts a started answer). */
function createEmulatorServer(context: EmulatorContext, reset: () => void): Server {
  // No request timeout: a 1 GB upload may take a while, and a stalled one must hang until the client gives up.
  return createServer({ requestTimeout: 0 }, (req, res) => {
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
  })
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
      resolve({ server, port: bound, url: `http://${urlHost(host)}:${bound}` })
    })
  })
}
