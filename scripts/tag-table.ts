/**
 * The README's "tag → DestVersion" table, made from `__tests__/support/tag-cases.ts` (which the tests
 * check); scripts/readme-sections.ts writes it into the README.
 */
import type { TagCase } from '../__tests__/support/tag-cases.js'

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

/** Inline code; `|` is escaped because GitHub splits table cells on it even inside backticks. */
function code(value: string): string {
  return `\`${value.replaceAll('|', '\\|')}\``
}

/** Plain text in a cell: `<…>` would be taken for HTML, `|` for a cell border. */
function text(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('|', '\\|')
}
