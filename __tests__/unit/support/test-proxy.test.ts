import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { once } from 'node:events'
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { startTestProxy, type TestProxy } from '../../support/test-proxy.js'

// The proxy is driven with raw node:http here, not with the action's proxy code it is there to test.
let upstream: Server
let upstreamPort: number
let lastHeaders: IncomingHttpHeaders = {}
let lastPath = ''

beforeAll(async () => {
  upstream = createServer((req, res) => {
    lastHeaders = req.headers
    lastPath = req.url ?? ''
    req.resume()
    req.on('end', () => res.end(`upstream saw ${req.method}`))
  })
  upstream.listen(0, '127.0.0.1')
  await once(upstream, 'listening')
  upstreamPort = (upstream.address() as AddressInfo).port
})
afterAll(async () => {
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

async function withProxy(auth: { user: string; password: string } | undefined, body: (proxy: TestProxy) => Promise<void>): Promise<void> {
  const proxy = await startTestProxy({ routes: { 'iot.cn-shanghai.emulator.test:443': upstreamPort, 'oss.emulator.test:80': upstreamPort }, auth })
  try {
    await body(proxy)
  } finally {
    await proxy.close()
  }
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`

/** Sends CONNECT and, once the tunnel is open, a plain GET through it. */
function connectThrough(
  proxy: TestProxy,
  target: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; headers: IncomingHttpHeaders; body?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxy.port, method: 'CONNECT', path: target, headers })
    req.on('error', reject)
    req.on('connect', (res: IncomingMessage, socket: Socket) => {
      if (res.statusCode !== 200) {
        socket.destroy()
        resolve({ status: res.statusCode ?? 0, headers: res.headers })
        return
      }
      let text = ''
      socket.on('data', (d: Buffer) => (text += d.toString()))
      socket.on('end', () => resolve({ status: 200, headers: res.headers, body: text }))
      socket.write(`GET /through HTTP/1.1\r\nHost: ${target}\r\nConnection: close\r\n\r\n`)
    })
    req.end()
  })
}

function getAbsolute(
  proxy: TestProxy,
  url: string,
  headers: Record<string, string> = {}
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: proxy.port, method: 'GET', path: url, headers: { host: new URL(url).host, ...headers } }, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => (text += d.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('the test proxy', () => {
  it('tunnels a CONNECT to the loopback port of its routing table, and records it', async () => {
    await withProxy(undefined, async (proxy) => {
      const res = await connectThrough(proxy, 'IOT.cn-shanghai.emulator.test:443')
      expect(res.status).toBe(200)
      expect(res.body).toContain('upstream saw GET')
      expect(proxy.requests()).toEqual([{ method: 'CONNECT', target: 'iot.cn-shanghai.emulator.test:443', authenticated: false, status: 200 }])
    })
  })

  it('routes every name under a wildcard entry, on its port only', async () => {
    const proxy = await startTestProxy({ routes: { '*.emulator.test:443': upstreamPort } })
    try {
      expect((await connectThrough(proxy, 'fw.oss-cn-shanghai.emulator.test:443')).status).toBe(200)
      expect((await connectThrough(proxy, 'fw.oss-cn-shanghai.emulator.test:80')).status).toBe(502)
      expect((await connectThrough(proxy, 'emulator.test.example.com:443')).status).toBe(502)
    } finally {
      await proxy.close()
    }
  })

  it('refuses a host that is not in its table with 502, whatever it is', async () => {
    await withProxy(undefined, async (proxy) => {
      expect((await connectThrough(proxy, 'example.com:443')).status).toBe(502)
      expect((await connectThrough(proxy, `127.0.0.1:${upstreamPort}`)).status).toBe(502)
      expect((await getAbsolute(proxy, 'http://example.com/')).status).toBe(502)
      expect(proxy.requests().map((r) => r.status)).toEqual([502, 502, 502])
    })
  })

  it('forwards an absolute-form request, without the proxy headers', async () => {
    await withProxy({ user: 'u', password: 'p' }, async (proxy) => {
      const res = await getAbsolute(proxy, 'http://oss.emulator.test/bucket/key?x=1', { 'proxy-authorization': basic('u', 'p') })
      expect(res).toMatchObject({ status: 200, body: 'upstream saw GET' })
      expect(lastPath).toBe('/bucket/key?x=1')
      expect(lastHeaders.host).toBe('oss.emulator.test')
      expect(lastHeaders['proxy-authorization']).toBeUndefined()
      expect(proxy.requests()).toEqual([{ method: 'GET', target: 'oss.emulator.test:80', authenticated: true, status: 200 }])
    })
  })

  it('asks for Basic credentials with 407 and Proxy-Authenticate when they are missing or wrong', async () => {
    await withProxy({ user: 'u', password: 'p' }, async (proxy) => {
      const missing = await connectThrough(proxy, 'iot.cn-shanghai.emulator.test:443')
      const wrong = await connectThrough(proxy, 'iot.cn-shanghai.emulator.test:443', { 'proxy-authorization': basic('u', 'nope') })
      const absolute = await getAbsolute(proxy, 'http://oss.emulator.test/')
      for (const res of [missing, wrong, absolute]) {
        expect(res.status).toBe(407)
        expect(res.headers['proxy-authenticate']).toBe('Basic realm="test-proxy"')
      }
      const right = await connectThrough(proxy, 'iot.cn-shanghai.emulator.test:443', { 'proxy-authorization': basic('u', 'p') })
      expect(right.status).toBe(200)
      expect(proxy.requests().map((r) => [r.status, r.authenticated])).toEqual([
        [407, false],
        [407, false],
        [407, false],
        [200, true]
      ])
    })
  })
})
