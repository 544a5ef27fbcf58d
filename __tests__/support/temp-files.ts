import { afterAll } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A scratch folder for one test file, removed after it; `file` writes one file there. */
export function tempFiles(prefix: string): { dir: string; file(name: string, bytes: Buffer): string } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return {
    dir,
    file(name, bytes) {
      const path = join(dir, name)
      writeFileSync(path, bytes)
      return path
    }
  }
}

export const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex')
