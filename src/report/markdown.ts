/** Markdown for the job summary: text made safe for cells and paragraphs, tables, a progress bar. */

/** Plain text in a table cell or a paragraph: `|` would end the cell, and a `\` before punctuation would vanish (`D:\a\_temp`). */
export function cell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/** Literal text in a table cell: nothing escapes inside a code span but the cell's `|`. */
export function code(value: string): string {
  return `\`${value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')}\``
}

/** A Markdown table; every cell is escaped. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(' | ')} |\n`
  return line(header) + `|${header.map(() => '---').join('|')}|\n` + rows.map(line).join('')
}

/** `[########------------] 40%`: a text progress bar for the job summary. */
export function progressBar(done: number, total: number, width = 20): string {
  const fraction = total === 0 ? 0 : Math.min(1, done / total)
  const filled = Math.round(fraction * width)
  return `\`[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]\` ${Math.floor(fraction * 100)}%`
}
