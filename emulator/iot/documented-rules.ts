/**
 * What Alibaba's API reference (IoT Platform, API version 2018-01-20) allows in the values the
 * emulator's operations take, written from the pages themselves and never taken from the action's
 * code: a check built on the client's own rules would pass whatever the client does.
 *
 * Each rule names its page; `doc-detail/<id>` is https://www.alibabacloud.com/help/doc-detail/<id>.htm.
 * Where a page leaves a choice open the rule takes the strict reading and says so; emulator/README.md
 * lists those readings.
 */

/** Common parameters (doc-detail/30561): `Version`; the official SDK (`@alicloud/iot20180120`) sends `2018-01-20`. */
export const API_VERSION = '2018-01-20'

/** GenerateOTAUploadURL (doc-detail/147310): FileSuffix is one of these, `bin` when left out. Strict: spelled as listed (lower case). */
export const FILE_SUFFIXES: readonly string[] = ['bin', 'dav', 'apk', 'tar', 'gz', 'tar.gz', 'zip', 'gzip']
export const DEFAULT_FILE_SUFFIX = 'bin'

/** GenerateOTAUploadURL (doc-detail/147310): "the file may not exceed 1,000 MB", its policy's content-length-range ending at 1048576000. */
export const MAX_UPLOAD_BYTES = 1_048_576_000

/**
 * CreateOTAFirmware (doc-detail/147311; the marketplace's CreateOTAFirmware page alike): SignMethod is
 * `MD5` (the default) or `SHA256`, spelled so. Older copies of the page list MD5 alone.
 */
export const SIGN_METHODS = ['MD5', 'SHA256'] as const
export type SignMethod = (typeof SIGN_METHODS)[number]
export const DEFAULT_SIGN_METHOD: SignMethod = 'MD5'

export function isSignMethod(value: string): value is SignMethod {
  return (SIGN_METHODS as readonly string[]).includes(value)
}

/**
 * How long a value is where the page does not say how a character counts. Strict: a Chinese or
 * Japanese character counts two, as the IoT pages that do say count it in names (CreateRule's Name,
 * a device's nickname), and a character outside the Basic Multilingual Plane counts two (UTF-16).
 */
export function strictLength(value: string): number {
  let length = 0
  for (const ch of value) length += WIDE.test(ch) ? 2 : ch.length
  return length
}

const WIDE = /[\p{Script_Extensions=Han}\p{Script_Extensions=Hiragana}\p{Script_Extensions=Katakana}]/u

/**
 * How long a value is where the page says "a Chinese character counts one" (FirmwareDesc). Strict for
 * what it leaves open: a character outside the Basic Multilingual Plane counts two (UTF-16).
 */
export function utf16Length(value: string): number {
  return value.length
}

/** CreateOTAFirmware (doc-detail/147311): DestVersion, and SrcVersion alike, hold letters, digits, `.`, `-` and `_`, 1 to 64 characters. */
const VERSION = /^[A-Za-z0-9._-]{1,64}$/

export function isVersion(value: string): boolean {
  return VERSION.test(value)
}

/**
 * A letter of the scripts the name rules call Chinese and Japanese. Strict: a letter of the CJK
 * Unified Ideographs block (U+4E00 to U+9FFF), or of the Hiragana and Katakana blocks (U+3040 to U+30FF).
 */
function isChineseLetter(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0
  return code >= 0x4e00 && code <= 0x9fff && /\p{L}/u.test(ch)
}

function isJapaneseLetter(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0
  return code >= 0x3040 && code <= 0x30ff && /\p{L}/u.test(ch)
}

/** English letters and digits. Strict: ASCII only, no other script's letters or digits. */
const ENGLISH_OR_DIGIT = /^[A-Za-z0-9]$/

/**
 * CreateOTAFirmware (doc-detail/147311; the API metadata's Chinese text is the fullest): FirmwareName
 * holds Chinese, English letters, Japanese, digits, `-`, `_` and half-width `(` `)`, starts with
 * Chinese, English, Japanese or a digit, and is 1 to 40 characters (strictLength: the page does not
 * say how a Chinese character counts).
 */
export const FIRMWARE_NAME_MAX = 40

export function isFirmwareName(value: string): boolean {
  const chars = [...value]
  const isStart = (ch: string) => ENGLISH_OR_DIGIT.test(ch) || isChineseLetter(ch) || isJapaneseLetter(ch)
  const length = strictLength(value)
  return length >= 1 && length <= FIRMWARE_NAME_MAX && isStart(chars[0] ?? '') && chars.every((ch) => isStart(ch) || '-_()'.includes(ch))
}

/** CreateOTAFirmware (doc-detail/147311): FirmwareDesc is at most 100 characters, "a Chinese character counts as one character". */
export const FIRMWARE_DESC_MAX = 100

export function fitsFirmwareDesc(value: string): boolean {
  return utf16Length(value) <= FIRMWARE_DESC_MAX
}

/** CreateOTAFirmware (doc-detail/147311): Udi is free text of at most 4096 characters (strictLength: the page does not say how they count). */
export const UDI_MAX = 4096

export function fitsUdi(value: string): boolean {
  return strictLength(value) <= UDI_MAX
}

/**
 * CreateOTAModule (doc-detail/186066): ModuleName holds English letters, digits, `.`, `-` and `_`,
 * 1 to 64 characters; unique in the product ignoring case. CreateOTAFirmware's ModuleName names one.
 */
const MODULE_NAME = /^[A-Za-z0-9._-]{1,64}$/

export function isModuleName(value: string): boolean {
  return MODULE_NAME.test(value)
}

/**
 * CreateOTAModule (doc-detail/186066): AliasName holds Chinese, English letters, digits, `.`, `-`
 * and `_`, 1 to 64 characters (strictLength); Japanese is not listed, so it is refused.
 */
export const ALIAS_NAME_MAX = 64

export function isAliasName(value: string): boolean {
  const length = strictLength(value)
  return length >= 1 && length <= ALIAS_NAME_MAX && [...value].every((ch) => ENGLISH_OR_DIGIT.test(ch) || isChineseLetter(ch) || '.-_'.includes(ch))
}

/** CreateOTAModule (doc-detail/186066): Desc is at most 100 characters (strictLength: the page does not say how they count). */
export const MODULE_DESC_MAX = 100

export function fitsModuleDesc(value: string): boolean {
  return strictLength(value) <= MODULE_DESC_MAX
}

/** CreateOTAModule (doc-detail/186066): at most 10 custom modules per product (`default` aside). */
export const CUSTOM_MODULES_MAX = 10

/**
 * CreateOTAFirmware (doc-detail/147311): MultiFiles holds at most 20 files (the text's number; the
 * metadata's `maxItems: 21` reads as an off-by-one). A package of one file takes FirmwareUrl instead
 * ("may be passed only when the package has one file, and must be then"), so MultiFiles has at least 2.
 */
export const MULTI_FILES_MIN = 2
export const MULTI_FILES_MAX = 20

/**
 * CreateOTAFirmware (doc-detail/147311): a MultiFiles Name is 1 to 32 characters, unique in the
 * package. Its character set is not documented; strict: English letters, digits, `.`, `-` and `_`.
 */
const MULTI_FILE_NAME = /^[A-Za-z0-9._-]{1,32}$/

export function isMultiFileName(value: string): boolean {
  return MULTI_FILE_NAME.test(value)
}

/** What two MultiFiles names must not share. Strict: letter case aside, as CreateOTAModule's page has module names compare. */
export function multiFileNameKey(name: string): string {
  return name.toLowerCase()
}
