/**
 * The client's input rules (src/) and the emulator's documented rules (emulator/iot/documented-rules.ts)
 * over the same cases: boundary tables, and fast-check where the inputs are open-ended. The two are
 * written apart on purpose, so a wrong constant or character class on one side shows up here as a
 * case they judge differently. Where they knowingly part (the emulator takes the strict reading of
 * what a page leaves open; the client the lenient one, so as not to refuse what the platform may
 * take), the case is listed below with both verdicts and the reason.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import path from 'node:path'
import { checkMaxLength, readEnum } from '../../src/config/readers.js'
import { checkFirmwareFile } from '../../src/files/artifact.js'
import { crc64 as clientCrc64 } from '../../src/files/crc64.js'
import { packageFilesProblem } from '../../src/files/package-files.js'
import * as client from '../../src/platform/rules.js'
import * as documented from '../../emulator/iot/documented-rules.js'
import { crc64 as emulatorCrc64 } from '../../emulator/oss/storage/crc64.js'
import { PUBLISHED_CRC64 } from '../support/crc64-definition.js'

/** What `compute` returns, or undefined when it throws (the client refuses an input by throwing). */
function attempt<T>(compute: () => T): T | undefined {
  try {
    return compute()
  } catch {
    return undefined
  }
}

const accepts = (check: () => void): boolean => attempt(() => (check(), true)) ?? false

/** GenerateOTAUploadURL's policy: content-length-range from 0 to the documented limit. */
const documentedSize = (size: number): boolean => size >= 0 && size <= documented.MAX_UPLOAD_BYTES

const codePoints = (value: string): number => [...value].length

/** A length the client counts in code points, where the strict reading counts Chinese and Japanese characters (and astral ones) twice. */
const cjkCountedTwice =
  (max: number) =>
  (value: string): string | undefined =>
    codePoints(value) <= max && documented.strictLength(value) > max
      ? 'a Chinese, Japanese or astral character: 1 for the client, 2 on the strict count'
      : undefined

/** FirmwareDesc: both count a Chinese character 1, as its page says; beyond the BMP the client counts code points, the strict reading UTF-16 units. */
const astralCountedTwice =
  (max: number) =>
  (value: string): string | undefined =>
    codePoints(value) <= max && value.length > max ? 'a character beyond the BMP: 1 for the client, 2 UTF-16 units on the strict count' : undefined

const HAN_OR_KANA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u
const BASIC_BLOCK_LETTER = /^(?=\p{L})[\u3040-\u30FF\u4E00-\u9FFF]$/u

/** The client takes the Han and kana scripts whole; the strict reading only their letters in the basic blocks. */
const beyondBasicBlocks = (value: string): string | undefined =>
  [...value].some((ch) => HAN_OR_KANA.test(ch) && !BASIC_BLOCK_LETTER.test(ch))
    ? 'a Han or kana character outside the CJK Unified Ideographs and kana blocks, or not a letter: the client takes it, the strict reading does not'
    : undefined

interface Rule {
  /** The client's verdict on a value it would send. */
  client: (value: string) => boolean
  /** The emulator's verdict on the same value received. */
  emulator: (value: string) => boolean
  /** Why the two part on this value, when that is a known, documented difference. */
  knownDifference: (value: string) => string | undefined
}

const RULES = {
  DestVersion: { client: client.isValidVersion, emulator: documented.isVersion, knownDifference: () => undefined },
  ModuleName: { client: client.isValidModuleName, emulator: documented.isModuleName, knownDifference: () => undefined },
  FirmwareName: {
    client: client.isValidFirmwareName,
    emulator: documented.isFirmwareName,
    knownDifference: (value: string) => beyondBasicBlocks(value) ?? cjkCountedTwice(40)(value)
  },
  FirmwareDesc: {
    client: (value: string) => accepts(() => checkMaxLength('firmware-desc', value, client.FIRMWARE_DESC_MAX)),
    emulator: documented.fitsFirmwareDesc,
    knownDifference: astralCountedTwice(100)
  },
  Udi: {
    client: (value: string) => accepts(() => checkMaxLength('udi', value, client.UDI_MAX)),
    emulator: documented.fitsUdi,
    knownDifference: cjkCountedTwice(4096)
  },
  'MultiFiles.N.Name': {
    // The client names each file of a package by its file name.
    client: (value: string) => packageFilesProblem([`build/${value}`], path.posix) === undefined,
    emulator: documented.isMultiFileName,
    knownDifference: () => undefined
  }
} satisfies Record<string, Rule>
type RuleName = keyof typeof RULES

/** Values at the edges of each rule, on which the client and the emulator must agree. */
const AGREE: [RuleName, string][] = [
  ...['1.2.3', 'v1.0.0-rc_1', '1'.repeat(64), '1'.repeat(65), '', '1.0 beta', '1+build', '1/0', '１.０', '版本1', 'é1'].map((v): [RuleName, string] => [
    'DestVersion',
    v
  ]),
  ...['default', 'wifi', 'esp32-c3.main_1', 'm'.repeat(64), 'm'.repeat(65), '', 'main board', '模块', 'wifi/2'].map((v): [RuleName, string] => [
    'ModuleName',
    v
  ]),
  ...[
    'fw-1_2_3',
    'fw(a)',
    '1fw',
    'f'.repeat(40),
    'f'.repeat(41),
    '固'.repeat(20),
    '固件-a1B2(x)',
    'ファームウェア',
    'ーfw',
    '-fw',
    '_fw',
    '(fw)',
    '',
    'fw 1',
    'fw.1',
    'fw（a）',
    'fw・a',
    'é',
    '한국',
    'fw😀'
  ].map((v): [RuleName, string] => ['FirmwareName', v]),
  ...['', 'd'.repeat(100), 'd'.repeat(101), '固'.repeat(100), '固'.repeat(101), '😀'.repeat(50)].map((v): [RuleName, string] => ['FirmwareDesc', v]),
  ...['u'.repeat(4096), 'u'.repeat(4097), '升'.repeat(2048), '{"ota_notice":"reboot"}'].map((v): [RuleName, string] => ['Udi', v]),
  ...['app.bin', 'partition-table.bin', 'n'.repeat(32), 'n'.repeat(33), `${'n'.repeat(29)}.bin`, '固件.bin', 'my app.bin', 'app+1.bin'].map(
    (v): [RuleName, string] => ['MultiFiles.N.Name', v]
  )
]

/** Where the two knowingly part: the value, each side's verdict, and why. */
const DIFFER: [RuleName, string, { client: boolean; emulator: boolean }][] = [
  ['FirmwareName', '固'.repeat(21), { client: true, emulator: false }],
  ['FirmwareName', `a${'ファ'.repeat(10)}`, { client: true, emulator: false }],
  ['FirmwareName', 'fw々', { client: true, emulator: false }],
  ['FirmwareName', '㐀fw', { client: true, emulator: false }],
  ['FirmwareName', 'ｱｲ', { client: true, emulator: false }],
  ['FirmwareName', 'fw⼀', { client: true, emulator: false }],
  ['FirmwareDesc', '😀'.repeat(51), { client: true, emulator: false }],
  ['Udi', '升'.repeat(2049), { client: true, emulator: false }],
  ['Udi', `${'u'.repeat(4095)}😀`, { client: true, emulator: false }]
]

const show = (value: string): string => (value.length > 24 ? `${JSON.stringify(value.slice(0, 12))}… (${value.length} UTF-16 units)` : JSON.stringify(value))

describe('string rules: the client and the emulator agree on the edges', () => {
  it.each(AGREE.map(([rule, value]) => [rule, show(value), value] as const))('%s %s', (rule, _shown, value) => {
    const { client: byClient, emulator: byEmulator } = RULES[rule] as Rule
    expect(byClient(value)).toBe(byEmulator(value))
  })
})

describe('string rules: where they knowingly part', () => {
  it.each(DIFFER.map(([rule, value, verdicts]) => [rule, show(value), value, verdicts] as const))('%s %s', (rule, _shown, value, verdicts) => {
    const { client: byClient, emulator: byEmulator, knownDifference } = RULES[rule] as Rule
    expect({ client: byClient(value), emulator: byEmulator(value) }).toEqual(verdicts)
    expect(knownDifference(value)).toEqual(expect.any(String))
  })
})

/** Strings over `alphabet`: short ones, and ones of about `max` characters, where the limits are. */
function values(alphabet: readonly string[], max: number): fc.Arbitrary<string> {
  const unit = fc.constantFrom(...alphabet)
  const short = fc.string({ unit, maxLength: Math.min(max + 5, 48) })
  const nearMax = fc
    .tuple(fc.integer({ min: Math.max(0, max - 8), max: max + 2 }), unit, fc.string({ unit, maxLength: 6 }))
    .map(([n, filler, tail]) => filler.repeat(n) + tail)
  return fc.oneof(short, nearMax)
}

const ASCII = [...'aZ09', '.', '-', '_', '(', ')', ' ', '/', '+', ':', '~']
const WIDE = ['固', '件', 'ア', 'ー', 'ひ', 'ｱ', '々', '㐀', '𠀀', '⼀', '㋐']
const OTHER = ['é', '１', '・', '（', '😀', '한']

describe('string rules: any value either side judges, the other judges alike or the difference is a known one', () => {
  it.each<[RuleName, number]>([
    ['DestVersion', 64],
    ['ModuleName', 64],
    ['FirmwareName', 40],
    ['FirmwareDesc', 100],
    ['Udi', 4096],
    ['MultiFiles.N.Name', 32]
  ])('%s', (rule, max) => {
    const { client: byClient, emulator: byEmulator, knownDifference } = RULES[rule] as Rule
    // A MultiFiles name is a file's name: never empty, never holding '/'.
    const fileName = rule === 'MultiFiles.N.Name'
    const alphabet = [...ASCII, ...WIDE, ...OTHER].filter((ch) => !fileName || ch !== '/')
    fc.assert(
      fc.property(values(alphabet, max), (value) => {
        fc.pre(!fileName || value !== '')
        const verdicts = { client: byClient(value), emulator: byEmulator(value) }
        if (verdicts.client !== verdicts.emulator && knownDifference(value) === undefined) {
          throw new Error(`${rule} ${show(value)}: the client says ${verdicts.client}, the emulator ${verdicts.emulator}`)
        }
      }),
      { numRuns: 500 }
    )
  })
})

describe('sets and limits', () => {
  it('the API version', () => {
    expect(client.API_VERSION).toBe('2018-01-20')
    expect(documented.API_VERSION).toBe('2018-01-20')
  })

  it('SignMethod: what the client sends, whatever case the input had, the emulator takes; what it refuses, the emulator refuses', () => {
    expect([...client.SIGN_METHODS].sort()).toEqual([...documented.SIGN_METHODS].sort())
    for (const input of ['MD5', 'SHA256', 'md5', 'Sha256', 'SHA1', 'SHA-256', 'CRC64']) {
      const sent = attempt(() => readEnum(() => input, 'sign-method', client.SIGN_METHODS, 'MD5'))
      if (sent === undefined) expect([input, documented.isSignMethod(input)]).toEqual([input, false])
      else expect([input, sent, documented.isSignMethod(sent)]).toEqual([input, sent, true])
    }
  })

  it('FileSuffix: the same list, and the suffix the client derives from a file name is one the emulator takes', () => {
    expect([...client.FILE_SUFFIXES].sort()).toEqual([...documented.FILE_SUFFIXES].sort())
    for (const file of ['app.bin', 'APP.BIN', 'fw.tar.gz', 'fw.TAR.GZ', 'fw.gz', 'fw.gzip', 'fw.zip', 'fw.apk', 'cam.dav', 'fw.tar']) {
      const suffix = client.fileSuffixOf(file)
      expect([file, suffix !== undefined && documented.FILE_SUFFIXES.includes(suffix)]).toEqual([file, true])
    }
    for (const file of ['app.exe', 'app', 'app.hex', 'app.bin.sig']) expect([file, client.fileSuffixOf(file)]).toEqual([file, undefined])
  })

  it.each([
    [1, true],
    [documented.MAX_UPLOAD_BYTES - 1, true],
    [documented.MAX_UPLOAD_BYTES, true],
    [documented.MAX_UPLOAD_BYTES + 1, false]
  ])('a file of %d bytes: both say %s', (size, ok) => {
    expect(accepts(() => checkFirmwareFile({ path: '/w/fw.bin', size }, '/w'))).toBe(ok)
    expect(documentedSize(size)).toBe(ok)
  })

  it('an empty file: the client refuses it (a build that failed), the documented range starts at 0', () => {
    expect(accepts(() => checkFirmwareFile({ path: '/w/fw.bin', size: 0 }, '/w'))).toBe(false)
    expect(documentedSize(0)).toBe(true)
  })

  it.each([2, 3, 19, 20, 21])('a package of %d files: both judge the count alike', (count) => {
    const files = Array.from({ length: count }, (_, i) => `build/part-${i + 1}.bin`)
    const byClient = packageFilesProblem(files, path.posix) === undefined
    expect(byClient).toBe(count >= documented.MULTI_FILES_MIN && count <= documented.MULTI_FILES_MAX)
  })

  it('two files named apart only in letter case: both count them as one name', () => {
    expect(packageFilesProblem(['build/a/App.bin', 'build/b/app.bin'], path.posix)).toBeDefined()
    expect(documented.multiFileNameKey('App.bin')).toBe(documented.multiFileNameKey('app.bin'))
  })
})

describe('CRC-64: both implementations give the published values (not merely each other)', () => {
  it.each(PUBLISHED_CRC64)('%j', (text, value) => {
    const bytes = Buffer.from(text, 'latin1')
    expect({ client: clientCrc64(bytes), emulator: emulatorCrc64(bytes) }).toEqual({ client: value.toString(10), emulator: value.toString(10) })
  })
})
