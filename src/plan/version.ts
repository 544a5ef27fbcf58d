/**
 * DestVersion from a release tag (or the `dest-version` input). Pure: the caller passes the event
 * name, ref, release tag and tags at the commit; nothing here reads the environment. The grammar is
 * in version-grammar.ts, the messages in version-messages.ts, the ordering in version-order.ts.
 */
import { charCount, isValidModuleName } from '../platform/rules.js'
import { ActionError, describeError } from '../contract/action-error.js'
import {
  BUILD_METADATA_POLICIES,
  BUILD_SEPARATOR,
  DEFAULT_TAG_PATTERN,
  LOOSE_VERSION,
  MAX_TAG_CHARS,
  nonEmpty,
  splitCore,
  STRICT_VERSION,
  VERSION_FORMATS,
  type BuildMetadataPolicy,
  type ParsedVersion,
  type VersionFormat
} from './version-grammar.js'
import * as say from './version-messages.js'
import { comparePrecedence, compareStrings } from './version-order.js'

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
    throw say.patternDoesNotCompile(pattern, describeError(error))
  }
  // An empty alternative always matches, and a match lists every named group of the pattern.
  const groups = new RegExp(`(?:${pattern})|`).exec('')?.groups ?? {}
  if (!('version' in groups)) throw say.patternWithoutVersionGroup(pattern)
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

  throw say.noVersion(sources)
}

function normalizeOptions(options: VersionOptions): NormalizedOptions {
  const versionFormat = options.versionFormat ?? 'strict'
  if (!VERSION_FORMATS.includes(versionFormat)) throw say.unknownVersionFormat(versionFormat)
  const buildMetadata = options.buildMetadata ?? 'strip'
  if (!BUILD_METADATA_POLICIES.includes(buildMetadata)) throw say.unknownBuildMetadataPolicy(buildMetadata)
  const tagPattern = options.tagPattern === undefined || options.tagPattern === '' ? DEFAULT_TAG_PATTERN : options.tagPattern
  return { tagPattern, regex: compileTagPattern(tagPattern), versionFormat, buildMetadata }
}

function fromInput(destVersion: string): ResolvedVersion {
  const problem = say.versionRuleProblem(destVersion)
  if (problem !== undefined) throw say.badDestVersionInput(destVersion, problem)
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
  if (opts.buildMetadata === 'fail') throw say.buildMetadataRefused(tag, build, withoutBuild)
  if (opts.buildMetadata === 'keep') return `${withoutBuild}${BUILD_SEPARATOR}${build}`
  notes.push(say.buildMetadataDropped(tag, build, withoutBuild))
  return withoutBuild
}

/** The tag's match and version group, checked against `version-format`. */
function matchTag(tag: string, opts: NormalizedOptions): { groups: Record<string, string | undefined>; version: string; parsed: ParsedVersion } {
  if (charCount(tag) > MAX_TAG_CHARS) throw say.tagTooLong(tag)
  const match = opts.regex.exec(tag)
  if (match === null) throw say.noMatch(tag, opts.tagPattern)
  const groups = match.groups ?? {}
  const version = nonEmpty(groups.version)
  if (version === undefined) throw say.emptyVersionGroup(tag, opts.tagPattern)
  return { groups, version, parsed: checkFormat(tag, version, opts) }
}

function parseTagWith(tag: string, opts: NormalizedOptions): { resolved: ResolvedVersion; core: string[] } {
  const { groups, version, parsed } = matchTag(tag, opts)
  const notes: string[] = []
  const destVersion = applyBuildMetadata(tag, version, parsed.build, opts, notes)
  const problem = say.versionRuleProblem(destVersion)
  if (problem !== undefined) throw say.badDestVersionFromTag(tag, destVersion, problem)
  const tagModule = nonEmpty(groups.module)
  if (tagModule !== undefined && !isValidModuleName(tagModule)) throw say.badTagModule(tag, tagModule, opts.tagPattern)

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
  if (accepted === undefined) throw say.versionFormatRefused(tag, version, opts.versionFormat, opts.tagPattern, loose)
  return { core: splitCore(accepted.core ?? ''), prerelease: nonEmpty(accepted.prerelease), build: nonEmpty(accepted.build) }
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
  if (accepted.length === 0) throw say.noCommitTagVersion(list, refused)
  const modules = [...new Set(accepted.map((a) => a.resolved.tagModule ?? '(none)'))].sort()
  if (modules.length > 1)
    throw say.commitTagsOfSeveralModules(
      modules,
      accepted.map((a) => a.resolved.tag ?? '')
    )
  const ordered = (a: (typeof accepted)[number]) => ({ core: a.core, prerelease: a.resolved.prerelease })
  // Highest version first; equal versions by DestVersion, then tag, so the pick never depends on order.
  const sorted = [...accepted].sort(
    (a, b) =>
      comparePrecedence(ordered(b), ordered(a)) ||
      compareStrings(a.resolved.destVersion, b.resolved.destVersion) ||
      compareStrings(a.resolved.tag ?? '', b.resolved.tag ?? '')
  )
  const best = sorted[0]
  if (best === undefined) throw new Error('unreachable: accepted is not empty')
  const resolved: ResolvedVersion = { ...best.resolved, source: 'commit-tag', notes: [...best.resolved.notes] }
  if (accepted.length > 1) resolved.notes.push(say.severalCommitTags(list, best.resolved.tag ?? ''))
  return resolved
}
