/**
 * The rules Alibaba Cloud IoT Platform documents for OTA parameters (API version 2018-01-20), as the
 * action checks its inputs against them to fail before anything is uploaded. Where a page leaves a
 * reading open they take the lenient one, so as not to refuse what the platform may take. The
 * emulator has rules of its own, written from the same pages (the strict readings);
 * __tests__/emulator/client-rules-agreement.test.ts holds the two sets to each other.
 */

export const API_VERSION = '2018-01-20'

/** GenerateOTAUploadURL accepts only these suffixes (`bin` when FileSuffix is omitted). */
export const FILE_SUFFIXES = ['bin', 'dav', 'apk', 'tar', 'gz', 'tar.gz', 'zip', 'gzip'] as const
export type FileSuffix = (typeof FILE_SUFFIXES)[number]

/** 1,000 MB: the largest file GenerateOTAUploadURL's policy lets OSS accept. */
export const MAX_FIRMWARE_BYTES = 1_048_576_000

export const SIGN_METHODS = ['MD5', 'SHA256'] as const
export type SignMethod = (typeof SIGN_METHODS)[number]

/**
 * A package of several files (CreateOTAFirmware's `MultiFiles.N`): at most 20 files, each named 1 to
 * 32 characters, names unique within the package. The character set is not documented: the action
 * takes the safe one (letters, digits, `.`, `-`, `_`) and compares names without regard to case,
 * so that a name the platform might refuse fails before the uploads, not after them.
 */
export const MULTI_FILES_MAX = 20
export const MULTI_FILE_NAME_MAX = 32
export const MULTI_FILE_NAME_PATTERN = /^[A-Za-z0-9._-]+$/

export const DEST_VERSION_MAX = 64
export const FIRMWARE_NAME_MAX = 40
export const FIRMWARE_DESC_MAX = 100
export const UDI_MAX = 4096

/** DestVersion and SrcVersion: letters, digits, `.`, `-`, `_`, 1 to 64 characters. */
export const VERSION_PATTERN = /^[A-Za-z0-9._-]{1,64}$/

/**
 * FirmwareName: 1 to 40 characters of letters (Latin, Chinese, Japanese), digits, `-`, `_`, `(`,
 * `)`, starting with a letter or digit. No `.`, so `1.2.3` cannot appear as is. `ー` (U+30FC, the
 * katakana prolonged sound mark, as in ファームウェア) is a Japanese letter of no script of its own
 * (Unicode files it under Common), so it is named.
 */
const NAME_START = String.raw`A-Za-z0-9\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30FC`
export const FIRMWARE_NAME_PATTERN = new RegExp(`^[${NAME_START}][${NAME_START}_()\\-]*$`, 'u')

/** Characters as the platform counts them: one per code point, so a CJK character counts 1. */
export function charCount(value: string): number {
  return [...value].length
}

export function isValidVersion(value: string): boolean {
  return VERSION_PATTERN.test(value)
}

export function isValidFirmwareName(value: string): boolean {
  const n = charCount(value)
  return n >= 1 && n <= FIRMWARE_NAME_MAX && FIRMWARE_NAME_PATTERN.test(value)
}

/** The suffix GenerateOTAUploadURL would need for a file name, or undefined when none fits. */
export function fileSuffixOf(fileName: string): FileSuffix | undefined {
  const lower = fileName.toLowerCase()
  // Longest first, so `a.tar.gz` is `tar.gz`, not `gz`.
  const bySpecificity = [...FILE_SUFFIXES].sort((a, b) => b.length - a.length)
  return bySpecificity.find((suffix) => lower.endsWith(`.${suffix}`))
}

/** The module every product has; CreateOTAFirmware without ModuleName means this one. */
export const DEFAULT_MODULE = 'default'

/** ModuleName as CreateOTAFirmware takes it: left out for the default module. */
export function moduleParam(moduleName: string): string | undefined {
  return moduleName === DEFAULT_MODULE ? undefined : moduleName
}

/** ModuleName: letters, digits, `.`, `-`, `_`, 1 to 64 characters. */
const MODULE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/

export function isValidModuleName(value: string): boolean {
  return MODULE_NAME_PATTERN.test(value)
}

/** Region ids (`cn-shanghai`, `ap-southeast-1`): the IoT endpoint and the OSS region are built from them. */
const REGION_PATTERN = /^[a-z]{2}(-[a-z0-9]+)+$/

export function isValidRegionId(value: string): boolean {
  return REGION_PATTERN.test(value)
}

/**
 * The marketplace variant (Tuya's IoT on Alibaba Cloud instances): one endpoint per instance, on
 * hosts like `si-<20 hex>.tuyacloud.com`; full packages only (Type 0), no IotInstanceId.
 */
const MARKETPLACE_HOST_SUFFIX = '.tuyacloud.com'

export function isMarketplaceHost(hostname: string): boolean {
  return hostname.toLowerCase().endsWith(MARKETPLACE_HOST_SUFFIX)
}
