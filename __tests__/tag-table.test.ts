import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { TAG_CASES } from '../__fixtures__/tag-cases.js'
import { TABLE_END, TABLE_START, readTagTable, renderTagTable, replaceTagTable } from '../scripts/tag-table.js'

const REGENERATE = 'npm run build:tools && node build/scripts/tag-table.js --write README.md'
const readmePath = fileURLToPath(new URL('../README.md', import.meta.url))
const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : ''
const hasMarkers = readme.includes(TABLE_START) || readme.includes(TABLE_END)

describe('README tag table', () => {
  // Skipped only while README.md has neither marker; with markers, a stale table fails.
  const check = hasMarkers ? it : it.skip
  check(
    hasMarkers
      ? 'matches __fixtures__/tag-cases.ts'
      : `SKIPPED: README.md has no ${TABLE_START} / ${TABLE_END} markers yet; add them, then run ${REGENERATE}`,
    () => {
      const current = readTagTable(readme)
      const expected = renderTagTable(TAG_CASES)
      if (current !== expected) {
        throw new Error(
          `The tag table in README.md is not what __fixtures__/tag-cases.ts gives. Run: ${REGENERATE}\n\n` +
            `--- README.md\n${current ?? ''}\n\n+++ expected\n${expected}`
        )
      }
    }
  )
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
    const row = renderTagTable([
      { tag: 'a|b', settings: { tagPattern: '^(?<version>a|b)$', note: '<x>' }, expected: { error: 'a (?<version>…) | b' } }
    ]).split('\n')[2]
    expect(row).toBe('| `a\\|b` | tag-pattern: `^(?<version>a\\|b)$` (&lt;x&gt;) | error: a (?&lt;version&gt;…) \\| b |  |  |')
  })

  it('replaces only the text between the markers', () => {
    const doc = `# Title\n\n${TABLE_START}\nold\n${TABLE_END}\n\nmore\n`
    const updated = replaceTagTable(doc, table)
    expect(updated).toBe(`# Title\n\n${TABLE_START}\n${table}\n${TABLE_END}\n\nmore\n`)
    expect(readTagTable(updated)).toBe(table)
    expect(replaceTagTable(updated, table)).toBe(updated)
    expect(readTagTable('# no markers')).toBeUndefined()
    expect(() => readTagTable(`${TABLE_END}\n${TABLE_START}`)).toThrow(/followed by/)
    expect(() => replaceTagTable('# no markers', table)).toThrow(/no <!-- tag-table:start -->/)
  })
})
