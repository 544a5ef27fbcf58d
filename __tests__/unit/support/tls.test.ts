import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { connect, createServer, type Server } from 'node:tls'
import { makeTestCertificates, type TestCertificates } from '../../support/tls.js'

let certs: TestCertificates
let server: Server
let port: number

beforeAll(async () => {
  certs = await makeTestCertificates(['*.emulator.test', 'iot.cn-shanghai.emulator.test', '127.0.0.1'])
  server = createServer({ key: certs.key, cert: certs.cert }, (socket) => socket.end('hello'))
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await certs.remove()
})

function handshake(servername: string, ca?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca })
    let text = ''
    socket.on('data', (d: Buffer) => (text += d.toString()))
    socket.on('end', () => resolve(text))
    socket.on('error', reject)
  })
}

describe('throwaway test certificates', () => {
  it('are trusted through their CA for each name asked for, wildcards included', async () => {
    expect(await handshake('iot.cn-shanghai.emulator.test', certs.ca)).toBe('hello')
    expect(await handshake('fw.emulator.test', certs.ca)).toBe('hello')
  })

  it('are refused without the CA, and for names they do not carry', async () => {
    await expect(handshake('iot.cn-shanghai.emulator.test')).rejects.toThrow(/self-signed|unable to (get|verify)/i)
    await expect(handshake('fw.oss-cn-shanghai.aliyuncs.com', certs.ca)).rejects.toThrow(/altnames|Hostname/i)
  })
})
