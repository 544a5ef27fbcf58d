/**
 * The tag grammar: what a version and a tag look like, by `version-format`, with the default
 * `tag-pattern`. Only the shapes; what is said when a tag does not fit is in version-messages.ts.
 */

/** Values of input `version-format`. */
export const VERSION_FORMATS = ['strict', 'loose'] as const
/** `strict`: SemVer 2.0. `loose`: 1 to 4 numeric parts or a `YYYY-MM-DD` date, leading zeros allowed. */
export type VersionFormat = (typeof VERSION_FORMATS)[number]

/** Values of input `build-metadata`. */
export const BUILD_METADATA_POLICIES = ['strip', 'keep', 'fail'] as const
/** What to do with SemVer build metadata (`+…`), which DestVersion cannot hold. */
export type BuildMetadataPolicy = (typeof BUILD_METADATA_POLICIES)[number]

/**
 * The default `tag-pattern`. Accepts `v1.2.3`, `V1.2.3`, `1.2.3`, `v1.2.3-rc.1`, `v1.2.3+build.7`,
 * `v1.6`, `1.2.3.4`, `2024.11.20`, `2024-11-20`, and the same behind a module: `wifi/v1.2.3`,
 * `wifi@1.2.3`, `wifi-v1.2.3`, `wifi-1.2.3`, `release/wifi/v1.2.3`, `@acme/wifi@1.2.3`.
 *
 * How it splits a tag:
 * - No module is tried first, so `v1.2.3-rc.1` is a prerelease, not module `v1.2.3` + `rc.1`.
 * - The module is the shortest run of `[A-Za-z0-9._-]` (1 to 64, the OTA module name rule) that
 *   is followed by `/`, `@` or `-` and then a version; path segments before it are ignored.
 *   So `wifi-ble-v1.2.3` is module `wifi-ble` and `release/wifi/v1.2.3` is module `wifi`
 *   (`release/v1.2.3` is module `release`: use a custom pattern if that is not what you mean).
 * - A version is a `v`/`V` followed by a digit, or bare digits with at least two parts (`1.2`) or
 *   a date. A bare single number is never a version, so `sensor-2-1.0.0` is module `sensor-2`.
 * - The `version` group is the loose shape; `version-format` then decides what is accepted.
 */
export const DEFAULT_TAG_PATTERN = String.raw`^(?:(?:[^/]*/)*?(?<module>[A-Za-z0-9._-]{1,64}?)[/@-])??(?:[vV]|(?=\d+\.\d|\d{4}-\d\d-\d\d))(?<version>(?:\d{4}-\d\d-\d\d|\d+(?:\.\d+){0,3})(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)$`

/** Longer tags are refused before matching: no real tag is this long, and it bounds regex time. */
export const MAX_TAG_CHARS = 1024

// The one character that replaces `+` in `keep` mode. `-` would turn build metadata into a SemVer
// prerelease (so `1.2.3-build.7` sorts BEFORE `1.2.3` on a device comparing versions) and `.`
// would read as more version parts; `_` is valid in DestVersion and means nothing in SemVer.
export const BUILD_SEPARATOR = '_'

const SEMVER_NUM = '(?:0|[1-9]\\d*)'
const SEMVER_PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)'
const DOTTED_IDS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*'
/** SemVer 2.0.0, as semver.org gives it. */
export const STRICT_VERSION = new RegExp(
  `^(?<core>${SEMVER_NUM}\\.${SEMVER_NUM}\\.${SEMVER_NUM})` + `(?:-(?<prerelease>${SEMVER_PRE_ID}(?:\\.${SEMVER_PRE_ID})*))?(?:\\+(?<build>${DOTTED_IDS}))?$`
)
/** Date first, so `2024-11-20` is a date and not `2024` with prerelease `11-20`. */
export const LOOSE_VERSION = new RegExp(
  `^(?<core>\\d{4}-\\d{2}-\\d{2}|\\d+(?:\\.\\d+){0,3})` + `(?:-(?<prerelease>${DOTTED_IDS}))?(?:\\+(?<build>${DOTTED_IDS}))?$`
)

/** A version's parts as the format reads them. */
export interface ParsedVersion {
  /** Numeric parts; a date gives year, month, day. */
  core: string[]
  prerelease?: string
  build?: string
}

/** The parts of a version's numeric core: `1.2.3` → 1, 2, 3; a date gives year, month, day. */
export function splitCore(core: string): string[] {
  return core.split(/[.-]/)
}

/** An empty group is no group. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
