import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import { createServer, type Server } from 'node:tls'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index.js'
import { actionInputs, expectNoSecretsShown, expectNothingPublished, useEmulator } from '../../__fixtures__/emulator-harness.js'
import { makeWorkspace, runAction } from '../../scripts/local-runner.js'
import { startTestProxy, type TestProxy } from '../support/test-proxy.js'
import { makeTestCertificates, type TestCertificates } from '../support/tls.js'

// The IoT endpoint is https://iot.cn-shanghai.emulator.test: a name that never resolves, reached
// only through the test proxy, over TLS with a CA the action trusts through NODE_EXTRA_CA_CERTS.
const IOT_HOST = 'iot.cn-shanghai.emulator.test'
const USER = 'ci-runner'
const PASSWORD = 'pr0xy-p@ss'

const emulator = useEmulator()
let certs: TestCertificates
let proxy: TestProxy
let terminator: Server

/** TLS in front of the emulator (which listens in plain HTTP): what the proxy's tunnel reaches. */
async function startTlsTerminator(backendPort: number): Promise<Server> {
  const server = createServer({ key: certs.key, cert: certs.cert }, (client) => {
    const backend = connect(backendPort, '127.0.0.1')
    client.pipe(backend).pipe(client)
    client.on('error', () => backend.destroy())
    backend.on('error', () => client.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return server
}

beforeAll(async () => {
  certs = await makeTestCertificates(['*.emulator.test', IOT_HOST])
  terminator = await startTlsTerminator(emulator().port)
  proxy = await startTestProxy({
    routes: { [`${IOT_HOST}:443`]: (terminator.address() as AddressInfo).port },
    auth: { user: USER, password: PASSWORD }
  })
})
afterAll(async () => {
  await proxy.close()
  await new Promise((resolve) => terminator.close(resolve))
  await certs.remove()
})
beforeEach(() => proxy.reset())

/** The runner's environment behind the proxy; no other proxy setting leaks in from this machine. */
function proxyEnv(proxyUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HTTPS_PROXY: proxyUrl, https_proxy: '', HTTP_PROXY: '', http_proxy: '', NO_PROXY: '', no_proxy: '', NODE_EXTRA_CA_CERTS: certs.caPath, ...extra }
}
const withCredentials = (password: string): string => `http://${USER}:${encodeURIComponent(password)}@127.0.0.1:${proxy.port}`
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), { endpoint: `https://${IOT_HOST}`, ...overrides })

describe('behind an authenticating proxy (IoT API over TLS through the tunnel)', () => {
  it('publishes; every API call went through the proxy with its credentials; the password shows nowhere with RUNNER_DEBUG', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs(), workspace: ws, env: proxyEnv(withCredentials(PASSWORD), { RUNNER_DEBUG: '1' }) })
    expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()).toHaveLength(1)

    const rpcCalls = emulator().state.requests().filter((r) => r.action !== 'PostObject')
    expect(rpcCalls.map((r) => r.action)).toEqual(['ListOTAFirmware', 'GenerateOTAUploadURL', 'CreateOTAFirmware'])
    // One tunnel per call, each to the endpoint and authenticated.
    expect(proxy.requests()).toEqual(rpcCalls.map(() => ({ method: 'CONNECT', target: `${IOT_HOST}:443`, authenticated: true, status: 200 })))
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64')
    expectNoSecretsShown(run, [PASSWORD, basic])
  })

  it('a wrong proxy password: fails once, saying the proxy refused and where it came from, without the password', async () => {
    const ws = await makeWorkspace()
    const wrong = 'wr0ng-pass'
    const run = await runAction({ inputs: inputs(), workspace: ws, env: proxyEnv(withCredentials(wrong), { RUNNER_DEBUG: '1' }) })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`The proxy from HTTPS_PROXY (http://127.0.0.1:${proxy.port}) refused to open a tunnel to ${IOT_HOST}:443: HTTP 407`)
    // No retry storm: the refusal is final.
    expect(proxy.requests()).toEqual([{ method: 'CONNECT', target: `${IOT_HOST}:443`, authenticated: false, status: 407 }])
    expect(run.stdout).not.toMatch(/retrying in/)
    expectNothingPublished(emulator())
    expectNoSecretsShown(run, [wrong])
  })

  it('still verifies the endpoint certificate through the tunnel: without the CA the call fails and names the proxy', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs({ 'max-attempts': '1' }), workspace: ws, env: proxyEnv(withCredentials(PASSWORD), { NODE_EXTRA_CA_CERTS: '' }) })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/certificate/i)
    expect(run.stdout).toContain(`through the proxy from HTTPS_PROXY (http://127.0.0.1:${proxy.port})`)
    expectNothingPublished(emulator())
  })
})

/** The emulator options the tests below expect: TLS listening, and answering to names under `hostName`. */
interface TlsEmulatorOptions extends EmulatorOptions {
  tls: { key: string; cert: string }
  hostName: string
}

// Awaits the emulator's TLS listening, `.test` host names and Host-header addressing (added separately):
// then the platform upload and the user's bucket are reached by name too, so everything goes through the proxy.
describe.skip('everything through the proxy: emulator on https://*.emulator.test (awaits the emulator part)', () => {
  let tlsEmulator: Emulator
  let tlsProxy: TestProxy
  beforeAll(async () => {
    const options: TlsEmulatorOptions = { port: 0, tls: { key: certs.key, cert: certs.cert }, hostName: 'emulator.test' }
    tlsEmulator = await startEmulator(options)
    tlsProxy = await startTestProxy({ routes: { '*.emulator.test:443': tlsEmulator.port }, auth: { user: USER, password: PASSWORD } })
  })
  afterAll(async () => {
    await tlsProxy?.close()
    await tlsEmulator?.close()
  })
  beforeEach(() => {
    tlsEmulator.reset()
    tlsProxy.reset()
  })
  const env = (): Record<string, string> =>
    proxyEnv(`http://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${tlsProxy.port}`, { RUNNER_DEBUG: '1' })

  it('platform mode: every call and the upload went through the proxy, authenticated', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: actionInputs(tlsEmulator, { endpoint: `https://${IOT_HOST}` }), workspace: ws, env: env() })
    expect(run.code).toBe(0)
    const calls = tlsEmulator.state.requests().map((r) => r.action)
    expect(calls).toEqual(['ListOTAFirmware', 'GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'])
    const tunnels = tlsProxy.requests()
    expect(tunnels).toHaveLength(calls.length)
    for (const t of tunnels) expect(t).toMatchObject({ method: 'CONNECT', authenticated: true, status: 200 })
    expect(tunnels.filter((t) => t.target === `${IOT_HOST}:443`)).toHaveLength(3)
    // The upload went to the platform's upload host, a name under .test, not to the IoT endpoint.
    expect(tunnels[2]?.target).toMatch(/\.emulator\.test:443$/)
    expect(tunnels[2]?.target).not.toBe(`${IOT_HOST}:443`)
    expectNoSecretsShown(run, [PASSWORD])
  })

  it('oss mode: the bucket is reached virtual-hosted by name, through the proxy', async () => {
    const ws = await makeWorkspace()
    const bucket = 'acme-firmware'
    const ossInputs = { endpoint: `https://${IOT_HOST}`, 'upload-mode': 'oss', 'oss-bucket': bucket, 'oss-endpoint': 'https://oss-cn-shanghai.emulator.test' }
    const run = await runAction({ inputs: actionInputs(tlsEmulator, ossInputs), workspace: ws, env: env() })
    expect(run.code).toBe(0)
    expect(tlsEmulator.state.objects()).toEqual([expect.objectContaining({ bucket, key: 'ota/default/1.2.3/app.bin' })])
    const targets = new Set(tlsProxy.requests().map((t) => t.target))
    expect(targets).toEqual(new Set([`${IOT_HOST}:443`, `${bucket}.oss-cn-shanghai.emulator.test:443`]))
    expect(tlsEmulator.state.firmwares()[0]?.FirmwareUrl).toBe(`https://${bucket}.oss-cn-shanghai.emulator.test/ota/default/1.2.3/app.bin`)
    expectNoSecretsShown(run, [PASSWORD])
  })
})
