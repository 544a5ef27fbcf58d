import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { TAG_CASES } from '../../support/tag-cases.js'
import { hintForCode, REMEDIATIONS } from '../../../src/platform/remediations.js'
import { GENERATED_SECTIONS, markers, readSection, replaceSection } from '../../../scripts/readme-sections.js'
import { renderTagTable } from '../../../scripts/tag-table.js'
import { renderTroubleshooting } from '../../../scripts/troubleshooting-table.js'

const REGENERATE = 'npm run docs'
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8')

describe('README generated sections', () => {
  it.each(Object.keys(GENERATED_SECTIONS))('%s matches the data the code uses', (name) => {
    const current = readSection(readme, name)
    const expected = GENERATED_SECTIONS[name]?.()
    if (current !== expected) {
      throw new Error(
        `The ${name} section of README.md is stale. Run: ${REGENERATE}\n\n--- README.md\n${current ?? '(no markers)'}\n\n+++ expected\n${expected}`
      )
    }
  })
})

describe('renderTagTable', () => {
  const table = renderTagTable(TAG_CASES)

  it('has a header and one row per case', () => {
    const lines = table.split('\n')
    expect(lines[0]).toBe('| Tag | Settings | DestVersion | Module | Prerelease |')
    expect(lines).toHaveLength(TAG_CASES.length + 2)
    expect(table).toContain('| `wifi-v1.2.3` | defaults | `1.2.3` | `wifi` | no |')
    expect(table).toContain('| `v1.2.3+build.7` | build-metadata: keep | `1.2.3_build.7` | — | no |')
    expect(table).toContain("| `v1.6` | defaults | error: Set 'version-format: loose' |  |  |")
  })

  it('escapes what Markdown would misread', () => {
    const row = renderTagTable([{ tag: 'a|b', settings: { tagPattern: '^(?<version>a|b)$', note: '<x>' }, expected: { error: 'a (?<version>…) | b' } }]).split(
      '\n'
    )[2]
    expect(row).toBe('| `a\\|b` | tag-pattern: `^(?<version>a\\|b)$` (&lt;x&gt;) | error: a (?&lt;version&gt;…) \\| b |  |  |')
  })
})

describe('troubleshooting table', () => {
  it('has a row per remediation with the hint the action prints', () => {
    const table = renderTroubleshooting(REMEDIATIONS)
    expect(table.split('\n')).toHaveLength(REMEDIATIONS.length + 2)
    expect(table).toContain(
      `| \`Forbidden.RAM\`, \`Forbidden*\`, \`iot.common.RamActionPermissionDeny\` | the RAM user or role lacks a permission | ${hintForCode('Forbidden.RAM')} |`
    )
  })

  it.each([
    ['SignatureDoesNotMatch', "'access-key-secret'"],
    ['InvalidAccessKeyId.NotFound', "'access-key-id'"],
    ['InvalidSecurityToken.MismatchWithAccessKey', "'security-token'"],
    ['Forbidden.RAM', 'iot:CreateOTAFirmware'],
    ['iot.system.InstanceNotFound', "'iot-instance-id'"],
    ['iot.firmware.FirmwareCountExceedLimit', '500'],
    ['iot.firmware.AlreadyExistedFirmwareName', "'firmware-name'"],
    ['Throttling.User', 'max-attempts']
  ])('hintForCode(%s) says what to do', (code, fragment) => {
    expect(hintForCode(code)).toContain(fragment)
  })

  it('has no hint for codes it does not know', () => {
    expect(hintForCode('iot.something.New')).toBeUndefined()
  })
})

describe('sections', () => {
  it('replaces only the text between the markers', () => {
    const { start, end } = markers('demo')
    const doc = `# Title\n\n${start}\nold\n${end}\n\nmore\n`
    const updated = replaceSection(doc, 'demo', 'new')
    expect(updated).toBe(`# Title\n\n${start}\nnew\n${end}\n\nmore\n`)
    expect(readSection(updated, 'demo')).toBe('new')
    expect(readSection('# no markers', 'demo')).toBeUndefined()
    expect(() => readSection(`${end}\n${start}`, 'demo')).toThrow(/followed by/)
    expect(() => replaceSection('# no markers', 'demo', 'x')).toThrow(/no <!-- demo:start -->/)
  })
})
