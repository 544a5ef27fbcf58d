import { describe, expect, it } from '@jest/globals'
import type { FirmwareFile } from '../../../src/platform/models.js'
import { fileDifferences, type LocalFile } from '../../../src/publish/package-match.js'

const md5 = (c: string) => c.repeat(32)
const sha = (c: string) => c.repeat(64)
const local = (name: string, size: number, c: string): LocalFile => ({ name, size, digests: { MD5: md5(c), SHA256: sha(c) } })
const LOCAL = [local('bootloader.bin', 24, 'a'), local('partition-table.bin', 3, 'b'), local('app.bin', 1000, 'c')]
/** As QueryOTAFirmware lists them: upper-case hex is the same digest. */
const remote = (name: string, size: number, c: string, over: Partial<FirmwareFile> = {}): FirmwareFile => ({
  Name: name,
  Url: `https://b/ota/${name}?Expires=1&Signature=x`,
  Size: size,
  SignValue: md5(c).toUpperCase(),
  FileMd5: md5(c),
  ...over
})
const SAME = [remote('app.bin', 1000, 'c'), remote('bootloader.bin', 24, 'a'), remote('partition-table.bin', 3, 'b')]

describe('fileDifferences', () => {
  it.each<[string, FirmwareFile[], 'MD5' | 'SHA256']>([
    ['the same files in another order', SAME, 'MD5'],
    ['SHA256 SignValues', SAME.map((f) => ({ ...f, SignValue: sha(f.FileMd5![0]!) })), 'SHA256'],
    ['only FileMd5', SAME.map(({ SignValue: _s, ...f }) => f), 'MD5'],
    ['only SignValue', SAME.map(({ FileMd5: _m, ...f }) => f), 'MD5']
  ])('none for %s', (_what, files, method) => {
    expect(fileDifferences(files, LOCAL, method)).toEqual([])
  })

  it.each<[string, FirmwareFile[] | undefined, string[]]>([
    [
      'one changed file, named with both sides',
      [SAME[0]!, remote('bootloader.bin', 24, 'd'), SAME[2]!],
      [`bootloader.bin has 24 bytes, MD5 ${md5('d')} there, 24 bytes, MD5 ${md5('a')} here`]
    ],
    ['another size', [{ ...SAME[0]!, Size: 999 }, SAME[1]!, SAME[2]!], [`app.bin has 999 bytes, MD5 ${md5('c')} there, 1000 bytes, MD5 ${md5('c')} here`]],
    [
      'a file without a digest (cannot be told the same)',
      [SAME[0]!, { Name: 'bootloader.bin', Size: 24 }, SAME[2]!],
      [`bootloader.bin has 24 bytes, MD5 ? there, 24 bytes, MD5 ${md5('a')} here`]
    ],
    [
      'a file missing, another extra',
      [SAME[0]!, SAME[1]!, remote('spiffs.bin', 5, 'e')],
      ['partition-table.bin is not in it', 'spiffs.bin is only in the package']
    ],
    ['a package of one file', undefined, ['it is a package of one file (FirmwareUrl), this publish has 3']]
  ])('%s', (_what, files, expected) => {
    expect(fileDifferences(files, LOCAL, 'MD5')).toEqual(expected)
  })
})
