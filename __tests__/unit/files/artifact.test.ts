import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tempFiles } from '../../support/temp-files.js'
import { ActionError } from '../../../src/contract/action-error.js'
import { findArtifact } from '../../../src/files/artifact.js'
import { MAX_FIRMWARE_BYTES } from '../../../src/platform/rules.js'

const { dir } = tempFiles('ota-artifact-')

// @actions/glob logs each search as a ::debug:: line on stdout (the runner hides them): keep them out of the test log.
const write = process.stdout.write.bind(process.stdout)
beforeAll(() => {
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    String(chunk).startsWith('::debug::') ? true : write(chunk, ...rest)) as typeof process.stdout.write
})
afterAll(() => {
  process.stdout.write = write
})

/** A workspace of its own: files of these sizes (sparse, so 1,000 MB costs no disk) or empty folders. */
function workspace(entries: Record<string, number | 'dir'>): string {
  const ws = mkdtempSync(join(dir, 'ws-'))
  for (const [rel, entry] of Object.entries(entries)) {
    const full = join(ws, rel)
    if (entry === 'dir') {
      mkdirSync(full, { recursive: true })
      continue
    }
    mkdirSync(dirname(full), { recursive: true })
    writeFileSync(full, '')
    truncateSync(full, entry)
  }
  return ws
}

/** The ActionError findArtifact rejects with, failing the test when it finds a file instead. */
async function refusal(patterns: string[], ws: string): Promise<ActionError> {
  const error: unknown = await findArtifact(patterns, ws).then(
    (found) => new Error(`expected an ActionError, found ${found.displayPath}`),
    (thrown: unknown) => thrown
  )
  if (error instanceof ActionError) return error
  throw error
}

describe('findArtifact', () => {
  it.each<[string, Record<string, number | 'dir'>, string, string]>([
    ['a .bin', { 'build/app.bin': 10 }, 'build/*.bin', 'bin'],
    ['a .tar.gz, ignoring a directory beside it', { 'out/fw.tar.gz': 10, 'out/logs.tar.gz': 'dir' }, 'out/*.tar.gz', 'tar.gz'],
    // The limit itself is allowed: only a byte more is refused (below).
    ['a file of exactly 1,000 MB', { 'build/app.bin': MAX_FIRMWARE_BYTES }, 'build/app.bin', 'bin']
  ])('finds %s', async (_what, entries, pattern, suffix) => {
    const ws = workspace(entries)
    const found = await findArtifact([pattern], ws)
    const [rel] = Object.entries(entries).find(([, e]) => e !== 'dir') ?? ['']
    expect(found).toEqual({ path: join(ws, rel), displayPath: rel, size: entries[rel], suffix })
  })

  // The input errors a workflow meets on its files, each refused naming input `files`, before any request.
  it.each<[string, Record<string, number | 'dir'>, string[], string[], string]>([
    ['no file matches', { 'build/other.hex': 10 }, ['build/*.bin'], ["Input 'files' matched no file", 'build/*.bin'], 'Build the firmware in an earlier step'],
    [
      'two files match',
      { 'build/a.bin': 10, 'build/b.bin': 10 },
      ['build/*.bin'],
      ["Input 'files' matched 2 files (build/a.bin, build/b.bin)", 'exactly one file'],
      'add a line starting with !'
    ],
    ['only a directory matches', { 'build/fw.bin': 'dir' }, ['build/fw.bin'], ["Input 'files' matched only directories (build/fw.bin)"], 'the file inside'],
    ['an empty file', { 'build/app.bin': 0 }, ['build/*.bin'], ["Input 'files' matched build/app.bin, which is empty (0 bytes)"], 'failed to write it'],
    [
      'an unsupported suffix',
      { 'build/app.hex': 10 },
      ['build/*'],
      ["Input 'files' matched build/app.hex, whose suffix", '(allowed: .bin, .dav, .apk, .tar, .gz, .tar.gz, .zip, .gzip)'],
      'as .bin or .zip'
    ],
    ['a malformed glob', {}, ['build/[ab.bin'], ["Input 'files' has a malformed pattern \"build/[ab.bin\": a '[' is never closed"], "'[[]'"],
    [
      'a file of 1,000 MB and one byte',
      { 'build/app.bin': MAX_FIRMWARE_BYTES + 1 },
      ['build/*.bin'],
      ["Input 'files' matched build/app.bin", 'an OTA package file may be at most 1,000 MB (1048576000 bytes)'],
      'firmware-type: diff'
    ]
  ])('refuses %s', async (_what, entries, patterns, fragments, hint) => {
    const error = await refusal(patterns, workspace(entries))
    expect(error.input).toBe('files')
    for (const fragment of fragments) expect(error.message).toContain(fragment)
    expect(error.hint).toContain(hint)
  })
})
