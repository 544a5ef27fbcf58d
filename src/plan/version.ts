/**
 * DestVersion from a release tag (or the `dest-version` input). Pure: the caller passes the event
 * name, ref, release tag and tags at the commit; nothing here reads the environment.
 */
import { DEST_VERSION_MAX, VERSION_PATTERN, charCount, isValidVersion, isValidModuleName } from '../platform/rules.js'
import { INPUT } from '../contract/names.js'
import { ActionError, invalidInput, describeError } from '../contract/action-error.js'

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

/** Settings from the action inputs. Omitted (or empty `tagPattern`) means the default. */
export interface VersionOptions {
  /** Input `tag-pattern`; default {@link DEFAULT_TAG_PATTERN}. */
  tagPattern?: string
  /** Input `version-format`; default `strict`. */
  versionFormat?: VersionFormat
  /** Input `build-metadata`; default `strip`. */
  buildMetadata?: BuildMetadataPolicy
}

/** Where a version can come from, as the caller read them from the inputs and the event. */
export interface VersionSources {
  /** Input `dest-version`; empty means unset. */
  destVersion?: string
  /** `GITHUB_REF`; only `refs/tags/<tag>` counts. */
  ref?: string
  /** `GITHUB_EVENT_NAME`; only used in the error when no source gives a version. */
  eventName?: string
  /** `release.tag_name` of a `release` event payload. */
  releaseTagName?: string
  /** Tags that point at the commit; pass it only when the user set `tag-from-sha: true`. */
  tagsAtSha?: readonly string[]
  /** Why `tagsAtSha` says nothing: git failed, or the clone has no tags (git's reason and the fix). */
  tagLookupProblem?: { readonly reason: string; readonly hint: string }
}

/** The DestVersion, where it came from and its parts (for the step outputs and the module guard). */
export interface ResolvedVersion {
  destVersion: string
  source: 'input' | 'ref' | 'release' | 'commit-tag'
  /** The tag the version came from (not set for `input`). */
  tag?: string
  /** The `module` group of the tag pattern; the caller compares it with its module. */
  tagModule?: string
  major?: string
  minor?: string
  patch?: string
  prerelease?: string
  /** Build metadata without the `+`, also when it was dropped from DestVersion. */
  build?: string
  isPrerelease: boolean
  /** For the caller to log as warnings (dropped build metadata, which of several tags, …). */
  notes: string[]
}

/** Longer tags are refused before matching: no real tag is this long, and it bounds regex time. */
const MAX_TAG_CHARS = 1024

// The one character that replaces `+` in `keep` mode. `-` would turn build metadata into a SemVer
// prerelease (so `1.2.3-build.7` sorts BEFORE `1.2.3` on a device comparing versions) and `.`
// would read as more version parts; `_` is valid in DestVersion and means nothing in SemVer.
const BUILD_SEPARATOR = '_'

const SEMVER_NUM = '(?:0|[1-9]\\d*)'
const SEMVER_PRE_ID = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)'
const DOTTED_IDS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*'
/** SemVer 2.0.0, as semver.org gives it. */
const STRICT_VERSION = new RegExp(
  `^(?<core>${SEMVER_NUM}\\.${SEMVER_NUM}\\.${SEMVER_NUM})` + `(?:-(?<prerelease>${SEMVER_PRE_ID}(?:\\.${SEMVER_PRE_ID})*))?(?:\\+(?<build>${DOTTED_IDS}))?$`
)
/** Date first, so `2024-11-20` is a date and not `2024` with prerelease `11-20`. */
const LOOSE_VERSION = new RegExp(`^(?<core>\\d{4}-\\d{2}-\\d{2}|\\d+(?:\\.\\d+){0,3})` + `(?:-(?<prerelease>${DOTTED_IDS}))?(?:\\+(?<build>${DOTTED_IDS}))?$`)

interface ParsedVersion {
  /** Numeric parts; a date gives year, month, day. */
  core: string[]
  prerelease?: string
  build?: string
}

interface NormalizedOptions {
  tagPattern: string
  regex: RegExp
  versionFormat: VersionFormat
  buildMetadata: BuildMetadataPolicy
}

/**
 * Compiles a `tag-pattern` value. Throws an {@link ActionError} for input `tag-pattern` when it
 * does not compile or has no `(?<version>…)` group. The pattern is used as written: add `^…$`
 * yourself to match whole tags (the default does).
 */
export function compileTagPattern(pattern: string): RegExp {
  let regex: RegExp
  try {
    regex = new RegExp(pattern)
  } catch (error) {
    const reason = describeError(error)
    throw invalidInput(INPUT.tagPattern, pattern, `not a valid regular expression (${reason})`)
  }
  // An empty alternative always matches, and a match lists every named group of the pattern.
  const groups = new RegExp(`(?:${pattern})|`).exec('')?.groups ?? {}
  if (!('version' in groups)) {
    throw invalidInput(
      INPUT.tagPattern,
      pattern,
      'it needs a named group (?<version>…) for the part of the tag that becomes DestVersion',
      'Optional groups: (?<module>…), (?<major>…), (?<minor>…), (?<patch>…), (?<prerelease>…), (?<build>…).'
    )
  }
  return regex
}

/**
 * Reads one tag: match `tag-pattern`, check `version-format`, apply `build-metadata`, check the
 * DestVersion rule. Throws an {@link ActionError} naming the tag and the input to change.
 * The result has source `ref`.
 */
export function parseTag(tag: string, options: VersionOptions = {}): ResolvedVersion {
  return parseTagWith(tag, normalizeOptions(options)).resolved
}

/**
 * Picks the DestVersion from the first source that has one: input `dest-version`, a pushed tag
 * (`ref`), a release's tag, then the tags at the commit (when the caller passed them).
 *
 * Several tags at the commit: ones the pattern does not accept are ignored (floating `v1`,
 * `latest`); the rest must all have the same module (else an error, since the wrong firmware
 * would be published), and the highest version wins (`v1.2.3` over `v1.2.3-rc.1` on the same
 * commit), with a note saying which.
 */
export function resolveVersion(sources: VersionSources, options: VersionOptions = {}): ResolvedVersion {
  // Settings are checked even when dest-version makes them unused: a broken input fails every run.
  const opts = normalizeOptions(options)

  if (sources.destVersion !== undefined && sources.destVersion !== '') {
    return fromInput(sources.destVersion)
  }
  const refTag = sources.ref?.startsWith('refs/tags/') ? sources.ref.slice('refs/tags/'.length) : undefined
  if (refTag !== undefined) return parseTagWith(refTag, opts).resolved
  if (sources.releaseTagName !== undefined && sources.releaseTagName !== '') {
    return { ...parseTagWith(sources.releaseTagName, opts).resolved, source: 'release' }
  }
  if (sources.tagsAtSha !== undefined && sources.tagsAtSha.length > 0) {
    return fromCommitTags(sources.tagsAtSha, opts)
  }

  throw noVersion(sources)
}

/** Nothing gives a version: say which sources were looked at, and why the commit's tags did not help. */
function noVersion(sources: VersionSources): ActionError {
  const event = sources.eventName ?? 'unknown'
  const ref = sources.ref ?? '(none)'
  const head = `No DestVersion for event '${event}' on ref '${ref}': the ref is not a tag, input '${INPUT.destVersion}' is not set`
  const problem = sources.tagLookupProblem
  if (problem !== undefined) {
    return new ActionError(`${head}, and the tags at the commit could not be read (${problem.reason}).`, {
      input: INPUT.tagFromSha,
      hint: `${problem.hint} Or set '${INPUT.destVersion}'.`
    })
  }
  const lookedAtCommit = sources.tagsAtSha !== undefined
  return new ActionError(`${head}${lookedAtCommit ? ', and no tag points at the commit.' : '.'}`, {
    input: INPUT.destVersion,
    hint: lookedAtCommit
      ? `Tag the commit and run again, or set '${INPUT.destVersion}'.`
      : `Push a tag (e.g. v1.2.3), set '${INPUT.destVersion}', or set 'tag-from-sha: true' to use a tag that points at the commit.`
  })
}

function normalizeOptions(options: VersionOptions): NormalizedOptions {
  const versionFormat = options.versionFormat ?? 'strict'
  if (!VERSION_FORMATS.includes(versionFormat)) {
    throw invalidInput(INPUT.versionFormat, versionFormat, "use 'strict' (SemVer 2.0) or 'loose'")
  }
  const buildMetadata = options.buildMetadata ?? 'strip'
  if (!BUILD_METADATA_POLICIES.includes(buildMetadata)) {
    throw invalidInput(INPUT.buildMetadata, buildMetadata, "use 'strip', 'keep' or 'fail'")
  }
  const tagPattern = options.tagPattern === undefined || options.tagPattern === '' ? DEFAULT_TAG_PATTERN : options.tagPattern
  return { tagPattern, regex: compileTagPattern(tagPattern), versionFormat, buildMetadata }
}

function fromInput(destVersion: string): ResolvedVersion {
  const problem = versionRuleProblem(destVersion)
  if (problem !== undefined) {
    throw invalidInput(INPUT.destVersion, destVersion, `DestVersion must match ${String(VERSION_PATTERN)}, and it ${problem}`)
  }
  // Taken as is; parts are read only when it looks like a version, so is-prerelease still works.
  const parsed = LOOSE_VERSION.exec(destVersion.replace(/^[vV](?=\d)/, ''))?.groups
  const resolved: ResolvedVersion = { destVersion, source: 'input', isPrerelease: false, notes: [] }
  if (parsed !== undefined) {
    assignParts(resolved, splitCore(parsed.core ?? ''), {
      prerelease: nonEmpty(parsed.prerelease),
      build: nonEmpty(parsed.build)
    })
  }
  return resolved
}

/** What `build-metadata` makes of a `+build` suffix, which DestVersion cannot hold. */
function applyBuildMetadata(tag: string, version: string, build: string | undefined, opts: NormalizedOptions, notes: string[]): string {
  if (build === undefined) return version
  const withoutBuild = version.slice(0, version.length - build.length - 1)
  if (opts.buildMetadata === 'fail') {
    throw new ActionError(`Tag '${tag}' has build metadata '+${build}', and build-metadata is 'fail'.`, {
      input: INPUT.buildMetadata,
      hint: `DestVersion cannot contain '+'. Tag without '+…', or set 'build-metadata: strip' (gives '${withoutBuild}') or 'keep' (gives '${withoutBuild}${BUILD_SEPARATOR}${build}').`
    })
  }
  if (opts.buildMetadata === 'keep') return `${withoutBuild}${BUILD_SEPARATOR}${build}`
  notes.push(`Tag '${tag}': dropped build metadata '+${build}' (DestVersion cannot contain '+'); DestVersion is '${withoutBuild}'.`)
  return withoutBuild
}

function parseTagWith(tag: string, opts: NormalizedOptions): { resolved: ResolvedVersion; core: string[] } {
  if (charCount(tag) > MAX_TAG_CHARS) {
    throw new ActionError(`Tag '${tag.slice(0, 80)}…' is ${charCount(tag)} characters long; tags over ${MAX_TAG_CHARS} are not read.`, {
      input: INPUT.tagPattern,
      hint: `Set '${INPUT.destVersion}' instead.`
    })
  }
  const match = opts.regex.exec(tag)
  if (match === null) throw noMatch(tag, opts)
  const groups = match.groups ?? {}
  const version = nonEmpty(groups.version)
  if (version === undefined) {
    throw new ActionError(`Tag '${tag}' matches ${INPUT.tagPattern} ${describePattern(opts)} but its (?<version>…) group is empty.`, {
      input: INPUT.tagPattern
    })
  }

  const parsed = checkFormat(tag, version, opts)
  const notes: string[] = []
  const destVersion = applyBuildMetadata(tag, version, parsed.build, opts, notes)

  const problem = versionRuleProblem(destVersion)
  if (problem !== undefined) {
    throw new ActionError(`Tag '${tag}' gives DestVersion '${destVersion}', which must match ${String(VERSION_PATTERN)}: it ${problem}.`, {
      input: INPUT.tagPattern,
      hint: `Use a shorter tag, narrow the (?<version>…) group of '${INPUT.tagPattern}', or set '${INPUT.destVersion}'.`
    })
  }

  const tagModule = nonEmpty(groups.module)
  if (tagModule !== undefined && !isValidModuleName(tagModule)) {
    throw new ActionError(`Tag '${tag}' gives module '${tagModule}', which is not an OTA module name (1 to 64 of letters, digits, '.', '-', '_').`, {
      input: INPUT.tagPattern,
      hint: `Narrow the (?<module>…) group of ${INPUT.tagPattern} ${describePattern(opts)}.`
    })
  }

  const resolved: ResolvedVersion = { destVersion, source: 'ref', tag, isPrerelease: false, notes }
  if (tagModule !== undefined) resolved.tagModule = tagModule
  // Groups the user named win over what was read from the version.
  const core = [...parsed.core]
  for (const [i, name] of (['major', 'minor', 'patch'] as const).entries()) {
    const value = nonEmpty(groups[name])
    if (value !== undefined) core[i] = value
  }
  assignParts(resolved, core, {
    prerelease: nonEmpty(groups.prerelease) ?? parsed.prerelease,
    build: nonEmpty(groups.build) ?? parsed.build
  })
  return { resolved, core: parsed.core }
}

function assignParts(resolved: ResolvedVersion, core: string[], extra: { prerelease?: string; build?: string }): void {
  const [major, minor, patch] = core
  if (major !== undefined) resolved.major = major
  if (minor !== undefined) resolved.minor = minor
  if (patch !== undefined) resolved.patch = patch
  if (extra.prerelease !== undefined) resolved.prerelease = extra.prerelease
  if (extra.build !== undefined) resolved.build = extra.build
  resolved.isPrerelease = extra.prerelease !== undefined
}

/** Checks the version group against `version-format`, explaining a refusal. */
function checkFormat(tag: string, version: string, opts: NormalizedOptions): ParsedVersion {
  const strict = STRICT_VERSION.exec(version)?.groups
  const loose = LOOSE_VERSION.exec(version)?.groups
  const accepted = opts.versionFormat === 'strict' ? strict : loose
  if (accepted !== undefined) {
    return { core: splitCore(accepted.core ?? ''), prerelease: nonEmpty(accepted.prerelease), build: nonEmpty(accepted.build) }
  }

  const bad = badCharacters(version, /[0-9A-Za-z.+-]/)
  const vHint = /^[vV]\d/.test(version) ? " Leave the leading 'v' out of the (?<version>…) group." : ''
  if (opts.versionFormat === 'strict' && loose !== undefined) {
    throw new ActionError(`Tag '${tag}' gives version '${version}', which is not SemVer 2.0: ${strictProblem(loose.core ?? '', loose.prerelease)}.`, {
      input: INPUT.versionFormat,
      hint: "Set 'version-format: loose' to accept 1 to 4 numeric parts, leading zeros and dates, or tag as MAJOR.MINOR.PATCH."
    })
  }
  const expected =
    opts.versionFormat === 'strict'
      ? 'not SemVer 2.0 (MAJOR.MINOR.PATCH, optional -prerelease and +build)'
      : 'not a version (1 to 4 numeric parts or a YYYY-MM-DD date, optional -prerelease and +build)'
  throw new ActionError(`Tag '${tag}' gives version '${version}', which is ${expected}` + (bad.length > 0 ? `; it contains ${bad.join(', ')}.` : '.'), {
    input: INPUT.tagPattern,
    hint: `Check the (?<version>…) group of ${INPUT.tagPattern} ${describePattern(opts)}, or set '${INPUT.destVersion}'.${vHint}`
  })
}

/** Why a version the loose format accepts is not SemVer. */
function strictProblem(core: string, prerelease: string | undefined): string {
  if (core.includes('-')) return `'${core}' is a date; SemVer needs MAJOR.MINOR.PATCH`
  const parts = core.split('.')
  if (parts.length !== 3) {
    return `it has ${parts.length} numeric part${parts.length === 1 ? '' : 's'}; SemVer needs exactly 3 (MAJOR.MINOR.PATCH)`
  }
  const zero = parts.find((part) => /^0\d/.test(part))
  if (zero !== undefined) return `numeric part '${zero}' has a leading zero`
  const zeroId = prerelease?.split('.').find((id) => /^0\d*$/.test(id) && id.length > 1)
  if (zeroId !== undefined) return `numeric prerelease identifier '${zeroId}' has a leading zero`
  return 'it does not follow semver.org'
}

function noMatch(tag: string, opts: NormalizedOptions): ActionError {
  const bad = badCharacters(tag, /[0-9A-Za-z._+/@-]/)
  const isDefault = opts.tagPattern === DEFAULT_TAG_PATTERN
  const hints = [
    isDefault
      ? 'The default accepts tags like v1.2.3, 1.2.3, v1.2.3-rc.1, wifi/v1.2.3, wifi@1.2.3, wifi-v1.2.3 (and v1.6, 1.2.3.4, 2024.11.20 with version-format: loose).'
      : 'Check the tag against tag-pattern.',
    `Push a matching tag, set '${INPUT.tagPattern}', or set '${INPUT.destVersion}'.`
  ]
  if (/^\/.*\/[a-z]*$/.test(opts.tagPattern)) hints.unshift('Write tag-pattern without the surrounding slashes.')
  return new ActionError(
    `Tag '${tag}' does not match ${INPUT.tagPattern} ${describePattern(opts)}` +
      (bad.length > 0 ? `; it contains characters a DestVersion cannot hold: ${bad.join(', ')}.` : '.'),
    { input: INPUT.tagPattern, hint: hints.join(' ') }
  )
}

function describePattern(opts: NormalizedOptions): string {
  return `${opts.tagPattern === DEFAULT_TAG_PATTERN ? '(default) ' : ''}/${opts.tagPattern}/`
}

function fromCommitTags(tags: readonly string[], opts: NormalizedOptions): ResolvedVersion {
  const accepted: { resolved: ResolvedVersion; core: string[] }[] = []
  const refused: string[] = []
  for (const tag of tags) {
    try {
      accepted.push(parseTagWith(tag, opts))
    } catch (error) {
      if (!(error instanceof ActionError)) throw error
      refused.push(`${tag}: ${error.message}`)
    }
  }
  const list = tags.map((tag) => `'${tag}'`).join(', ')
  if (accepted.length === 0) {
    throw new ActionError(`None of the tags at the commit (${list}) gives a DestVersion. ${refused.join(' ')}`, {
      input: INPUT.tagPattern,
      hint: `Tag the commit with a version, adjust '${INPUT.tagPattern}', or set '${INPUT.destVersion}'.`
    })
  }
  const modules = [...new Set(accepted.map((a) => a.resolved.tagModule ?? '(none)'))].sort()
  if (modules.length > 1) {
    throw new ActionError(`Tags at the commit name different modules (${modules.join(', ')}): ${accepted.map((a) => `'${a.resolved.tag}'`).join(', ')}.`, {
      input: INPUT.tagPattern,
      hint: `Restrict '${INPUT.tagPattern}' to one module (e.g. ^wifi/v(?<version>.+)$), push the tag itself, or set '${INPUT.destVersion}'.`
    })
  }
  // Highest version first; equal versions by DestVersion, then tag, so the pick never depends on order.
  const sorted = [...accepted].sort(
    (a, b) =>
      comparePrecedence(b, a) || compareStrings(a.resolved.destVersion, b.resolved.destVersion) || compareStrings(a.resolved.tag ?? '', b.resolved.tag ?? '')
  )
  const best = sorted[0]
  if (best === undefined) throw new Error('unreachable: accepted is not empty')
  const resolved: ResolvedVersion = { ...best.resolved, source: 'commit-tag', notes: [...best.resolved.notes] }
  if (accepted.length > 1) {
    resolved.notes.push(`Several tags point at the commit (${list}); using '${best.resolved.tag}', the highest version.`)
  }
  return resolved
}

/** SemVer precedence, extended to 1–4 parts (missing parts are 0) and dates (year, month, day). */
function comparePrecedence(a: { resolved: ResolvedVersion; core: string[] }, b: { resolved: ResolvedVersion; core: string[] }): number {
  const length = Math.max(a.core.length, b.core.length)
  for (let i = 0; i < length; i++) {
    const order = compareNumeric(a.core[i] ?? '0', b.core[i] ?? '0')
    if (order !== 0) return order
  }
  const pa = a.resolved.prerelease
  const pb = b.resolved.prerelease
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1
  const ia = pa.split('.')
  const ib = pb.split('.')
  for (let i = 0; i < Math.min(ia.length, ib.length); i++) {
    const x = ia[i] ?? ''
    const y = ib[i] ?? ''
    const xNum = /^\d+$/.test(x)
    const yNum = /^\d+$/.test(y)
    const order = xNum && yNum ? compareNumeric(x, y) : xNum ? -1 : yNum ? 1 : compareStrings(x, y)
    if (order !== 0) return order
  }
  return Math.sign(ia.length - ib.length)
}

/** Numeric strings of any length, without converting (parts can exceed 2^53). */
function compareNumeric(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  return Math.sign(x.length - y.length) || compareStrings(x, y)
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function splitCore(core: string): string[] {
  return core.split(/[.-]/)
}

/** Why a DestVersion breaks {@link VERSION_PATTERN}, or undefined when it does not. */
function versionRuleProblem(value: string): string | undefined {
  if (isValidVersion(value)) return undefined
  if (value === '') return 'is empty'
  const bad = badCharacters(value, /[A-Za-z0-9._-]/)
  const length = charCount(value)
  const problems: string[] = []
  if (length > DEST_VERSION_MAX) problems.push(`is ${length} characters long (at most ${DEST_VERSION_MAX})`)
  if (bad.length > 0) problems.push(`contains ${bad.join(', ')} (only letters, digits, '.', '-' and '_' are allowed)`)
  return problems.join(' and ')
}

/** Distinct characters not matching `allowed`, quoted; invisible ones are spelled out. */
function badCharacters(value: string, allowed: RegExp): string[] {
  const bad = [...new Set([...value].filter((ch) => !allowed.test(ch)))]
  return bad.map((ch) => {
    if (ch === ' ') return "' ' (space)"
    if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)) return `'${ch}'`
    return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
  })
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}
