/** Text made safe for one Markdown table cell: no pipes or line breaks to break the row. */
export function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
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
