import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { actionInputs, createModules, expectNothingPublished, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, ROLLOUT_ENTRY, runAction, RunResult, systemNode, VERIFY_ENTRY } from '../support/local-runner.js'

// The product's OTA modules besides default: CreateOTAFirmware refuses any other.
const emulator = useEmulator()
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), overrides)

function expectFailure(run: RunResult, ...fragments: string[]): void {
  expect(run.code).toBe(1)
  expect(run.stdout).toMatch(/::error title=/)
  for (const f of fragments) expect(run.stdout).toContain(f)
  expect(run.outputs['firmware-id'] ?? '').toBe('')
}

describe('publishing through the bundled action', () => {
  it('publishes a tagged build: upload, register, outputs, summary, notice', async () => {
    const ws = await makeWorkspace({ 'build/app.bin': 70_000 })
    const bytes = await readFile(join(ws, 'build/app.bin'))
    await createModules(emulator(), ['wifi'])
    const run = await runAction({ inputs: inputs({ 'module-name': 'wifi' }), workspace: ws, ref: 'refs/tags/v1.2.3' })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)

    const [fw] = emulator().state.firmwares()
    expect(emulator().state.firmwares()).toHaveLength(1)
    expect(fw).toMatchObject({ DestVersion: '1.2.3', ModuleName: 'wifi', ProductKey: 'a1uctKe1234', SignMethod: 'MD5' })
    const md5 = createHash('md5').update(bytes).digest('hex')
    expect(fw?.FirmwareSign).toBe(md5)
    expect(emulator().state.objects()[0]).toMatchObject({ size: 70_000, md5 })

    expect(run.outputs).toMatchObject({
      'firmware-id': fw?.FirmwareId,
      'utc-create': fw?.UtcCreate,
      'dest-version': '1.2.3',
      'module-name': 'wifi',
      'firmware-size': '70000',
      'firmware-sign': md5,
      'sign-method': 'MD5',
      result: 'created',
      tag: 'v1.2.3',
      'is-prerelease': 'false'
    })
    expect(run.outputs['firmware-url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/iotx-ota\/ota\//)
    expect(JSON.parse(run.outputs.json ?? '{}')).toMatchObject({ 'firmware-id': fw?.FirmwareId, result: 'created' })
    expect(run.outputs['utc-create']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(run.summary).toContain('| 1.2.3 (tag v1.2.3) | wifi | true |')
    expect(run.summary).toContain('- File `build/app.bin`, 68.4 KiB (70000 bytes)')
    expect(run.summary).toContain(fw?.FirmwareId ?? 'missing')
    expect(run.stdout).toMatch(new RegExp(`::notice title=OTA package::FirmwareId ${fw?.FirmwareId}`))
    // After the test's own CreateOTAModule: the calls the publish needs, in order, and nothing else that writes.
    expect(
      emulator()
        .state.requests()
        .map((r) => r.action)
    ).toEqual(['CreateOTAModule', 'ListOTAModuleByProduct', 'ListOTAFirmware', 'ListOTAFirmware', 'GenerateOTAUploadURL', 'PostObject', 'CreateOTAFirmware'])
  })

  it("runs on the machine's own Node too (20 on development machines)", async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs(), workspace: ws, node: systemNode() })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('created')
  })

  it('uses an explicit dest-version over the tag', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs({ 'dest-version': '2024.11.20-hotfix_1' }), workspace: ws, ref: 'refs/heads/main' })
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()[0]?.DestVersion).toBe('2024.11.20-hotfix_1')
    expect(run.outputs['dest-version']).toBe('2024.11.20-hotfix_1')
  })

  it('takes module and version from a module-prefixed tag', async () => {
    const ws = await makeWorkspace()
    await createModules(emulator(), ['wifi'])
    const run = await runAction({ inputs: inputs(), workspace: ws, ref: 'refs/tags/wifi/v1.4.0' })
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()[0]).toMatchObject({ DestVersion: '1.4.0', ModuleName: 'wifi' })
    expect(run.outputs['tag-module']).toBe('wifi')
  })

  it('takes the version from a release event', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({
      inputs: inputs(),
      workspace: ws,
      eventName: 'release',
      ref: 'refs/heads/main',
      eventPayload: { release: { tag_name: 'v3.0.1' } }
    })
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()[0]?.DestVersion).toBe('3.0.1')
  })

  it('signs with SHA256 when asked', async () => {
    const ws = await makeWorkspace({ 'build/app.bin': 10_000 })
    const bytes = await readFile(join(ws, 'build/app.bin'))
    const run = await runAction({ inputs: inputs({ 'sign-method': 'SHA256' }), workspace: ws })
    expect(run.code).toBe(0)
    const sha = createHash('sha256').update(bytes).digest('hex')
    expect(emulator().state.firmwares()[0]).toMatchObject({ SignMethod: 'SHA256', FirmwareSign: sha })
    expect(run.outputs['firmware-sign']).toBe(sha)
  })

  it('registers a differential package with its SrcVersion and the other fields', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({
      inputs: inputs({
        'firmware-type': 'diff',
        'src-version': '1.2.2',
        'need-to-verify': 'false',
        'firmware-desc': 'Fixes the Wi-Fi reconnect',
        udi: '{"ota_notice":"reboot"}',
        'firmware-name': 'fw-{module}-{version}'
      }),
      workspace: ws
    })
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()[0]).toMatchObject({
      Type: 1,
      SrcVersion: '1.2.2',
      NeedToVerify: false,
      FirmwareDesc: 'Fixes the Wi-Fi reconnect',
      Udi: '{"ota_notice":"reboot"}',
      FirmwareName: 'fw-default-1_2_3'
    })
  })

  it('dry run uploads and registers nothing', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs({ 'dry-run': 'true' }), workspace: ws })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('dry-run')
    expect(run.outputs['firmware-sign']).toMatch(/^[0-9a-f]{32}$/)
    expect(run.stdout).toContain('Would call CreateOTAFirmware')
    expectNothingPublished(emulator())
  })
})

describe('invalid input fails before anything is uploaded or registered', () => {
  // Which inputs are refused, with what message and hint, is unit-tested where it is decided (parseInputs,
  // buildPlan, resolveVersion, renderFirmwareName, findArtifact, readUploadSettings). One run shows the wiring.
  it('a refused input: exit 1, one annotation titled after the input with message and hint, result=failed, the failure summary, a manifest', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs({ 'module-name': 'ble', 'firmware-type': 'diff' }), workspace: ws })
    const message = "Input 'src-version' is required when 'firmware-type' is diff."
    const hint = 'Set it to the version the devices run now, which the differential package applies to.'
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([
      `::error title=OTA publish failed (input src-version)::${message}%0A${hint}`
    ])
    expect(run.outputs.result).toBe('failed')
    expect(run.outputs['firmware-id'] ?? '').toBe('')
    // The inputs did not parse: the summary and the manifest name the module as written.
    expect(run.summary).toBe(`### OTA publish failed (module ble, input \`src-version\`)\n\n${message}\n\n**What to do:** ${hint}\n`)
    expect(run.outputs['manifest-path']).toMatch(/ota-manifest-ble\.json$/)
    expect(JSON.parse(await readFile(run.outputs['manifest-path'] ?? '', 'utf8'))).toMatchObject({ result: 'failed', moduleName: 'ble', message })
    expect(emulator().state.requests()).toEqual([])
    expectNothingPublished(emulator())
  })

  it('a file that vanishes between the glob and the upload', async () => {
    const ws = await makeWorkspace()
    // ListOTAFirmware answers late, so the file is gone by the time the upload would start.
    emulator().faults.add({ kind: 'slow', action: 'ListOTAFirmware', delayMs: 2000, count: 1 })
    const run = await runAction({
      inputs: inputs(),
      workspace: ws,
      onSpawn: () => setTimeout(() => void unlink(join(ws, 'build/app.bin')), 1000)
    })
    expectFailure(run, "matched by input 'files'", 'vanished')
    const actions = emulator()
      .state.requests()
      .map((r) => r.action)
    // The lookup of an existing package, then the account's count: nothing uploaded.
    expect(actions).toEqual(['ListOTAFirmware', 'ListOTAFirmware'])
    expect(emulator().state.firmwares()).toHaveLength(0)
  })
})

describe('platform errors', () => {
  it('a wrong secret fails at once with the code and a hint', async () => {
    const ws = await makeWorkspace()
    const started = Date.now()
    const run = await runAction({ inputs: inputs({ 'access-key-secret': 'wrong-secret' }), workspace: ws })
    expectFailure(run, 'SignatureDoesNotMatch', 'access-key-secret')
    expect(emulator().state.requests()).toHaveLength(1)
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('an unknown AccessKey fails with InvalidAccessKeyId', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs({ 'access-key-id': 'LTAInobody' }), workspace: ws })
    expectFailure(run, 'InvalidAccessKeyId')
  })

  it('a FirmwareName taken by another version fails with a hint and leaves one package', async () => {
    const ws = await makeWorkspace()
    expect((await runAction({ inputs: inputs({ 'firmware-name': 'same-name' }), workspace: ws, ref: 'refs/tags/v1.0.0' })).code).toBe(0)
    const run = await runAction({ inputs: inputs({ 'firmware-name': 'same-name' }), workspace: ws, ref: 'refs/tags/v1.0.1' })
    expectFailure(run, 'AlreadyExistedFirmwareName', 'unique')
    expect(run.stdout).toMatch(/^::warning::http:\/\/127\.0\.0\.1:\d+\/iotx-ota\/ota\/\S+ was uploaded but not registered/m)
    expect(emulator().state.firmwares()).toHaveLength(1)
  })
})

describe('an instance that has an id (Enterprise, and new public instances in cn-shanghai)', () => {
  const INSTANCE_ID = 'iot-cn-0pp1n8t0001'
  const instance = useEmulator({ iotInstanceId: INSTANCE_ID })
  const base = (): Record<string, string> => ({ ...inputs(), endpoint: instance().url })
  /** The remediation of the instance error: where the id is, never to leave it empty. */
  function expectInstanceHint(run: RunResult, title: string): void {
    expect(run.code).toBe(1)
    const error = run.stdout.split('\n').find((line) => line.startsWith('::error ')) ?? ''
    expect(error).toContain(`::error title=${title} failed (iot.system.InstanceNotFound)::`)
    expect(error).toContain("set 'iot-instance-id' to the ID on the instance's Overview page in the IoT Platform console")
    expect(error).toContain('new public instances, the default in cn-shanghai, have one and need it sent')
    expect(error).not.toMatch(/leave it empty|remove it|empty for the public instance/i)
    expect(run.summary).toContain("instance's Overview page")
  }

  it('sends IotInstanceId on every call, and without it says where to find the id', async () => {
    const ws = await makeWorkspace()
    const missing = await runAction({ inputs: base(), workspace: ws })
    expectInstanceHint(missing, 'OTA publish')
    expect(
      instance()
        .state.requests()
        .map((r) => r.code)
    ).toEqual(['iot.system.InstanceNotFound'])
    const ok = await runAction({ inputs: { ...base(), 'iot-instance-id': INSTANCE_ID }, workspace: ws })
    expect(ok.code).toBe(0)
    expect(instance().state.firmwares()).toHaveLength(1)
  })

  it.each([
    ['OTA verify', VERIFY_ENTRY, { devices: 'test-device-1' }],
    ['OTA rollout', ROLLOUT_ENTRY, {}]
  ])('%s without iot-instance-id gives the same remediation at its first call', async (title, entry, own: Record<string, string>) => {
    const { files: _files, ...connection } = base()
    const run = await runAction({ entry, inputs: { ...connection, 'firmware-id': 'anyFirmwareId', ...own }, workspace: await makeWorkspace({}) })
    expectInstanceHint(run, title)
    expect(instance().state.requests()).toEqual([expect.objectContaining({ action: 'QueryOTAFirmware', code: 'iot.system.InstanceNotFound' })])
  })
})
