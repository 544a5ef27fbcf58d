import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

// The README's "Design notes → Layout" says which way imports go; this keeps the tree to it.
const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)))

/** From the top: a folder's values may come only from folders further down (types may point back). */
const LAYERS = ['action', 'publish|verify|rollout|prune', 'jobs', 'config', 'upload', 'plan', 'git', 'files', 'report', 'platform', 'net', 'contract']

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
  )
}

/** Each relative import of a file: the imported file (from the root) and whether it brings values. */
function importsOf(file: string): { target: string; values: boolean }[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  return [...text.matchAll(/^import (type )?[^'"]*from '(\.[^']+)\.js'/gm)].map((m) => ({
    target: relative(ROOT, resolve(ROOT, file, '..', m[2]!))
      .split(sep)
      .join('/'),
    values: m[1] === undefined
  }))
}

const layerOf = (file: string): number => LAYERS.findIndex((l) => l.split('|').includes(file.split(/[\\/]/)[1]!))

describe('the layout of src/', () => {
  const sources = files('src')

  it('puts every module in a folder of a known layer', () => {
    expect(sources.filter((f) => layerOf(f) < 0)).toEqual([])
  })

  it.each(sources)('%s imports values only from its own folder or further down', (file) => {
    const upward = importsOf(file).filter(
      ({ target, values }) => values && target.startsWith('src/') && layerOf(target) < layerOf(file) && target.split('/')[1] !== file.split(/[\\/]/)[1]
    )
    expect(upward).toEqual([])
  })

  it('talks to the runner only through src/action/runner.ts (the one importer of @actions/core and @actions/github)', () => {
    const toolkit = sources.filter((f) => /from '@actions\/(core|github)'/.test(readFileSync(join(ROOT, f), 'utf8')))
    expect(toolkit.map((f) => f.split(sep).join('/'))).toEqual(['src/action/runner.ts'])
  })

  it('never imports the emulator, the scripts or the tests', () => {
    const outside = sources.flatMap((f) =>
      importsOf(f)
        .filter(({ target }) => !target.startsWith('src/'))
        .map(({ target }) => `${f} → ${target}`)
    )
    expect(outside).toEqual([])
  })
})

describe('the emulator', () => {
  it('takes nothing from src/: its rules and its CRC-64 are its own, from the documentation, not the client', () => {
    const used = files('emulator').flatMap((f) =>
      importsOf(f)
        .filter(({ target }) => target.startsWith('src/'))
        .map(({ target }) => `${f} → ${target}`)
    )
    expect(used).toEqual([])
  })
})
