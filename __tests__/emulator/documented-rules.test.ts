import { describe, expect, it } from '@jest/globals'
import {
  API_VERSION,
  CUSTOM_MODULES_MAX,
  DEFAULT_FILE_SUFFIX,
  DEFAULT_SIGN_METHOD,
  FILE_SUFFIXES,
  fitsFirmwareDesc,
  fitsModuleDesc,
  fitsUdi,
  isAliasName,
  isFirmwareName,
  isModuleName,
  isMultiFileName,
  isSignMethod,
  isVersion,
  MAX_UPLOAD_BYTES,
  MULTI_FILES_MAX,
  MULTI_FILES_MIN,
  multiFileNameKey,
  strictLength
} from '../../emulator/iot/documented-rules.js'

// Every expectation is a literal read from the documentation (CreateOTAFirmware, GenerateOTAUploadURL,
// CreateOTAModule), or the strict reading emulator/README.md lists where the pages leave it open.

describe('the values the pages list', () => {
  it('names the API version, the file suffixes, the upload limit, the sign methods and the package sizes', () => {
    expect(API_VERSION).toBe('2018-01-20')
    expect([...FILE_SUFFIXES].sort()).toEqual(['apk', 'bin', 'dav', 'gz', 'gzip', 'tar', 'tar.gz', 'zip'])
    expect(DEFAULT_FILE_SUFFIX).toBe('bin')
    expect(MAX_UPLOAD_BYTES).toBe(1000 * 1024 * 1024)
    expect(DEFAULT_SIGN_METHOD).toBe('MD5')
    expect([MULTI_FILES_MIN, MULTI_FILES_MAX, CUSTOM_MODULES_MAX]).toEqual([2, 20, 10])
  })

  it.each([
    ['MD5', true],
    ['SHA256', true],
    ['md5', false],
    ['Sha256', false],
    ['SHA1', false],
    ['SHA-256', false]
  ])('SignMethod %j: %s', (value, ok) => {
    expect(isSignMethod(value)).toBe(ok)
  })
})

describe('DestVersion and SrcVersion: letters, digits, ".", "-", "_", 1 to 64', () => {
  it.each([
    ['1.2.3', true],
    ['v1.0.0-rc_1', true],
    ['1'.repeat(64), true],
    ['1'.repeat(65), false],
    ['', false],
    ['1.0 beta', false],
    ['1+build', false],
    ['1/0', false],
    ['１.０', false],
    ['版本1', false]
  ])('%j: %s', (value, ok) => {
    expect(isVersion(value)).toBe(ok)
  })
})

describe('FirmwareName: Chinese, English letters, Japanese, digits, "-", "_", "(", ")"; starts with one of the first four; 1 to 40', () => {
  it.each([
    ['fw-1_2_3', true],
    ['Firmware2', true],
    ['fw(a)', true],
    ['1fw', true],
    ['固件-a1B2(x)', true],
    ['ファームウェア', true],
    ['ひらがな', true],
    ['ー長音', true],
    ['f'.repeat(40), true],
    ['固'.repeat(20), true],
    ['f'.repeat(41), false],
    ['固'.repeat(21), false],
    ['a' + '固'.repeat(20), false],
    ['-fw', false],
    ['_fw', false],
    ['(fw)', false],
    ['', false],
    ['fw 1', false],
    ['fw.1', false],
    ['fw（a）', false],
    ['ｱｲ', false],
    ['々', false],
    ['㐀', false],
    ['𠀀', false],
    ['fw・a', false],
    ['é', false],
    ['한국', false],
    ['fw😀', false]
  ])('%j: %s', (value, ok) => {
    expect(isFirmwareName(value)).toBe(ok)
  })
})

describe('how characters count', () => {
  it.each([
    ['abc', 3],
    ['固件', 4],
    ['ファーム', 8],
    ['é', 1],
    ['😀', 2],
    ['𠀀', 2],
    ['', 0]
  ])('where the page does not say: %j counts %d', (value, length) => {
    expect(strictLength(value)).toBe(length)
  })

  it('FirmwareDesc: at most 100, a Chinese character counting one (and an emoji two, as UTF-16 does)', () => {
    expect(fitsFirmwareDesc('固'.repeat(100))).toBe(true)
    expect(fitsFirmwareDesc('d'.repeat(100))).toBe(true)
    expect(fitsFirmwareDesc('d'.repeat(101))).toBe(false)
    expect(fitsFirmwareDesc('😀'.repeat(50))).toBe(true)
    expect(fitsFirmwareDesc('😀'.repeat(51))).toBe(false)
  })

  it('Udi: at most 4096, a Chinese or Japanese character counting two', () => {
    expect(fitsUdi('u'.repeat(4096))).toBe(true)
    expect(fitsUdi('u'.repeat(4097))).toBe(false)
    expect(fitsUdi('升'.repeat(2048))).toBe(true)
    expect(fitsUdi('升'.repeat(2049))).toBe(false)
  })

  it("CreateOTAModule's Desc: at most 100, a Chinese character counting two", () => {
    expect(fitsModuleDesc('d'.repeat(100))).toBe(true)
    expect(fitsModuleDesc('条'.repeat(50))).toBe(true)
    expect(fitsModuleDesc('条'.repeat(51))).toBe(false)
  })
})

describe('module names', () => {
  it.each([
    ['default', true],
    ['barcodeScanner', true],
    ['esp32-c3.main_1', true],
    ['m'.repeat(64), true],
    ['m'.repeat(65), false],
    ['', false],
    ['main board', false],
    ['模块', false]
  ])('ModuleName %j: %s', (value, ok) => {
    expect(isModuleName(value)).toBe(ok)
  })

  it.each([
    ['条码扫描仪', true],
    ['WiFi', true],
    ['wifi.v2-a_b', true],
    ['a'.repeat(64), true],
    ['条'.repeat(32), true],
    ['条'.repeat(33), false],
    ['a'.repeat(65), false],
    ['', false],
    ['Wi Fi', false],
    ['wifi(2)', false],
    ['ワイファイ', false]
  ])('AliasName %j: %s', (value, ok) => {
    expect(isAliasName(value)).toBe(ok)
  })
})

describe("a MultiFiles Name: 1 to 32, of a set the page leaves open (strict: letters, digits, '.', '-', '_')", () => {
  it.each([
    ['app.bin', true],
    ['partition-table.bin', true],
    ['boot_loader.v2.bin', true],
    ['n'.repeat(32), true],
    ['n'.repeat(33), false],
    ['', false],
    ['my app.bin', false],
    ['app+1.bin', false],
    ['固件.bin', false]
  ])('%j: %s', (value, ok) => {
    expect(isMultiFileName(value)).toBe(ok)
  })

  it('two names apart only in letter case are the same name (strict: as module names compare)', () => {
    expect(multiFileNameKey('App.bin')).toBe(multiFileNameKey('app.BIN'))
    expect(multiFileNameKey('app.bin')).not.toBe(multiFileNameKey('app-bin'))
  })
})
