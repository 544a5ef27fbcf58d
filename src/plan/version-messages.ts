/**
 * What the version grammar says when a tag, a pattern or `dest-version` does not give a
 * DestVersion: the error names the input to change and the hint says how.
 */
import { DEST_VERSION_MAX, VERSION_PATTERN, charCount, isValidVersion } from '../platform/rules.js'
import { INPUT } from '../contract/names.js'
import { ActionError, invalidInput } from '../contract/action-error.js'
import { BUILD_SEPARATOR, DEFAULT_TAG_PATTERN, MAX_TAG_CHARS, type VersionFormat } from './version-grammar.js'

/** Distinct characters not matching `allowed`, quoted; invisible ones are spelled out. */
function badCharacters(value: string, allowed: RegExp): string[] {
  const bad = [...new Set([...value].filter((ch) => !allowed.test(ch)))]
  return bad.map((ch) => {
    if (ch === ' ') return "' ' (space)"
    if (/^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch)) return `'${ch}'`
    return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
  })
}

/** Why a DestVersion breaks {@link VERSION_PATTERN}, or undefined when it does not. */
export function versionRuleProblem(value: string): string | undefined {
  if (isValidVersion(value)) return undefined
  if (value === '') return 'is empty'
  const bad = badCharacters(value, /[A-Za-z0-9._-]/)
  const length = charCount(value)
  const problems: string[] = []
  if (length > DEST_VERSION_MAX) problems.push(`is ${length} characters long (at most ${DEST_VERSION_MAX})`)
  if (bad.length > 0) problems.push(`contains ${bad.join(', ')} (only letters, digits, '.', '-' and '_' are allowed)`)
  return problems.join(' and ')
}

/** `(default) /…/` or `/…/`: the pattern as the messages show it. */
export function describePattern(tagPattern: string): string {
  return `${tagPattern === DEFAULT_TAG_PATTERN ? '(default) ' : ''}/${tagPattern}/`
}

export function patternDoesNotCompile(pattern: string, reason: string): ActionError {
  return invalidInput(INPUT.tagPattern, pattern, `not a valid regular expression (${reason})`)
}

export function patternWithoutVersionGroup(pattern: string): ActionError {
  return invalidInput(
    INPUT.tagPattern,
    pattern,
    'it needs a named group (?<version>…) for the part of the tag that becomes DestVersion',
    'Optional groups: (?<module>…), (?<major>…), (?<minor>…), (?<patch>…), (?<prerelease>…), (?<build>…).'
  )
}

export function unknownVersionFormat(value: string): ActionError {
  return invalidInput(INPUT.versionFormat, value, "use 'strict' (SemVer 2.0) or 'loose'")
}

export function unknownBuildMetadataPolicy(value: string): ActionError {
  return invalidInput(INPUT.buildMetadata, value, "use 'strip', 'keep' or 'fail'")
}

/** Where the run looked for a version, for the error when none gave one. */
interface Looked {
  readonly eventName?: string
  readonly ref?: string
  readonly tagsAtSha?: readonly string[]
  readonly tagLookupProblem?: { readonly reason: string; readonly hint: string }
}

/** Nothing gives a version: say which sources were looked at, and why the commit's tags did not help. */
export function noVersion(sources: Looked): ActionError {
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

export function badDestVersionInput(destVersion: string, problem: string): ActionError {
  return invalidInput(INPUT.destVersion, destVersion, `DestVersion must match ${String(VERSION_PATTERN)}, and it ${problem}`)
}

export function buildMetadataRefused(tag: string, build: string, withoutBuild: string): ActionError {
  return new ActionError(`Tag '${tag}' has build metadata '+${build}', and build-metadata is 'fail'.`, {
    input: INPUT.buildMetadata,
    hint: `DestVersion cannot contain '+'. Tag without '+…', or set 'build-metadata: strip' (gives '${withoutBuild}') or 'keep' (gives '${withoutBuild}${BUILD_SEPARATOR}${build}').`
  })
}

export function buildMetadataDropped(tag: string, build: string, withoutBuild: string): string {
  return `Tag '${tag}': dropped build metadata '+${build}' (DestVersion cannot contain '+'); DestVersion is '${withoutBuild}'.`
}

export function tagTooLong(tag: string): ActionError {
  return new ActionError(`Tag '${tag.slice(0, 80)}…' is ${charCount(tag)} characters long; tags over ${MAX_TAG_CHARS} are not read.`, {
    input: INPUT.tagPattern,
    hint: `Set '${INPUT.destVersion}' instead.`
  })
}

export function emptyVersionGroup(tag: string, tagPattern: string): ActionError {
  return new ActionError(`Tag '${tag}' matches ${INPUT.tagPattern} ${describePattern(tagPattern)} but its (?<version>…) group is empty.`, {
    input: INPUT.tagPattern
  })
}

export function badDestVersionFromTag(tag: string, destVersion: string, problem: string): ActionError {
  return new ActionError(`Tag '${tag}' gives DestVersion '${destVersion}', which must match ${String(VERSION_PATTERN)}: it ${problem}.`, {
    input: INPUT.tagPattern,
    hint: `Use a shorter tag, narrow the (?<version>…) group of '${INPUT.tagPattern}', or set '${INPUT.destVersion}'.`
  })
}

export function badTagModule(tag: string, tagModule: string, tagPattern: string): ActionError {
  return new ActionError(`Tag '${tag}' gives module '${tagModule}', which is not an OTA module name (1 to 64 of letters, digits, '.', '-', '_').`, {
    input: INPUT.tagPattern,
    hint: `Narrow the (?<module>…) group of ${INPUT.tagPattern} ${describePattern(tagPattern)}.`
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

/**
 * A version group `version-format` does not accept. `loose`: the parts the loose format read, when
 * it did (a strict refusal of a loose version says what SemVer misses).
 */
export function versionFormatRefused(
  tag: string,
  version: string,
  format: VersionFormat,
  tagPattern: string,
  loose?: { core?: string; prerelease?: string }
): ActionError {
  if (format === 'strict' && loose !== undefined) {
    return new ActionError(`Tag '${tag}' gives version '${version}', which is not SemVer 2.0: ${strictProblem(loose.core ?? '', loose.prerelease)}.`, {
      input: INPUT.versionFormat,
      hint: "Set 'version-format: loose' to accept 1 to 4 numeric parts, leading zeros and dates, or tag as MAJOR.MINOR.PATCH."
    })
  }
  const bad = badCharacters(version, /[0-9A-Za-z.+-]/)
  const vHint = /^[vV]\d/.test(version) ? " Leave the leading 'v' out of the (?<version>…) group." : ''
  const expected =
    format === 'strict'
      ? 'not SemVer 2.0 (MAJOR.MINOR.PATCH, optional -prerelease and +build)'
      : 'not a version (1 to 4 numeric parts or a YYYY-MM-DD date, optional -prerelease and +build)'
  return new ActionError(`Tag '${tag}' gives version '${version}', which is ${expected}` + (bad.length > 0 ? `; it contains ${bad.join(', ')}.` : '.'), {
    input: INPUT.tagPattern,
    hint: `Check the (?<version>…) group of ${INPUT.tagPattern} ${describePattern(tagPattern)}, or set '${INPUT.destVersion}'.${vHint}`
  })
}

export function noMatch(tag: string, tagPattern: string): ActionError {
  const bad = badCharacters(tag, /[0-9A-Za-z._+/@-]/)
  const hints = [
    tagPattern === DEFAULT_TAG_PATTERN
      ? 'The default accepts tags like v1.2.3, 1.2.3, v1.2.3-rc.1, wifi/v1.2.3, wifi@1.2.3, wifi-v1.2.3 (and v1.6, 1.2.3.4, 2024.11.20 with version-format: loose).'
      : 'Check the tag against tag-pattern.',
    `Push a matching tag, set '${INPUT.tagPattern}', or set '${INPUT.destVersion}'.`
  ]
  if (/^\/.*\/[a-z]*$/.test(tagPattern)) hints.unshift('Write tag-pattern without the surrounding slashes.')
  return new ActionError(
    `Tag '${tag}' does not match ${INPUT.tagPattern} ${describePattern(tagPattern)}` +
      (bad.length > 0 ? `; it contains characters a DestVersion cannot hold: ${bad.join(', ')}.` : '.'),
    { input: INPUT.tagPattern, hint: hints.join(' ') }
  )
}

export function noCommitTagVersion(list: string, refused: readonly string[]): ActionError {
  return new ActionError(`None of the tags at the commit (${list}) gives a DestVersion. ${refused.join(' ')}`, {
    input: INPUT.tagPattern,
    hint: `Tag the commit with a version, adjust '${INPUT.tagPattern}', or set '${INPUT.destVersion}'.`
  })
}

export function commitTagsOfSeveralModules(modules: readonly string[], tags: readonly string[]): ActionError {
  return new ActionError(`Tags at the commit name different modules (${modules.join(', ')}): ${tags.map((tag) => `'${tag}'`).join(', ')}.`, {
    input: INPUT.tagPattern,
    hint: `Restrict '${INPUT.tagPattern}' to one module (e.g. ^wifi/v(?<version>.+)$), push the tag itself, or set '${INPUT.destVersion}'.`
  })
}

export function severalCommitTags(list: string, chosen: string): string {
  return `Several tags point at the commit (${list}); using '${chosen}', the highest version.`
}
