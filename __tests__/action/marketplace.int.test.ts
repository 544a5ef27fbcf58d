import { describe, expect, it } from '@jest/globals'
import { createHash, randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { actionInputs, expectNoSecretsShown, expectNothingPublished, useEmulator } from '../support/emulator-harness.js'
import { DEFAULT_ACCOUNT } from '../../emulator/index.js'
import { makeWorkspace, runAction, type RunResult } from '../support/local-runner.js'
import { canonicalQuery, percentEncode } from '../../src/platform/signing/percent-encode.js'
import { signV2 } from '../../src/platform/signing/rpc-v2.js'

const emulator = useEmulator({ apiVariant: 'marketplace', modules: { a1uctKe1234: ['ble'] } })
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), { 'api-variant': 'marketplace', ...overrides })
const rpcCalls = () =>
  emulator()
    .state.requests()
    .filter((r) => r.action !== 'PostObject')

function expectFailure(run: RunResult, ...fragments: string[]): void {
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(/::error title=/)
  for (const f of fragments) expect(run.stdout).toContain(f)
  expect(run.outputs['firmware-id'] ?? '').toBe('')
}

describe('publishing to a marketplace instance through the bundled action', () => {
  // What a marketplace instance refuses (diff packages, iot-instance-id, no endpoint), and choosing it by the
  // endpoint's host, is decided by parseInputs: unit-tested in config/inputs.test.ts.
  it('publishes end to end with GETs signed by the HMAC-SHA1 query signature; outputs equal the record', async () => {
    const ws = await makeWorkspace({ 'build/app.bin': 30_000 })
    const md5 = createHash('md5')
      .update(await readFile(join(ws, 'build/app.bin')))
      .digest('hex')
    const run = await runAction({ inputs: inputs({ 'module-name': 'ble' }), workspace: ws, ref: 'refs/tags/v1.2.3' })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    const [fw] = emulator().state.firmwares()
    expect(emulator().state.firmwares()).toHaveLength(1)
    expect(fw).toMatchObject({
      FirmwareId: expect.stringMatching(/^\d+$/),
      DestVersion: '1.2.3',
      ModuleName: 'ble',
      Type: 0,
      FirmwareSign: md5,
      FirmwareSize: 30_000
    })
    expect(run.outputs).toMatchObject({
      'firmware-id': fw?.FirmwareId,
      'utc-create': fw?.UtcCreate,
      'firmware-url': fw?.FirmwareUrl,
      'firmware-sign': md5,
      'firmware-size': '30000',
      result: 'created'
    })
    expect(rpcCalls().map((r) => r.action)).toEqual([
      'ListOTAModuleByProduct',
      'ListOTAFirmware',
      'ListOTAFirmware',
      'GenerateOTAUploadURL',
      'CreateOTAFirmware'
    ])
    for (const call of rpcCalls()) expect(call).toMatchObject({ method: 'GET', signature: 'HMAC-SHA1', status: 200 })
  })

  it('a re-run reuses the package', async () => {
    const ws = await makeWorkspace()
    const first = await runAction({ inputs: inputs(), workspace: ws })
    expect(first.code).toBe(0)
    const again = await runAction({ inputs: inputs(), workspace: ws })
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({ result: 'reused', 'firmware-id': first.outputs['firmware-id'] })
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('another file under the same version is a conflict', async () => {
    expect((await runAction({ inputs: inputs(), workspace: await makeWorkspace({ 'build/app.bin': 4096 }) })).code).toBe(0)
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace({ 'build/other.bin': 5000 }) })
    expectFailure(run, 'already has package', 'on-version-conflict: skip')
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('an ambiguous create (created, then no answer) leaves exactly one package, the one in the outputs', async () => {
    emulator().faults.add({ kind: 'ambiguous-create', count: 1 })
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    const firmwares = emulator().state.firmwares()
    expect(firmwares).toHaveLength(1)
    expect(run.outputs['firmware-id']).toBe(firmwares[0]?.FirmwareId)
    expect(rpcCalls().filter((r) => r.action === 'CreateOTAFirmware')).toHaveLength(1)
  })

  it('a wrong secret fails at once with the code, and nothing is uploaded', async () => {
    const run = await runAction({ inputs: inputs({ 'access-key-secret': 'wrong-secret' }), workspace: await makeWorkspace() })
    expectFailure(run, 'SignatureDoesNotMatch', 'access-key-secret')
    expect(rpcCalls()).toHaveLength(1)
    expectNothingPublished(emulator())
  })

  it('with RUNNER_DEBUG=1 the log shows no signature, no signed URL and no secret', async () => {
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace(), env: { RUNNER_DEBUG: '1' } })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('::debug::CreateOTAFirmware: HTTP 200')
    expectNoSecretsShown(run, [DEFAULT_ACCOUNT.accessKeySecret])
    const shown = [run.stdout, run.stderr, run.summary].join('\n')
    expect(shown).not.toMatch(/Signature=|SignatureNonce|AccessKeyId=/)
    expect(shown).not.toContain(`${emulator().url}/?`)
  })
})

describe('the emulator in marketplace mode', () => {
  async function get(params: Record<string, string>, options: { method?: string; secret?: string } = {}) {
    const all: Record<string, string> = {
      AccessKeyId: DEFAULT_ACCOUNT.accessKeyId,
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID().replaceAll('-', ''),
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      ...params
    }
    const method = options.method ?? 'GET'
    const signature = signV2(method, all, options.secret ?? DEFAULT_ACCOUNT.accessKeySecret)
    const res = await fetch(`${emulator().url}/?${canonicalQuery(all)}&Signature=${percentEncode(signature)}`, { method })
    return { status: res.status, json: (await res.json()) as Record<string, unknown> }
  }

  it('answers the samples’ request (no Version, no SignatureVersion) in lower-camel with code ""', async () => {
    const answer = await get({ Action: 'GenerateOTAUploadURL' })
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({
      code: '',
      success: true,
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      data: { firmwareUrl: expect.any(String), ossAccessKeyId: expect.any(String) }
    })
    expect(await get({ Action: 'ListOTAFirmware', CurrentPage: '1', PageSize: '10', Version: '2018-01-20', SignatureVersion: '1.0' })).toMatchObject({
      status: 200,
      json: { code: '', success: true, currentPage: 1, firmwareInfo: [] }
    })
  })

  it.each([
    ['POST', { Action: 'ListOTAFirmware', CurrentPage: '1', PageSize: '10' }, { method: 'POST' }, 'UnsupportedHTTPMethod'],
    ['IotInstanceId', { Action: 'ListOTAFirmware', CurrentPage: '1', PageSize: '10', IotInstanceId: 'iot-1' }, {}, 'InvalidIotInstanceId'],
    ['another Version', { Action: 'ListOTAFirmware', CurrentPage: '1', PageSize: '10', Version: '2017-01-01' }, {}, 'InvalidVersion'],
    ['a wrong secret', { Action: 'ListOTAFirmware', CurrentPage: '1', PageSize: '10' }, { secret: 'nope' }, 'SignatureDoesNotMatch']
  ])('refuses %s with a lower-camel error', async (_name, params, options, code) => {
    const answer = await get(params, options)
    expect(answer.status).toBeGreaterThanOrEqual(400)
    expect(answer.json).toMatchObject({ code, success: false, errorMessage: expect.any(String) })
  })

  it('refuses the ACS3 header signature', async () => {
    const res = await fetch(`${emulator().url}/?CurrentPage=1`, {
      headers: {
        'x-acs-action': 'ListOTAFirmware',
        'x-acs-version': '2018-01-20',
        authorization: 'ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=00'
      }
    })
    expect(((await res.json()) as { code: string }).code).toBe('IncompleteSignature')
  })
})
