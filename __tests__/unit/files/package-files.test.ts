import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { mkdirSync, writeFileSync } from 'node:fs'
import { findPackageFiles, packageFilesProblem } from '../../../src/files/package-files.js'
import { tempFiles } from '../../support/temp-files.js'

const many = (n: number, dir = 'build') => Array.from({ length: n }, (_, i) => `${dir}/part-${i + 1}.bin`)

describe('packageFilesProblem', () => {
  it.each<[string, string[]]>([
    ['one file', ['build/app.bin']],
    ['20 files', many(20)],
    ['a name of 32 characters', [`build/${'n'.repeat(28)}.bin`, 'build/app.bin']],
    ['letters, digits, ".", "-" and "_"', ['build/partition-table_v2.0.bin', 'build/App.bin']]
  ])('takes %s', (_what, paths) => {
    expect(packageFilesProblem(paths)).toBeUndefined()
  })

  // The error names the input, the file(s) and the rule.
  it.each<[string, string[], RegExp]>([
    ['21 files', many(21), /^Input 'files' matched 21 files \(build\/part-1\.bin, .*, build\/part-5\.bin and 16 more\); a package holds at most 20 files\.$/],
    [
      'a name of 33 characters',
      ['build/app.bin', `build/${'n'.repeat(29)}.bin`],
      /^Input 'files' matched build\/n{29}\.bin, whose name "n{29}\.bin" has 33 characters: a file's name in the package is its file name, at most 32 characters\.$/
    ],
    [
      'a duplicate name',
      ['build/a/app.bin', 'build/boot.bin', 'build/b/app.bin'],
      /^Input 'files' matched build\/a\/app\.bin and build\/b\/app\.bin, both named "app\.bin" \(letter case aside\): a file's name in the package is its file name, and names are unique within a package\.$/
    ],
    ['the same name in another letter case', ['build/App.bin', 'build/app.bin'], /both named "app\.bin" \(letter case aside\)/],
    // The platform documents only the length: the safe characters, before anything is uploaded.
    ...['固件.bin', 'my app.bin', 'app+1.bin'].map((name): [string, string[], RegExp] => [
      JSON.stringify(name),
      [`build/${name}`],
      /whose name ".+" has characters other than letters, digits, "\.", "-" and "_"/
    ])
  ])('refuses %s', (_what, paths, message) => {
    const error = packageFilesProblem(paths)
    expect(error?.input).toBe('files')
    expect(error?.message).toMatch(message)
    expect(error?.hint).toMatch(/line starting with !|lines starting with !/)
  })

  it('reads names with the path rules it is given (Windows separators)', () => {
    expect(packageFilesProblem(['build\\a\\app.bin', 'build\\b\\app.bin'], path.win32)?.message).toMatch(/both named "app\.bin"/)
  })
})

describe('findPackageFiles', () => {
  const scratch = tempFiles('package-files-')
  const write = (rel: string, bytes = 3) => {
    mkdirSync(path.dirname(path.join(scratch.dir, rel)), { recursive: true })
    writeFileSync(path.join(scratch.dir, rel), Buffer.alloc(bytes, 1))
  }

  it('finds every file, sorted, each named by its file name and checked as a firmware file', async () => {
    write('esp/build/bootloader/bootloader.bin', 24)
    write('esp/build/partition_table/partition-table.bin', 3)
    write('esp/build/app.bin', 1000)
    const files = await findPackageFiles(['esp/build/**/*.bin'], scratch.dir)
    expect(files.map((f) => [f.name, f.displayPath.split(path.sep).join('/'), f.size, f.suffix])).toEqual([
      ['app.bin', 'esp/build/app.bin', 1000, 'bin'],
      ['bootloader.bin', 'esp/build/bootloader/bootloader.bin', 24, 'bin'],
      ['partition-table.bin', 'esp/build/partition_table/partition-table.bin', 3, 'bin']
    ])
  })

  it('refuses a file the upload does not take, naming it', async () => {
    write('odd/app.bin')
    write('odd/notes.txt')
    await expect(findPackageFiles(['odd/*'], scratch.dir)).rejects.toMatchObject({ input: 'files', message: expect.stringMatching(/notes\.txt/) })
  })
})
