import { describe, expect, it } from '@jest/globals'
import { makePlan } from '../../support/plan.js'
import { renderSkipSummary, renderSummary } from '../../../src/publish/summary.js'

const artifact = { path: '/ws/build/app.bin', displayPath: 'build/app.bin', size: 2048, suffix: 'bin' as const }

describe('renderSummary', () => {
  it('renders the key facts first, then the file, its digest and the next step', () => {
    const text = renderSummary(makePlan(), artifact, {
      result: 'created',
      firmwareId: 'fw1',
      utcCreate: '2026-01-01T00:00:00.000Z',
      size: 2048,
      sign: 'abc',
      signMethod: 'MD5'
    })
    expect(text).toBe(
      '### OTA package a1pk-wifi-1_2_3 (a1pk): created\n\n' +
        '| Result | FirmwareId | DestVersion | Module | NeedToVerify |\n' +
        '|---|---|---|---|---|\n' +
        '| **created** | `fw1` | 1.2.3 (tag wifi/v1.2.3) | wifi | true |\n' +
        '\n- File `build/app.bin`, 2.0 KiB (2048 bytes)\n- MD5 `abc`\n- UtcCreate 2026-01-01T00:00:00.000Z\n' +
        '\nNext: verify the package on a few devices (the verify action, or CreateOTAVerifyJob), then roll it out.\n'
    )
  })

  it('lists every file of a package of several, by its name in the package, with where it was found, size and digest', () => {
    const files = [
      { name: 'bootloader.bin', path: 'build/bootloader/bootloader.bin', size: 24_576, sign: 'a'.repeat(32), url: 'https://b/1.bin' },
      { name: 'partition-table.bin', path: 'build/partition_table/partition-table.bin', size: 3072, sign: 'b'.repeat(32), url: 'https://b/2.bin' },
      { name: 'app.bin', path: 'app.bin', size: 1, sign: 'c'.repeat(32), url: 'https://b/3.bin' }
    ]
    const text = renderSummary(makePlan(), undefined, { result: 'created', firmwareId: 'fw1', utcCreate: '2026-01-01T00:00:00.000Z', signMethod: 'MD5', files })
    expect(text).toContain(
      '| **created** | `fw1` | 1.2.3 (tag wifi/v1.2.3) | wifi | true |\n\n' +
        `- File \`bootloader.bin\` (\`build/bootloader/bootloader.bin\`), 24.0 KiB (24576 bytes), MD5 \`${'a'.repeat(32)}\`\n` +
        `- File \`partition-table.bin\` (\`build/partition_table/partition-table.bin\`), 3.0 KiB (3072 bytes), MD5 \`${'b'.repeat(32)}\`\n` +
        `- File \`app.bin\`, 1 byte, MD5 \`${'c'.repeat(32)}\`\n` +
        '- UtcCreate 2026-01-01T00:00:00.000Z\n'
    )
  })

  it('points straight at the rollout when no verification is needed', () => {
    const text = renderSummary(makePlan({ needToVerify: false }), artifact, { result: 'reused', firmwareId: 'fw1', size: 2048, sign: 'abc', signMethod: 'MD5' })
    expect(text).toContain('Next: roll it out (the rollout action')
  })

  it('shows the default module and an explicit version without a tag', () => {
    const plan = makePlan({ moduleName: 'default', version: { destVersion: '1.2.3', source: 'input', isPrerelease: false, notes: [] } })
    expect(renderSummary(plan, artifact, { result: 'created', size: 1, sign: 's', signMethod: 'MD5' })).toContain(
      '|  | 1.2.3 | default | true |\n\n- File `build/app.bin`, 1 byte\n'
    )
  })

  it('dry run: the probe and the exact CreateOTAFirmware parameters', () => {
    const text = renderSummary(makePlan(), artifact, {
      result: 'dry-run',
      size: 2048,
      sign: 'abc',
      signMethod: 'MD5',
      probe: 'ListOTAFirmware for product a1pk succeeded.',
      uploadPlan: 'Would call GenerateOTAUploadURL with `FileSuffix=bin` and upload build/app.bin to the platform|s bucket.',
      createParams: {
        ProductKey: 'a1pk',
        DestVersion: '1.2.3',
        FirmwareName: 'n',
        FirmwareSign: 'abc',
        SignMethod: 'MD5',
        FirmwareSize: 2048,
        NeedToVerify: true,
        Type: 0
      }
    })
    expect(text).toContain('**Permission probe:** ListOTAFirmware for product a1pk succeeded.')
    expect(text).toContain(
      '**Upload:** Would call GenerateOTAUploadURL with `FileSuffix=bin` and upload build/app.bin to the platform\\|s bucket.\n\nThen CreateOTAFirmware with:'
    )
    expect(text).toContain('"FirmwareUrl": "(from GenerateOTAUploadURL)"')
  })

  it('dry run of a re-run: the package it would reuse, and no upload or create', () => {
    const text = renderSummary(makePlan(), artifact, {
      result: 'dry-run',
      firmwareId: 'fw1',
      size: 2048,
      sign: 'abc',
      signMethod: 'MD5',
      uploadPlan: 'Would upload.',
      createParams: {
        ProductKey: 'a1pk',
        DestVersion: '1.2.3',
        FirmwareName: 'n',
        FirmwareSign: 'abc',
        SignMethod: 'MD5',
        FirmwareSize: 2048,
        NeedToVerify: true,
        Type: 0
      }
    })
    expect(text).toContain('Would reuse package `fw1`, which already holds this file: nothing would be uploaded or registered.')
    expect(text).not.toContain('Would upload.')
    expect(text).not.toContain('CreateOTAFirmware with')
  })

  it('escapes pipes and newlines in cells', () => {
    const text = renderSummary(makePlan({ firmwareName: 'a|b' }), artifact, { result: 'created', size: 1, sign: 's', signMethod: 'MD5' })
    expect(text).toContain('### OTA package a\\|b')
  })
})

describe('renderSkipSummary', () => {
  it('a skipped leg still gets its row and the reason', () => {
    const text = renderSkipSummary(makePlan({ moduleName: 'ble' }), 'The tag is for module wifi.')
    expect(text).toContain('| **skipped** |  | 1.2.3 (tag wifi/v1.2.3) | ble | true |')
    expect(text).toContain('The tag is for module wifi.')
  })
})
