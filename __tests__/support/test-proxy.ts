/**
 * A forward proxy for tests: CONNECT tunnels and absolute-form requests (`GET http://host/path`),
 * with optional Basic authentication. Whatever host it is asked for, it connects only to the
 * loopback port its routing table gives for that `host:port`, and refuses anything else with 502:
 * no test resolves a name or leaves the machine through it.
 */
import { once } from 'node:events'
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'

interface TestProxyOptions {
  /**
   * Loopback port for each `host:port` the proxy may reach, e.g. `{ 'iot.cn-shanghai.emulator.test:443': 41234 }`;
   * `*.emulator.test:443` stands for every name under `emulator.test` on that port.
   */
  routes: Record<string, number>
  /** When set, every request must carry these credentials (Proxy-Authorization: Basic), or gets 407. */
  auth?: { user: string; password: string }
}

interface ProxyRequestRecord {
  /** `CONNECT` for a tunnel, else the method of the absolute-form request. */
  method: string
  /** `host:port` asked for, lower-case. */
  target: string
  /** Whether the request carried the configured credentials (false when the proxy asks for none). */
  authenticated: boolean
  /** What the proxy answered: 200 for an opened tunnel, 407, 502, or the status passed on. */
  status: number
}

export interface TestProxy {
  /** e.g. `http://127.0.0.1:41235`, without credentials. */
  url: string
  port: number
  /** Every request, oldest first. */
  requests(): ProxyRequestRecord[]
  reset(): void
  close(): Promise<void>
}

const LOOPBACK = '127.0.0.1'

function withDefaultPort(hostPort: string, defaultPort: number): string {
  return (/:\d+$/.test(hostPort) ? hostPort : `${hostPort}:${defaultPort}`).toLowerCase()
}

/** What the proxy decided about one request, already recorded. */
interface Admission {
  record: ProxyRequestRecord
  /** The status it is refused with (407, 502), or the loopback port to connect to. */
  refuse?: number
  port?: number
}

/** The routing table, the credentials asked for, and the record of every request. */
class Gatekeeper {
  readonly records: ProxyRequestRecord[] = []
  private readonly routes: Map<string, number>
  private readonly expected: string | undefined

  constructor(options: TestProxyOptions) {
    this.routes = new Map(Object.entries(options.routes).map(([target, port]) => [target.toLowerCase(), port]))
    this.expected = options.auth && `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`
  }

  admit(method: string, target: string, req: IncomingMessage): Admission {
    const authenticated = this.expected !== undefined && req.headers['proxy-authorization'] === this.expected
    const port = this.routeFor(target)
    const refuse = this.expected !== undefined && !authenticated ? 407 : port === undefined ? 502 : undefined
    const record = { method, target, authenticated, status: refuse ?? 200 }
    this.records.push(record)
    return { record, refuse, port }
  }

  private routeFor(target: string): number | undefined {
    const exact = this.routes.get(target)
    if (exact !== undefined) return exact
    for (const [pattern, port] of this.routes) if (pattern.startsWith('*.') && target.endsWith(pattern.slice(1))) return port
    return undefined
  }
}

function refusalHead(status: number): string {
  return status === 407
    ? 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test-proxy"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
    : 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
}

/** Keeps `socket` in `sockets` while it is open, so that close() can end it. */
function track(sockets: Set<Duplex>, socket: Duplex): void {
  sockets.add(socket)
  socket.on('close', () => sockets.delete(socket))
}

/** CONNECT: a tunnel to the routed loopback port, or a refusal. */
function tunnel(gate: Gatekeeper, sockets: Set<Duplex>, req: IncomingMessage, client: Duplex, head: Buffer): void {
  track(sockets, client)
  client.on('error', () => client.destroy())
  const { record, refuse, port } = gate.admit('CONNECT', (req.url ?? '').toLowerCase(), req)
  if (port === undefined || refuse !== undefined) {
    client.end(refusalHead(refuse ?? 502))
    return
  }
  const upstream = connect(port, LOOPBACK)
  let established = false
  track(sockets, upstream)
  upstream.on('close', () => client.destroy())
  client.on('close', () => upstream.destroy())
  upstream.on('error', () => {
    if (established) return
    record.status = 502
    client.end(refusalHead(502))
  })
  upstream.on('connect', () => {
    established = true
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) upstream.write(head)
    upstream.pipe(client)
    client.pipe(upstream)
  })
}

/** An absolute-form request (`GET http://host/path`): passed on to the routed loopback port, or refused. */
function forward(gate: Gatekeeper, req: IncomingMessage, res: ServerResponse): void {
  const url = URL.canParse(req.url ?? '') ? new URL(req.url ?? '') : undefined
  if (url?.protocol !== 'http:') {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('absolute-form http:// requests only')
    return
  }
  const { record, refuse, port } = gate.admit(req.method ?? 'GET', withDefaultPort(url.host, 80), req)
  if (port === undefined || refuse !== undefined) {
    res.writeHead(refuse ?? 502, refuse === 407 ? { 'proxy-authenticate': 'Basic realm="test-proxy"' } : {}).end()
    return
  }
  const headers = { ...req.headers }
  delete headers['proxy-authorization']
  delete headers['proxy-connection']
  const upstream = request({ host: LOOPBACK, port, method: req.method, path: url.pathname + url.search, headers }, (answer) => {
    record.status = answer.statusCode ?? 0
    res.writeHead(answer.statusCode ?? 502, answer.headers)
    answer.pipe(res)
  })
  upstream.on('error', () => {
    if (res.headersSent) return res.destroy()
    record.status = 502
    res.writeHead(502).end()
  })
  req.pipe(upstream)
}

/** Starts the proxy on a free loopback port. */
export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  const gate = new Gatekeeper(options)
  const sockets = new Set<Duplex>()
  const server = createServer((req, res) => forward(gate, req, res))
  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => tunnel(gate, sockets, req, client, head))
  server.on('connection', (socket) => track(sockets, socket))
  server.listen(0, LOOPBACK)
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${LOOPBACK}:${port}`,
    port,
    requests: () => gate.records.map((r) => ({ ...r })),
    reset: () => {
      gate.records.length = 0
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
}
