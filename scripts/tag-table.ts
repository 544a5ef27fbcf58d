/**
 * The README's "tag → DestVersion" table, made from `__fixtures__/tag-cases.ts` (which the tests
 * check), so the documentation shows what the code does.
 *
 *   node build/scripts/tag-table.js                    print the table
 *   node build/scripts/tag-table.js --write README.md  replace it between the markers
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { TAG_CASES, type TagCase } from '../__fixtures__/tag-cases.js'

/** The markers in README.md that the table goes between. */
export const TABLE_START = '<!-- tag-table:start -->'
export const TABLE_END = '<!-- tag-table:end -->'

/** A Markdown table: Tag | Settings | DestVersion | Module | Prerelease. */
export function renderTagTable(cases: readonly TagCase[]): string {
  const rows = cases.map((c) => {
    const { note, tagPattern, versionFormat, buildMetadata } = c.settings
    const settings = [
      tagPattern === undefined ? undefined : `tag-pattern: ${code(tagPattern)}`,
      versionFormat === undefined ? undefined : `version-format: ${versionFormat}`,
      buildMetadata === undefined ? undefined : `build-metadata: ${buildMetadata}`
    ].filter((s) => s !== undefined)
    const settingsCell = (settings.length > 0 ? settings.join(', ') : 'defaults') + (note === undefined ? '' : ` (${text(note)})`)
    const { error, destVersion, module, isPrerelease } = c.expected
    const cells =
      error !== undefined
        ? [`error: ${text(error)}`, '', '']
        : [code(destVersion ?? ''), module === undefined ? '—' : code(module), isPrerelease === true ? 'yes' : 'no']
    return `| ${[code(c.tag), settingsCell, ...cells].join(' | ')} |`
  })
  return ['| Tag | Settings | DestVersion | Module | Prerelease |', '| --- | --- | --- | --- | --- |', ...rows].join('\n')
}

/**
 * What is between the markers, trimmed; undefined when the text has neither marker.
 * Throws when only one is there or they are out of order.
 */
export function readTagTable(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START)
  const end = readme.indexOf(TABLE_END)
  if (start === -1 && end === -1) return undefined
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md needs ${TABLE_START} followed by ${TABLE_END}, each once.`)
  }
  return readme.slice(start + TABLE_START.length, end).trim()
}

/** The text with the table between the markers (which must be there). */
export function replaceTagTable(readme: string, table: string): string {
  if (readTagTable(readme) === undefined) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} markers.`)
  const start = readme.indexOf(TABLE_START) + TABLE_START.length
  const end = readme.indexOf(TABLE_END)
  return `${readme.slice(0, start)}\n${table}\n${readme.slice(end)}`
}

/** Inline code; `|` is escaped because GitHub splits table cells on it even inside backticks. */
function code(value: string): string {
  return `\`${value.replaceAll('|', '\\|')}\``
}

/** Plain text in a cell: `<…>` would be taken for HTML, `|` for a cell border. */
function text(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('|', '\\|')
}

function main(args: string[]): void {
  const table = renderTagTable(TAG_CASES)
  const writeAt = args.indexOf('--write')
  if (writeAt === -1) {
    console.log(table)
    return
  }
  const file = args[writeAt + 1]
  if (file === undefined) throw new Error('Usage: node build/scripts/tag-table.js [--write README.md]')
  const before = readFileSync(file, 'utf8')
  const after = replaceTagTable(before, table)
  if (after === before) {
    console.log(`${file}: tag table is up to date.`)
  } else {
    writeFileSync(file, after)
    console.log(`${file}: tag table updated (${TAG_CASES.length} rows).`)
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    main(process.argv.slice(2))
  } catch (error) {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = 1
  }
}
