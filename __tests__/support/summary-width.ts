/**
 * How wide a Markdown table must be at least, as GitHub renders a job summary (github-markdown-css:
 * 14 px text, code at 85 %, cells padded 13 px a side): each column as wide as its longest word.
 * Text wraps at spaces; a word (a code span's too) does not, so this is the width below which the
 * table runs off the pane. The character widths are upper bounds of the sans-serif and monospace
 * fonts (checked against Chromium with GitHub's stylesheet: the model is never below the browser).
 */

const CELL_PADDING_PX = 26 + 1
const MONO_PX = 7.3
const TEXT_PX = { upper: 9.6, digit: 7.8, lower: 7.1, other: 5.2 } as const
const BOLD = 1.1

/** The width of one word of text outside code. */
function wordWidth(word: string, bold: boolean): number {
  const kind = (ch: string) => (/[A-Z@%&mw]/.test(ch) ? 'upper' : /\d/.test(ch) ? 'digit' : /[a-z]/.test(ch) ? 'lower' : 'other')
  const px = [...word].reduce((sum, ch) => sum + TEXT_PX[kind(ch)], 0)
  return bold ? px * BOLD : px
}

/** The runs between break opportunities: spaces, and after a '/' or a '-' that no digit follows (as browsers break lines). */
function words(text: string): string[] {
  return text.split(/\s+|(?<=\/)|(?<=-)(?!\d)/)
}

/** A cell's longest unbreakable run: code spans in monospace, the rest as text. */
function cellMinWidth(text: string, bold: boolean): number {
  let widest = 0
  text.replace(/`([^`]*)`|([^`]+)/g, (_all, code: string | undefined, plain: string | undefined) => {
    for (const word of words(code ?? plain ?? '')) {
      const width = code !== undefined ? [...word].length * MONO_PX : wordWidth(word.replace(/\*\*/g, ''), bold || word.startsWith('**'))
      widest = Math.max(widest, width)
    }
    return ''
  })
  return widest
}

/** The cells of a table row, split at `|` that is not escaped. */
function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim().replace(/\\\|/g, '|'))
}

/** Every table of a Markdown text with its least rendered width in pixels. */
export function tableWidths(markdown: string): { header: string; minWidthPx: number }[] {
  const lines = markdown.split('\n')
  const tables: { header: string; minWidthPx: number }[] = []
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.startsWith('|') || !/^\|(\s*:?-+:?\s*\|)+$/.test(lines[i + 1]!.trim())) continue
    const rows = [cells(lines[i]!)]
    let j = i + 2
    for (; j < lines.length && lines[j]!.startsWith('|'); j++) rows.push(cells(lines[j]!))
    const columns = rows[0]!.length
    let width = 1
    for (let c = 0; c < columns; c++) width += Math.max(...rows.map((row, r) => cellMinWidth(row[c] ?? '', r === 0))) + CELL_PADDING_PX
    tables.push({ header: rows[0]!.join('|'), minWidthPx: Math.round(width) })
    i = j
  }
  return tables
}
