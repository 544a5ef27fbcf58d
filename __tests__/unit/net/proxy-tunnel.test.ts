import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net'
import { ActionError } from '../../../src/contract/action-error.js'
import { sendRequest, TransportError, type BodyProducer } from '../../../src/net/transport.js'
import { withProxy } from '../../../src/net/proxy.js'
import { startTestProxy, type TestProxy } from '../../support/test-proxy.js'

// A name under .test never resolves: only the test proxy's routing table can reach it.
const HOST = 'iot.cn-shanghai.emulator.test'
const send = withProxy(sendRequest)

let target: Server
let targetPort: number
let seen: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = []
const proxies: TestProxy[] = []

beforeAll(async () => {
  target = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({ headers: req.headers, body: Buffer.concat(chunks) })
      res.end('{"Success":true}')
    })
  })
  target.listen(0, '127.0.0.1')
  await once(target, 'listening')
  targetPort = (target.address() as AddressInfo).port
})
afterAll(async () => {
  target.closeAllConnections()
  await new Promise((resolve) => target.close(resolve))
})
const savedProxy = process.env.HTTP_PROXY
afterEach(async () => {
  if (savedProxy === undefined) delete process.env.HTTP_PROXY
  else process.env.HTTP_PROXY = savedProxy
  seen = []
  await Promise.all(proxies.splice(0).map((p) => p.close()))
})

async function proxyAt(auth?: { user: string; password: string }, routes: Record<string, number> = { [`${HOST}:80`]: targetPort }): Promise<TestProxy> {
  const proxy = await startTestProxy({ routes, auth })
  proxies.push(proxy)
  return proxy
}

const request = { url: `http://${HOST}/?Action=ListOTAFirmware`, method: 'POST', headers: {}, idleTimeoutMs: 5000 }

describe('requests through the proxy variables', () => {
  it('goes through a CONNECT tunnel with the credentials of the proxy URL', async () => {
    const proxy = await proxyAt({ user: 'alice', password: 'p@ss word' })
    process.env.HTTP_PROXY = `http://alice:${encodeURIComponent('p@ss word')}@127.0.0.1:${proxy.port}`
    const res = await send(request)
    expect(res.status).toBe(200)
    expect(proxy.requests()).toEqual([{ method: 'CONNECT', target: `${HOST}:80`, authenticated: true, status: 200 }])
    // The target sees its own name, and nothing meant for the proxy.
    expect(seen[0]?.headers.host).toBe(HOST)
    expect(seen[0]?.headers['proxy-authorization']).toBeUndefined()
  })

  it('streams a producer body through the tunnel', async () => {
    const proxy = await proxyAt()
    process.env.HTTP_PROXY = proxy.url
    const chunk = Buffer.alloc(64 * 1024)
    const body: BodyProducer = async (write) => {
      for (let i = 0; i < 16; i++) {
        chunk.fill(i)
        await write(chunk)
      }
    }
    const res = await send({ ...request, headers: { 'content-length': String(16 * chunk.length) }, body })
    expect(res.status).toBe(200)
    const received = seen[0]?.body ?? Buffer.alloc(0)
    expect(received.length).toBe(16 * chunk.length)
    expect([received[0], received[received.length - 1]]).toEqual([0, 15])
    expect(proxy.requests()).toHaveLength(1)
  })

  it('a wrong password: one refused tunnel, a permanent error naming the variable and not the password', async () => {
    const proxy = await proxyAt({ user: 'alice', password: 'right' })
    process.env.HTTP_PROXY = `http://alice:wr0ng-secret@127.0.0.1:${proxy.port}`
    const err = await send(request).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as Error).message).toContain(`HTTP_PROXY (http://127.0.0.1:${proxy.port}) refused to open a tunnel to ${HOST}:80: HTTP 407`)
    expect(JSON.stringify({ message: (err as Error).message, hint: (err as ActionError).hint })).not.toContain('wr0ng-secret')
    expect(proxy.requests()).toEqual([{ method: 'CONNECT', target: `${HOST}:80`, authenticated: false, status: 407 }])
    expect(seen).toHaveLength(0)
  })

  it('a host the proxy cannot reach (502): a retryable failure naming the proxy', async () => {
    const proxy = await proxyAt(undefined, {})
    process.env.HTTP_PROXY = proxy.url
    const err = await send(request).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransportError)
    expect(err).toMatchObject({ kind: 'network', requestSent: false })
    expect((err as Error).message).toContain(`HTTP_PROXY (${proxy.url})`)
  })

  it('a proxy that refuses connections: a retryable failure naming the proxy', async () => {
    const proxy = await proxyAt()
    const url = proxy.url
    await proxies.splice(0)[0]?.close()
    process.env.HTTP_PROXY = url
    const err = await send(request).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TransportError)
    expect((err as Error).message).toMatch(
      new RegExp(
        `^Could not reach the proxy from HTTP_PROXY \\(${url.replace(/\./g, '\\.')}\\) for ${HOST.replace(/\./g, '\\.')}:80: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+$`
      )
    )
  })

  it('a proxy that takes the connection and never answers: given up after the request timeout, naming the proxy', async () => {
    const held: Socket[] = []
    const closed: Promise<unknown>[] = []
    const silent = createTcpServer((socket) => {
      held.push(socket)
      closed.push(once(socket, 'close'))
      socket.resume()
    })
    silent.listen(0, '127.0.0.1')
    await once(silent, 'listening')
    try {
      process.env.HTTP_PROXY = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`
      const err = await send({ ...request, idleTimeoutMs: 300 }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TransportError)
      expect(err).toMatchObject({ kind: 'network', requestSent: false })
      expect((err as Error).message).toBe(
        `Could not reach the proxy from HTTP_PROXY (${process.env.HTTP_PROXY}) for ${HOST}:80: no answer from the proxy within 0.3 s`
      )
      // The CONNECT was given up: its connection is closed, nothing keeps the process alive.
      expect(held).toHaveLength(1)
      await Promise.all(closed)
    } finally {
      for (const s of held) s.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })
})
