import { describe, expect, it } from '@jest/globals'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT } from '../../emulator/index.js'
import { actionInputs, createModules, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction } from '../support/local-runner.js'

const READ_ONLY_DENIED = { accessKeyId: 'LTAI5tNoListing', accessKeySecret: 'no-listing-secret', deny: ['ListOTAFirmware'] }
// The product's OTA modules besides default: CreateOTAFirmware refuses any other.
const emulator = useEmulator({ accounts: [DEFAULT_ACCOUNT, READ_ONLY_DENIED] })
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), overrides)

async function manifestOf(path: string | undefined): Promise<Record<string, unknown>> {
  expect(path).toBeTruthy()
  return JSON.parse(await readFile(path as string, 'utf8')) as Record<string, unknown>
}

describe('what a release engineer sees', () => {
  it('a published run: phase groups, progress, notice, summary table with next steps, manifest', async () => {
    const ws = await makeWorkspace({ 'build/app.bin': 6 * 1024 * 1024 })
    await createModules(emulator(), ['wifi'])
    const run = await runAction({ inputs: inputs({ 'module-name': 'wifi' }), workspace: ws })
    expect(run.code).toBe(0)
    for (const phase of ['Resolve version', 'Find the firmware file', 'Look for an existing package', 'Upload', 'Register']) {
      expect(run.stdout).toContain(`::group::${phase}\n`)
    }
    const progress = run.stdout.split('\n').filter((l) => l.startsWith('Uploaded '))
    expect(progress.length).toBeGreaterThanOrEqual(1)
    expect(progress.length).toBeLessThanOrEqual(10)
    expect(progress.at(-1)).toMatch(/^Uploaded 6\.0 MiB of 6\.0 MiB \(100%\), .*\/s, done$/)

    const id = run.outputs['firmware-id']
    expect(run.stdout).toContain(`::notice title=OTA package::FirmwareId ${id} (a1uctKe1234-wifi-1_2_3, DestVersion 1.2.3): created`)
    expect(run.summary).toContain('| Result | FirmwareId | DestVersion | Module | NeedToVerify |')
    expect(run.summary).toContain(`| **created** | \`${id}\` | 1.2.3 (tag v1.2.3) | wifi | true |`)
    expect(run.summary).toContain(
      `- File \`build/app.bin\`, 6.0 MiB (6291456 bytes)\n- MD5 \`${run.outputs['firmware-sign']}\`\n- UtcCreate ${run.outputs['utc-create']}\n`
    )
    expect(run.summary).toContain('Next: verify the package')

    expect(run.outputs['manifest-path']).toMatch(/ota-manifest-wifi\.json$/)
    expect(await manifestOf(run.outputs['manifest-path'])).toMatchObject({
      schema: 1,
      result: 'created',
      productKey: 'a1uctKe1234',
      moduleName: 'wifi',
      destVersion: '1.2.3',
      firmwareName: 'a1uctKe1234-wifi-1_2_3',
      firmwareId: id,
      utcCreate: run.outputs['utc-create'],
      file: 'build/app.bin',
      size: 6 * 1024 * 1024,
      signMethod: 'MD5',
      sign: run.outputs['firmware-sign'],
      tag: 'v1.2.3',
      needToVerify: true,
      repository: 'acme/firmware'
    })
  })

  it('a summary that cannot be written is a warning, not a failure of a published package', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs(), workspace: ws, env: { GITHUB_STEP_SUMMARY: join(ws, 'no-such-dir', 'summary') } })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('created')
    expect(run.stdout).toMatch(/^::warning title=OTA summary::Could not write the job summary/m)
  })

  it('writes the manifest where manifest-path says', async () => {
    const ws = await makeWorkspace()
    const run = await runAction({ inputs: inputs({ 'manifest-path': join(ws, 'out.json') }), workspace: ws })
    expect(run.outputs['manifest-path']).toBe(join(ws, 'out.json'))
    expect((await manifestOf(join(ws, 'out.json'))).result).toBe('created')
  })

  it('a platform failure names the code and says what to do', async () => {
    const run = await runAction({ inputs: inputs({ 'access-key-secret': 'not-the-secret' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::error title=OTA publish failed (SignatureDoesNotMatch)::')
    expect(run.summary).toContain('code `SignatureDoesNotMatch`')
    expect(run.summary).toContain("**What to do:** The request signature did not match: check that 'access-key-secret'")
  })

  it('warns when the default FirmwareName had to be shortened', async () => {
    await createModules(emulator(), ['bootloader-secondary-core'], 'a1LongProductKey0123456789')
    const run = await runAction({
      inputs: inputs({ 'product-key': 'a1LongProductKey0123456789', 'module-name': 'bootloader-secondary-core' }),
      workspace: await makeWorkspace()
    })
    expect(run.code).toBe(0)
    expect(run.outputs['firmware-name']?.length).toBeLessThanOrEqual(40)
    expect(run.stdout).toMatch(/::warning title=OTA publish::The default firmware name .* is 58 characters, over the 40 allowed; using '.{1,40}'/)
  })

  it('a skipped leg writes its own row and manifest', async () => {
    const run = await runAction({
      inputs: inputs({ 'module-name': 'ble', 'module-mismatch': 'skip' }),
      workspace: await makeWorkspace(),
      ref: 'refs/tags/wifi/v2.0.0'
    })
    expect(run.code).toBe(0)
    expect(run.summary).toContain('| **skipped** |  | 2.0.0 (tag wifi/v2.0.0) | ble |')
    expect(run.stdout).toContain('::notice title=OTA publish skipped::')
    expect(await manifestOf(run.outputs['manifest-path'])).toMatchObject({ result: 'skipped', moduleName: 'ble', destVersion: '2.0.0' })
  })
})

describe('dry run permission probe', () => {
  it('credentials that can list: the probe passes and the summary shows what would be sent', async () => {
    const run = await runAction({ inputs: inputs({ 'dry-run': 'true', 'firmware-desc': 'nightly' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(run.summary).toContain('**Permission probe:** ListOTAFirmware for product a1uctKe1234 succeeded')
    expect(run.summary).toContain('"FirmwareName": "a1uctKe1234-default-1_2_3"')
    expect(run.summary).toContain('"FirmwareDesc": "nightly"')
    expect(run.summary).toContain('"FirmwareUrl": "(from GenerateOTAUploadURL)"')
    expect(run.summary).not.toContain(DEFAULT_ACCOUNT.accessKeySecret)
    // The lookup of an existing package, and the account's count for the quota.
    expect(
      emulator()
        .state.requests()
        .map((r) => r.action)
    ).toEqual(['ListOTAFirmware', 'ListOTAFirmware'])
  })

  it('credentials that cannot list: the step fails with Forbidden.RAM and the RAM actions needed', async () => {
    const run = await runAction({
      inputs: inputs({ 'dry-run': 'true', 'access-key-id': READ_ONLY_DENIED.accessKeyId, 'access-key-secret': READ_ONLY_DENIED.accessKeySecret }),
      workspace: await makeWorkspace()
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::error title=OTA publish failed (Forbidden.RAM)::')
    expect(run.summary).toContain('iot:ListOTAFirmware')
    expect(emulator().state.firmwares()).toHaveLength(0)
  })

  it('no credentials: no probe, still a dry run', async () => {
    const run = await runAction({ inputs: inputs({ 'dry-run': 'true', 'access-key-id': '', 'access-key-secret': '' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(0)
    expect(run.summary).toContain('**Permission probe:** skipped, no credentials were given.')
    expect(emulator().state.requests()).toHaveLength(0)
  })
})
