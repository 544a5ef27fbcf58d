import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { actionInputs, expectNoSecretsShown, expectNothingPublished, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction } from '../support/local-runner.js'
import { startTestProxy, type TestProxy } from '../support/test-proxy.js'
import { makeTestCertificates, type TestCertificates } from '../support/tls.js'

// The emulator listens with TLS on a loopback port and answers to names under emulator.test, which
// never resolve: the test proxy is the only way to it. The URLs it hands out say port 443 (no port),
// which only the proxy maps to its loopback port; the action trusts its CA through NODE_EXTRA_CA_CERTS.
const IOT_HOST = 'iot.cn-shanghai.emulator.test'
const UPLOAD_HOST = 'iotx-ota.oss-cn-shanghai.emulator.test'
const BUCKET = 'acme-firmware'
const USER = 'ci-runner'
const PASSWORD = 'pr0xy-p@ss'
/** What must never show: the password, and the Basic credentials it makes. */
const PROXY_SECRETS = [PASSWORD, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]

let certs: TestCertificates
let proxy: TestProxy
beforeAll(async () => {
  certs = await makeTestCertificates(['*.emulator.test', '*.cn-shanghai.emulator.test', '*.oss-cn-shanghai.emulator.test'])
})
const emulator = useEmulator(() => ({ tls: { key: certs.key, cert: certs.cert }, hostName: 'emulator.test', publicPort: 443 }))
beforeAll(async () => {
  proxy = await startTestProxy({ routes: { '*.emulator.test:443': emulator().port }, auth: { user: USER, password: PASSWORD } })
})
afterAll(async () => {
  await proxy?.close()
  await certs?.remove()
})
beforeEach(() => proxy.reset())

/** The runner's environment behind the proxy; no other proxy setting leaks in from this machine. */
function proxyEnv(proxyUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HTTPS_PROXY: proxyUrl, https_proxy: '', HTTP_PROXY: '', http_proxy: '', NO_PROXY: '', no_proxy: '', NODE_EXTRA_CA_CERTS: certs.caPath, ...extra }
}
const withCredentials = (password: string): string => `http://${USER}:${encodeURIComponent(password)}@127.0.0.1:${proxy.port}`
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), { endpoint: emulator().hostUrls.iot, ...overrides })
const tunnelTo = (target: string) => ({ method: 'CONNECT', target, authenticated: true, status: 200 })

describe('behind an authenticating proxy: the emulator only reachable through it, on https://*.emulator.test', () => {
  it('the emulator hands out names without a port, as the platform does', () => {
    expect(emulator().hostUrls.iot).toBe(`https://${IOT_HOST}`)
    expect(emulator().hostUrls.bucket('iotx-ota')).toBe(`https://${UPLOAD_HOST}`)
  })

  it('platform mode: every IoT call and the upload went through the proxy with its credentials; the password shows nowhere with RUNNER_DEBUG', async () => {
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace(), env: proxyEnv(withCredentials(PASSWORD), { RUNNER_DEBUG: '1' }) })
    expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
    expect(run.code).toBe(0)
    const calls = emulator()
      .state.requests()
      .map((r) => r.action)
    expect(calls).toEqual(['ListOTAFirmware', 'ListOTAFirmware', 'GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'])
    // One tunnel per request: the IoT calls to the endpoint, the upload to the platform bucket's own host.
    expect(proxy.requests()).toEqual(calls.map((action) => tunnelTo(action === 'PostObject' ? `${UPLOAD_HOST}:443` : `${IOT_HOST}:443`)))
    expect(emulator().state.firmwares()[0]?.FirmwareUrl).toMatch(new RegExp(`^https://${UPLOAD_HOST.replaceAll('.', '\\.')}/`))
    expectNoSecretsShown(run, PROXY_SECRETS)
  })

  it('oss mode: the bucket is reached virtual-hosted by name, through the proxy', async () => {
    const ossInputs = inputs({ 'upload-mode': 'oss', 'oss-bucket': BUCKET, 'oss-endpoint': emulator().hostUrls.oss })
    expect(ossInputs['oss-endpoint']).toBe('https://oss-cn-shanghai.emulator.test')
    const run = await runAction({ inputs: ossInputs, workspace: await makeWorkspace(), env: proxyEnv(withCredentials(PASSWORD), { RUNNER_DEBUG: '1' }) })
    expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
    expect(run.code).toBe(0)
    expect(emulator().state.objects()).toEqual([expect.objectContaining({ bucket: BUCKET, key: 'ota/default/1.2.3/app.bin' })])
    const calls = emulator()
      .state.requests()
      .map((r) => r.action)
    expect(calls).toEqual(['ListOTAFirmware', 'ListOTAFirmware', 'HeadObject', 'PutObject', 'HeadObject', 'CreateOTAFirmware'])
    // One tunnel per request: the IoT calls to the endpoint, the object requests to the bucket's virtual host.
    const rpc = new Set(['ListOTAFirmware', 'CreateOTAFirmware'])
    expect(proxy.requests()).toEqual(calls.map((action) => tunnelTo(rpc.has(action) ? `${IOT_HOST}:443` : `${BUCKET}.oss-cn-shanghai.emulator.test:443`)))
    expect(emulator().state.firmwares()[0]?.FirmwareUrl).toBe(`https://${BUCKET}.oss-cn-shanghai.emulator.test/ota/default/1.2.3/app.bin`)
    expectNoSecretsShown(run, PROXY_SECRETS)
  })

  it('a wrong proxy password: fails once, saying the proxy refused and where it came from, without the password', async () => {
    const wrong = 'wr0ng-pass'
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace(), env: proxyEnv(withCredentials(wrong), { RUNNER_DEBUG: '1' }) })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`The proxy from HTTPS_PROXY (http://127.0.0.1:${proxy.port}) refused to open a tunnel to ${IOT_HOST}:443: HTTP 407`)
    // No retry storm: the refusal is final.
    expect(proxy.requests()).toEqual([{ method: 'CONNECT', target: `${IOT_HOST}:443`, authenticated: false, status: 407 }])
    expect(run.stdout).not.toMatch(/retrying in/)
    expectNothingPublished(emulator())
    expectNoSecretsShown(run, [wrong])
  })

  it('still verifies the endpoint certificate through the tunnel: without the CA the call fails and names the proxy', async () => {
    const run = await runAction({
      inputs: inputs({ 'max-attempts': '1' }),
      workspace: await makeWorkspace(),
      env: proxyEnv(withCredentials(PASSWORD), { NODE_EXTRA_CA_CERTS: '' })
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/certificate/i)
    expect(run.stdout).toContain(`through the proxy from HTTPS_PROXY (http://127.0.0.1:${proxy.port})`)
    expectNothingPublished(emulator())
  })
})
