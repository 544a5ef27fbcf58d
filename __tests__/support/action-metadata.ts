/**
 * Reading an action.yml the way the runner does for what the tests need: inputs with their
 * defaults, outputs, runs. These files use one shape only (top-level sections, entries two spaces
 * in, keys four spaces in, one line each): a line of any other shape fails rather than being misread.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One input or output of an action.yml: its keys (description, required, default) as strings. */
export type Entry = Record<string, string>
export interface Metadata {
  inputs: Map<string, Entry>
  outputs: Map<string, Entry>
  runs: Entry
}

/** A scalar as YAML reads it: quotes removed; block scalars are not expected in these files. */
function scalar(raw: string, where: string): string {
  const value = raw.trim()
  if (/^[>|]/.test(value)) throw new Error(`${where}: block scalars are not read here; keep it on one line`)
  const quoted = /^'(.*)'$/.exec(value) ?? /^"(.*)"$/.exec(value)
  return quoted ? quoted[1]!.replaceAll("''", "'") : value
}

/**
 * The inputs, outputs and runs of an action.yml. These files use one shape only (top-level
 * sections, entries two spaces in, keys four spaces in, one line each): a line of any other shape
 * fails the test rather than being misread.
 */
export function readMetadata(root: string, file: string): Metadata {
  const metadata: Metadata = { inputs: new Map(), outputs: new Map(), runs: {} }
  let section = ''
  let entry: Entry | undefined
  for (const [n, line] of readFileSync(join(root, file), 'utf8').split('\n').entries()) {
    const where = `${file}:${n + 1}`
    const top = /^([a-z]+):(.*)$/.exec(line)
    const named = /^ {2}([a-z0-9-]+):\s*$/.exec(line)
    const key = /^ {4}([a-z-]+):(.*)$/.exec(line)
    if (line.trim() === '' || line.startsWith('#')) continue
    if (top) {
      section = top[1]!
      entry = undefined
    } else if (section === 'runs' && /^ {2}[a-z-]+:/.test(line)) {
      const [name, ...value] = line.trim().split(':')
      metadata.runs[name!] = scalar(value.join(':'), where)
    } else if ((section === 'inputs' || section === 'outputs') && named) {
      entry = {}
      metadata[section].set(named[1]!, entry)
    } else if (entry && key) {
      entry[key[1]!] = scalar(key[2]!, where)
    } else if (section === 'inputs' || section === 'outputs') {
      throw new Error(`${where}: a line of a shape this check does not read: ${JSON.stringify(line)}`)
    }
  }
  return metadata
}
