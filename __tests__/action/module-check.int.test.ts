import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, type EmulatorAccount } from '../../emulator/index.js'
import { actionInputs, createModules, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction } from '../support/local-runner.js'

/** A RAM user that may publish but not list the product's modules (the gateway's 403 Forbidden.RAM). */
const NO_MODULE_LIST: EmulatorAccount = { accessKeyId: 'LTAI5tNoModuleList', accessKeySecret: 'no-module-list-secret', deny: ['ListOTAModuleByProduct'] }
/** The same, denied with the IoT API's own code (HTTP 200, iot.common.RamActionPermissionDeny). */
const NO_MODULE_LIST_BUSINESS: EmulatorAccount = {
  accessKeyId: 'LTAI5tNoModuleListBiz',
  accessKeySecret: 'no-module-list-biz-secret',
  deny: ['ListOTAModuleByProduct'],
  denyForm: 'business'
}

const emulator = useEmulator({ accounts: [DEFAULT_ACCOUNT, NO_MODULE_LIST, NO_MODULE_LIST_BUSINESS] })
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), overrides)
const actions = (): string[] =>
  emulator()
    .state.requests()
    .map((r) => r.action)
const OSS_MODE = { 'upload-mode': 'oss', 'oss-bucket': 'acme-firmware' }
const asNoModuleList = { 'access-key-id': NO_MODULE_LIST.accessKeyId, 'access-key-secret': NO_MODULE_LIST.accessKeySecret }

describe('the OTA module must exist before anything is uploaded', () => {
  it.each([
    [
      'a tag prefix',
      {},
      'refs/tags/firmware-v1.2.3',
      "OTA module 'firmware' (from the tag firmware-v1.2.3) does not exist in product a1uctKe1234, which has: default, wifi.",
      'tag-pattern'
    ],
    [
      "an explicit 'module-name'",
      { 'module-name': 'ble' },
      'refs/tags/v1.2.3',
      "OTA module 'ble' (input 'module-name') does not exist in product a1uctKe1234, which has: default, wifi.",
      'module-name'
    ],
    [
      "an explicit 'module-name' in oss mode",
      { 'module-name': 'ble', ...OSS_MODE },
      'refs/tags/v1.2.3',
      "OTA module 'ble' (input 'module-name')",
      'module-name'
    ]
  ])('%s the product lacks fails with no upload and no GenerateOTAUploadURL', async (_label, overrides: Record<string, string>, ref, message, input) => {
    await createModules(emulator(), ['wifi'])
    // The user's bucket is in the emulator too.
    const endpoint: Record<string, string> = overrides['upload-mode'] === 'oss' ? { 'oss-endpoint': emulator().url } : {}
    const run = await runAction({ inputs: inputs({ ...overrides, ...endpoint }), workspace: await makeWorkspace(), ref })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`::error title=OTA publish failed (input ${input})::${message}`)
    expect(run.stdout).toContain('CreateOTAModule')
    expect(run.outputs.result).toBe('failed')
    expect(run.summary).toContain(message)
    // Only the setup's CreateOTAModule and the check itself reached the emulator.
    expect(actions()).toEqual(['CreateOTAModule', 'ListOTAModuleByProduct'])
    expect(emulator().state.objects()).toHaveLength(0)
    expect(emulator().state.firmwares()).toHaveLength(0)
  })

  it.each([
    ['from the tag', {}, 'refs/tags/wifi/v1.4.0'],
    ["from 'module-name'", { 'module-name': 'wifi' }, 'refs/tags/v1.4.0']
  ])('a module created with CreateOTAModule still publishes (%s)', async (_label, overrides, ref) => {
    await createModules(emulator(), ['wifi'])
    const run = await runAction({ inputs: inputs(overrides), workspace: await makeWorkspace(), ref })
    expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()[0]).toMatchObject({ ModuleName: 'wifi', DestVersion: '1.4.0' })
    // As the API declares it (GET only; the emulator refuses a POST), every other call as a POST.
    const sent = emulator()
      .state.requests()
      .slice(1)
      .filter((r) => r.action !== 'PostObject')
    expect(sent.map((r) => `${r.action} ${r.method ?? '?'}`)).toEqual([
      'ListOTAModuleByProduct GET',
      'ListOTAFirmware POST',
      'ListOTAFirmware POST',
      'GenerateOTAUploadURL POST',
      'CreateOTAFirmware POST'
    ])
    expect(actions()).toEqual([
      'CreateOTAModule',
      'ListOTAModuleByProduct',
      'ListOTAFirmware',
      'ListOTAFirmware',
      'GenerateOTAUploadURL',
      'PostObject',
      'CreateOTAFirmware'
    ])
  })

  it('the default module needs no lookup', async () => {
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(actions()).not.toContain('ListOTAModuleByProduct')
  })

  it.each([
    ['Forbidden.RAM', NO_MODULE_LIST],
    ['iot.common.RamActionPermissionDeny', NO_MODULE_LIST_BUSINESS]
  ])('without the right to list modules (%s): a warning, and the publish goes on', async (code, account) => {
    await createModules(emulator(), ['wifi'])
    const credentials = { 'access-key-id': account.accessKeyId, 'access-key-secret': account.accessKeySecret }
    const run = await runAction({ inputs: inputs({ ...credentials, 'module-name': 'wifi' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(
      `::warning::Could not check that module wifi exists: ListOTAModuleByProduct was refused (${code}). Going on; CreateOTAFirmware refuses an unknown module, after the upload. Grant iot:ListOTAModuleByProduct to have it checked first.`
    )
    expect(
      emulator()
        .state.requests()
        .find((r) => r.action === 'ListOTAModuleByProduct')
    ).toMatchObject({ code })
    expect(run.outputs.result).toBe('created')
    expect(emulator().state.firmwares()[0]).toMatchObject({ ModuleName: 'wifi' })
  })

  it('a dry run reports the check in its probe', async () => {
    await createModules(emulator(), ['wifi'])
    const run = await runAction({ inputs: inputs({ 'dry-run': 'true', 'module-name': 'wifi' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(run.summary).toContain('ListOTAModuleByProduct: module wifi exists in product a1uctKe1234.')
    expect(run.stdout).toContain('ListOTAModuleByProduct: module wifi exists in product a1uctKe1234.')
  })

  it('a dry run for a module the product lacks fails as the publish would', async () => {
    const run = await runAction({ inputs: inputs({ 'dry-run': 'true', 'module-name': 'ble' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("OTA module 'ble' (input 'module-name') does not exist in product a1uctKe1234, which has: default.")
  })
})

// The emulator knows each product's modules and refuses others in CreateOTAFirmware, as the platform does.
describe('when the module list cannot be read', () => {
  it('without the right to list modules, an unknown module is refused by CreateOTAFirmware, with the hint', async () => {
    const run = await runAction({ inputs: inputs({ ...asNoModuleList, 'module-name': 'ble' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::warning::Could not check that module ble exists')
    expect(run.stdout).toContain('::error title=OTA publish failed (iot.ota.InvalidOtaModuleName)::')
    expect(run.stdout).toContain('Create the OTA module for the product first')
    expect(emulator().state.firmwares()).toHaveLength(0)
  })
})
