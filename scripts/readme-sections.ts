/**
 * The README's generated sections, each between `<!-- NAME:start -->` and `<!-- NAME:end -->`, made
 * from the same data the code and tests use, so the documentation shows what the code does.
 *
 *   npm run docs     (build:tools, then node build/scripts/readme-sections.js --write README.md)
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { TAG_CASES } from '../__tests__/support/tag-cases.js'
import { REMEDIATIONS } from '../src/platform/remediations.js'
import { renderTagTable } from './tag-table.js'
import { renderTroubleshooting } from './troubleshooting-table.js'
import { renderRamPolicy } from './ram-policy.js'

/** Every generated section by its marker name. */
export const GENERATED_SECTIONS: Readonly<Record<string, () => string>> = {
  'tag-table': () => renderTagTable(TAG_CASES),
  troubleshooting: () => renderTroubleshooting(REMEDIATIONS),
  'ram-publish': () => renderRamPolicy('publish'),
  'ram-verify': () => renderRamPolicy('verify'),
  'ram-rollout': () => renderRamPolicy('rollout'),
  'ram-prune': () => renderRamPolicy('prune')
}

export function markers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}:start -->`, end: `<!-- ${name}:end -->` }
}

/**
 * What is between the markers, trimmed; undefined when the text has neither marker.
 * Throws when only one is there or they are out of order.
 */
export function readSection(readme: string, name: string): string | undefined {
  const { start, end } = markers(name)
  const from = readme.indexOf(start)
  const to = readme.indexOf(end)
  if (from === -1 && to === -1) return undefined
  if (from === -1 || to === -1 || to < from) throw new Error(`README.md needs ${start} followed by ${end}, each once.`)
  return readme.slice(from + start.length, to).trim()
}

/** The text with `content` between the markers (which must be there). */
export function replaceSection(readme: string, name: string, content: string): string {
  const { start, end } = markers(name)
  if (readSection(readme, name) === undefined) throw new Error(`README.md has no ${start} … ${end} markers.`)
  return `${readme.slice(0, readme.indexOf(start) + start.length)}\n${content}\n${readme.slice(readme.indexOf(end))}`
}

function main(args: string[]): void {
  const writeAt = args.indexOf('--write')
  const file = writeAt === -1 ? undefined : args[writeAt + 1]
  if (writeAt !== -1 && file === undefined) throw new Error('Usage: node build/scripts/readme-sections.js [--write README.md]')
  if (file === undefined) {
    for (const [name, render] of Object.entries(GENERATED_SECTIONS)) console.log(`${markers(name).start}\n${render()}\n${markers(name).end}\n`)
    return
  }
  const before = readFileSync(file, 'utf8')
  let after = before
  for (const [name, render] of Object.entries(GENERATED_SECTIONS)) after = replaceSection(after, name, render())
  if (after === before) {
    console.log(`${file}: generated sections are up to date.`)
  } else {
    writeFileSync(file, after)
    console.log(`${file}: generated sections updated.`)
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
