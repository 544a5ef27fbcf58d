import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import fc from 'fast-check'
import { TAG_CASES } from '../../support/tag-cases.js'
import { VERSION_PATTERN } from '../../../src/platform/rules.js'
import { ActionError } from '../../../src/contract/action-error.js'
import { compileTagPattern, parseTag, resolveVersion, type ResolvedVersion, type VersionOptions, type VersionSources } from '../../../src/plan/version.js'
import { DEFAULT_TAG_PATTERN, type BuildMetadataPolicy, type VersionFormat } from '../../../src/plan/version-grammar.js'

/** Message and hint, as the user sees them. */
function shown(error: ActionError): string {
  return `${error.message} ${error.hint ?? ''}`
}

describe('tag cases (the README table)', () => {
  it.each(TAG_CASES.map((c) => [c.tag, c.settings, c] as const))('%s %j', (tag, settings, c) => {
    if (c.expected.error !== undefined) {
      expect(shown(actionErrorOf(() => parseTag(tag, settings)))).toContain(c.expected.error)
      return
    }
    const result = parseTag(tag, settings)
    expect(result.destVersion).toBe(c.expected.destVersion)
    expect(result.tagModule).toBe(c.expected.module)
    expect(result.isPrerelease).toBe(c.expected.isPrerelease ?? false)
    expect(result.source).toBe('ref')
    expect(result.tag).toBe(tag)
    expect(result.destVersion).toMatch(VERSION_PATTERN)
  })

  it('covers every tag the default pattern promises', () => {
    const tags = new Set(TAG_CASES.map((c) => c.tag))
    for (const tag of ['v1.2.3', '1.2.3', 'v1.2.3-rc.1', 'v1.2.3+build.7', 'wifi/v1.2.3', 'wifi@1.2.3', 'wifi-v1.2.3']) {
      expect(tags).toContain(tag)
    }
    for (const tag of ['release/wifi/v1.2.3', 'V1.2.3', 'v1.6', '1.2.3.4', '2024.11.20']) expect(tags).toContain(tag)
  })
})

describe('parseTag details', () => {
  it('reads the parts of the version', () => {
    expect(parseTag('wifi/v1.2.3-rc.1+build.7')).toEqual({
      destVersion: '1.2.3-rc.1',
      source: 'ref',
      tag: 'wifi/v1.2.3-rc.1+build.7',
      tagModule: 'wifi',
      major: '1',
      minor: '2',
      patch: '3',
      prerelease: 'rc.1',
      build: 'build.7',
      isPrerelease: true,
      notes: ["Tag 'wifi/v1.2.3-rc.1+build.7': dropped build metadata '+build.7' (DestVersion cannot contain '+'); DestVersion is '1.2.3-rc.1'."]
    })
  })

  it('names the input to change', () => {
    expect(actionErrorOf(() => parseTag('v1.6')).input).toBe('version-format')
    expect(actionErrorOf(() => parseTag('latest')).input).toBe('tag-pattern')
    expect(actionErrorOf(() => parseTag('v1+b', { versionFormat: 'loose', buildMetadata: 'fail' })).input).toBe('build-metadata')
  })

  it('shows the tag and the pattern when a tag does not match', () => {
    const error = actionErrorOf(() => parseTag('nightly', { tagPattern: '^v(?<version>.+)$' }))
    expect(error.message).toContain("'nightly'")
    expect(error.message).toContain('/^v(?<version>.+)$/')
    expect(error.message).toContain('tag-pattern')
  })

  it('explains the DestVersion rule that failed', () => {
    const long = actionErrorOf(() => parseTag(`v1.0.0-${'a'.repeat(60)}`))
    expect(long.message).toContain(String(VERSION_PATTERN))
    expect(long.message).toContain('66 characters long')
    // A catch-all pattern lets characters through that only the DestVersion rule refuses.
    const bad = actionErrorOf(() => parseTag('1.0.0 #2 ü', { tagPattern: '^(?<version>.+)$' }))
    expect(bad.message).toContain("' ' (space), '#', 'ü'")
  })

  it('honours the optional groups of a custom pattern', () => {
    const result = parseTag('fw-7-beta', {
      tagPattern: '^fw-(?<version>(?<major>\\d+)-(?<prerelease>[a-z]+))$',
      versionFormat: 'loose'
    })
    expect(result).toMatchObject({ destVersion: '7-beta', major: '7', prerelease: 'beta', isPrerelease: true })
  })

  it('refuses a module name the platform would refuse', () => {
    const error = actionErrorOf(() => parseTag('my wifi/1.2.3', { tagPattern: '^(?<module>.+)/(?<version>.+)$' }))
    expect(error.message).toContain("module 'my wifi'")
  })

  it('validates the pattern and the settings', () => {
    expect(compileTagPattern(DEFAULT_TAG_PATTERN)).toBeInstanceOf(RegExp)
    const broken = actionErrorOf(() => compileTagPattern('(?<version>[a-'))
    expect(broken.input).toBe('tag-pattern')
    expect(broken.message).toContain('(?<version>[a-')
    expect(broken.message).toMatch(/Invalid regular expression/)
    expect(actionErrorOf(() => compileTagPattern('^v(?<ver>.+)$')).message).toContain('(?<version>…)')
    // A literal "(?<version>" that is not a group does not count.
    expect(actionErrorOf(() => compileTagPattern('\\(\\?<version>')).input).toBe('tag-pattern')
    expect(actionErrorOf(() => parseTag('v1.2.3', { versionFormat: 'semver' as VersionFormat })).input).toBe('version-format')
    expect(actionErrorOf(() => parseTag('v1.2.3', { buildMetadata: 'drop' as BuildMetadataPolicy })).input).toBe('build-metadata')
    // An empty pattern is the default (an unset input reads as '').
    expect(parseTag('wifi@1.2.3', { tagPattern: '' }).tagModule).toBe('wifi')
  })

  it('does not take long on a hostile tag', () => {
    const tag = `${'a/'.repeat(200)}${'wifi-'.repeat(40)}v1.2.3-${'x'.repeat(300)}!`
    const started = performance.now()
    expect(() => parseTag(tag)).toThrow(ActionError)
    expect(() => parseTag('a'.repeat(5000))).toThrow(/tags over 1024/)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('resolveVersion sources', () => {
  const options: VersionOptions = {}
  const all: VersionSources = {
    destVersion: '9.9.9',
    ref: 'refs/tags/v1.0.0',
    eventName: 'release',
    releaseTagName: 'v2.0.0',
    tagsAtSha: ['v3.0.0']
  }

  it('takes dest-version first, then the pushed tag, the release tag, the tags at the commit', () => {
    expect(resolveVersion(all, options)).toMatchObject({ destVersion: '9.9.9', source: 'input' })
    expect(resolveVersion({ ...all, destVersion: '' }, options)).toMatchObject({ destVersion: '1.0.0', source: 'ref', tag: 'v1.0.0' })
    expect(resolveVersion({ ...all, destVersion: undefined, ref: 'refs/heads/main' }, options)).toMatchObject({
      destVersion: '2.0.0',
      source: 'release',
      tag: 'v2.0.0'
    })
    expect(resolveVersion({ ...all, destVersion: undefined, ref: 'refs/heads/main', releaseTagName: undefined }, options)).toMatchObject({
      destVersion: '3.0.0',
      source: 'commit-tag',
      tag: 'v3.0.0'
    })
  })

  it('fails naming the event and the ref when nothing gives a version', () => {
    const error = actionErrorOf(() => resolveVersion({ eventName: 'workflow_dispatch', ref: 'refs/heads/main' }, options))
    expect(error.message).toContain("'workflow_dispatch'")
    expect(error.message).toContain("'refs/heads/main'")
    expect(error.input).toBe('dest-version')
    expect(error.hint).toContain('Push a tag')
    expect(error.hint).toContain("'dest-version'")
    expect(error.hint).toContain("'tag-from-sha: true'")

    const optedIn = actionErrorOf(() => resolveVersion({ eventName: 'workflow_dispatch', ref: 'refs/heads/main', tagsAtSha: [] }, options))
    expect(optedIn.message).toContain('no tag points at the commit')
    expect(optedIn.hint).not.toContain('tag-from-sha')
  })

  it('says why the commit tags were no help when git could not tell, instead of "no tag"', () => {
    const tagLookupProblem = { reason: 'git tag --points-at failed: fatal: not a git repository', hint: 'Run actions/checkout first.' }
    const error = actionErrorOf(() => resolveVersion({ eventName: 'workflow_dispatch', ref: 'refs/heads/main', tagsAtSha: [], tagLookupProblem }, options))
    expect(error.message).toContain('the tags at the commit could not be read (git tag --points-at failed: fatal: not a git repository)')
    expect(error.message).not.toContain('no tag points at the commit')
    expect(error.input).toBe('tag-from-sha')
    expect(error.hint).toBe("Run actions/checkout first. Or set 'dest-version'.")
  })

  it.each<[string, VersionSources, string, string[], string]>([
    [
      'a push to a branch without dest-version',
      { eventName: 'push', ref: 'refs/heads/main' },
      'dest-version',
      ["No DestVersion for event 'push' on ref 'refs/heads/main'", "input 'dest-version' is not set"],
      "set 'dest-version'"
    ],
    [
      'a pushed tag that is not a version',
      { eventName: 'push', ref: 'refs/tags/nightly' },
      'tag-pattern',
      ["Tag 'nightly' does not match tag-pattern"],
      "set 'tag-pattern'"
    ]
  ])('refuses %s, naming the input', (_what, sources, input, fragments, hint) => {
    const error = actionErrorOf(() => resolveVersion(sources, options))
    expect(error.input).toBe(input)
    for (const fragment of fragments) expect(error.message).toContain(fragment)
    expect(error.hint).toContain(hint)
  })

  it('does not fall back when the pushed tag is not a version', () => {
    expect(() => resolveVersion({ ref: 'refs/tags/latest', releaseTagName: 'v1.0.0', tagsAtSha: ['v1.0.0'] }, options)).toThrow(/'latest' does not match/)
  })

  it('accepts any dest-version the platform accepts, reading parts when it looks like a version', () => {
    expect(resolveVersion({ destVersion: 'v1.2.3-rc.1' }, options)).toEqual({
      destVersion: 'v1.2.3-rc.1',
      source: 'input',
      major: '1',
      minor: '2',
      patch: '3',
      prerelease: 'rc.1',
      isPrerelease: true,
      notes: []
    })
    expect(resolveVersion({ destVersion: 'build_42' }, options)).toEqual({
      destVersion: 'build_42',
      source: 'input',
      isPrerelease: false,
      notes: []
    })
    const error = actionErrorOf(() => resolveVersion({ destVersion: '1.2.3+b' }, options))
    expect(error.input).toBe('dest-version')
    expect(error.message).toContain("contains '+'")
  })

  it('checks the settings even when dest-version is set', () => {
    expect(actionErrorOf(() => resolveVersion({ destVersion: '1.0.0' }, { tagPattern: '(' })).input).toBe('tag-pattern')
  })

  describe('tags at the commit', () => {
    const at = (tagsAtSha: string[], opts: VersionOptions = {}): ResolvedVersion =>
      resolveVersion({ eventName: 'workflow_dispatch', ref: 'refs/heads/main', tagsAtSha }, opts)

    it('ignores tags that are not versions', () => {
      expect(at(['latest', 'v1', 'v1.4.0'])).toMatchObject({ destVersion: '1.4.0', source: 'commit-tag', notes: [] })
    })

    it('picks the highest version, whatever the order, and says so', () => {
      const a = at(['v1.2.3-rc.1', 'v1.2.3', 'v1.2.3-rc.2'])
      const b = at(['v1.2.3-rc.2', 'v1.2.3', 'v1.2.3-rc.1'])
      expect(a.destVersion).toBe('1.2.3')
      expect(a.tag).toBe('v1.2.3')
      expect(a.notes.join(' ')).toContain("using 'v1.2.3'")
      expect({ ...b, notes: [] }).toEqual({ ...a, notes: [] })
      expect(at(['v1.10.0', 'v1.9.0']).destVersion).toBe('1.10.0')
      expect(at(['v1.0.0-rc.10', 'v1.0.0-rc.9']).destVersion).toBe('1.0.0-rc.10')
      expect(at(['v1.0.0-beta', 'v1.0.0-alpha.1']).destVersion).toBe('1.0.0-beta')
      expect(at(['1.2', '1.2.0.1'], { versionFormat: 'loose' }).destVersion).toBe('1.2.0.1')
      expect(at(['V1.0.0', 'v1.0.0']).tag).toBe('V1.0.0')
    })

    it('refuses tags of different modules', () => {
      const error = actionErrorOf(() => at(['wifi/v1.0.0', 'ble/v2.0.0']))
      expect(error.message).toContain('ble, wifi')
      expect(error.hint).toContain('tag-pattern')
    })

    it('explains when no tag at the commit is a version', () => {
      expect(actionErrorOf(() => at(['latest', 'stable'])).message).toContain("None of the tags at the commit ('latest', 'stable')")
    })
  })
})

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const num = fc.nat({ max: 99999 }).map(String)
const digits = fc.stringMatching(/^\d{1,5}$/)
const alnumId = fc.stringMatching(/^[0-9A-Za-z-]{1,8}$/)
/** SemVer prerelease identifier: a number without leading zeros or something with a non-digit. */
const strictPreId = fc.oneof(num, fc.stringMatching(/^[0-9A-Za-z-]{0,4}[A-Za-z-][0-9A-Za-z-]{0,4}$/))
const build = fc.array(alnumId, { minLength: 1, maxLength: 3 }).map((ids) => ids.join('.'))

interface VersionCase {
  version: string
  /** What DestVersion must be with build-metadata: strip. */
  stripped: string
  single: boolean
}

const strictVersion: fc.Arbitrary<VersionCase> = fc
  .record({
    core: fc.tuple(num, num, num).map((parts) => parts.join('.')),
    pre: fc.option(
      fc.array(strictPreId, { minLength: 1, maxLength: 3 }).map((ids) => ids.join('.')),
      { nil: undefined }
    ),
    build: fc.option(build, { nil: undefined })
  })
  .map(({ core, pre, build }) => {
    const stripped = pre === undefined ? core : `${core}-${pre}`
    return { version: build === undefined ? stripped : `${stripped}+${build}`, stripped, single: false }
  })

const looseVersion: fc.Arbitrary<VersionCase> = fc
  .record({
    core: fc.oneof(
      fc.array(digits, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.')),
      fc.tuple(fc.stringMatching(/^\d{4}$/), fc.stringMatching(/^\d{2}$/), fc.stringMatching(/^\d{2}$/)).map((p) => p.join('-'))
    ),
    pre: fc.option(
      fc.array(alnumId, { minLength: 1, maxLength: 3 }).map((ids) => ids.join('.')),
      { nil: undefined }
    ),
    build: fc.option(build, { nil: undefined })
  })
  .map(({ core, pre, build }) => {
    const stripped = pre === undefined ? core : `${core}-${pre}`
    return { version: build === undefined ? stripped : `${stripped}+${build}`, stripped, single: /^\d+$/.test(core) }
  })

/** Module names as people write them: segments that start with a letter (not a `v`+digit). */
const realisticModule = fc
  .array(fc.stringMatching(/^[a-uw-zA-UW-Z][a-z0-9]{0,7}$/), { minLength: 1, maxLength: 3 })
  .chain((segments) => fc.constantFrom('-', '_', '.').map((sep) => segments.join(sep)))
/** Any OTA module name. */
const anyModule = fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/)

type Form = 'none' | 'slash' | 'at' | 'dash-v' | 'dash' | 'path' | 'scope'
const forms: Form[] = ['none', 'slash', 'at', 'dash-v', 'dash', 'path', 'scope']

function makeTag(form: Form, module: string, version: string, v: string): string {
  switch (form) {
    case 'none':
      return `${v}${version}`
    case 'slash':
      return `${module}/${v}${version}`
    case 'at':
      return `${module}@${v}${version}`
    case 'dash-v':
      return `${module}-v${version}`
    case 'dash':
      return `${module}-${v}${version}`
    case 'path':
      return `release/${module}/${v}${version}`
    case 'scope':
      return `@acme/${module}@${v}${version}`
  }
}

const policy = fc.constantFrom<BuildMetadataPolicy>('strip', 'keep', 'fail')
const format = fc.constantFrom<VersionFormat>('strict', 'loose')

describe('properties', () => {
  it('(a) a tag that is accepted always gives a DestVersion the platform accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(strictVersion, looseVersion),
        anyModule,
        fc.constantFrom(...forms),
        fc.constantFrom('', 'v', 'V'),
        format,
        policy,
        (version, module, form, v, versionFormat, buildMetadata) => {
          const tag = makeTag(form, module, version.version, v)
          let result: ResolvedVersion
          try {
            result = parseTag(tag, { versionFormat, buildMetadata })
          } catch (error) {
            expect(error).toBeInstanceOf(ActionError)
            return
          }
          expect(result.destVersion).toMatch(VERSION_PATTERN)
          if (result.tagModule !== undefined) expect(result.tagModule).toMatch(/^[A-Za-z0-9._-]{1,64}$/)
        }
      ),
      { numRuns: 500 }
    )
  })

  it('(a) valid versions behind realistic module prefixes come back exactly', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          strictVersion.map((version) => ({ version, versionFormat: 'strict' as const })),
          looseVersion.map((version) => ({ version, versionFormat: 'loose' as const }))
        ),
        realisticModule,
        fc.constantFrom(...forms),
        fc.constantFrom('v', 'V', ''),
        ({ version, versionFormat }, module, form, v) => {
          // A bare single number is not a version in the default pattern: it needs the v.
          const prefix = version.single && v === '' ? 'v' : v
          const tag = makeTag(form, module, version.version, prefix)
          if (version.stripped.length > 64) {
            expect(actionErrorOf(() => parseTag(tag, { versionFormat })).message).toContain('characters long')
            return
          }
          const result = parseTag(tag, { versionFormat })
          expect(result.destVersion).toBe(version.stripped)
          expect(result.tagModule).toBe(form === 'none' ? undefined : module)
          if (versionFormat === 'strict') expect(result.isPrerelease).toBe(version.stripped.includes('-'))
        }
      ),
      { numRuns: 500 }
    )
  })

  it('(b) the result depends only on the tag and the inputs', () => {
    const tagArb = fc.oneof(
      fc
        .tuple(fc.oneof(strictVersion, looseVersion), realisticModule, fc.constantFrom(...forms))
        .map(([version, module, form]) => makeTag(form, module, version.version, 'v')),
      // Not empty: an empty release tag_name counts as no release tag.
      fc.string({ minLength: 1 })
    )
    const unrelated = fc.record({
      eventName: fc.option(fc.constantFrom('push', 'release', 'workflow_dispatch', 'schedule'), { nil: undefined }),
      releaseTagName: fc.option(fc.string(), { nil: undefined }),
      tagsAtSha: fc.option(fc.array(fc.string(), { maxLength: 3 }), { nil: undefined })
    })
    const outcome = (sources: VersionSources, options: VersionOptions): unknown => {
      try {
        return resolveVersion(sources, options)
      } catch (error) {
        expect(error).toBeInstanceOf(ActionError)
        return { error: (error as ActionError).message, input: (error as ActionError).input }
      }
    }
    fc.assert(
      fc.property(tagArb, format, policy, unrelated, unrelated, (tag, versionFormat, buildMetadata, one, other) => {
        const options = { versionFormat, buildMetadata }
        const first = outcome({ ref: `refs/tags/${tag}`, ...one }, options)
        expect(outcome({ ref: `refs/tags/${tag}`, ...one }, options)).toEqual(first)
        expect(outcome({ ref: `refs/tags/${tag}`, ...other }, options)).toEqual(first)
        expect(outcome({ ref: `refs/tags/${tag}` }, options)).toEqual(first)
        // The same tag as a release's gives the same, apart from the source.
        const released = outcome({ ref: 'refs/heads/main', eventName: 'release', releaseTagName: tag, tagsAtSha: other.tagsAtSha }, options)
        expect(released).toEqual(typeof first === 'object' && first !== null && 'source' in first ? { ...first, source: 'release' } : first)
      }),
      { numRuns: 300 }
    )
  })

  it('(c) arbitrary strings give an ActionError or a valid DestVersion, never an invalid one', () => {
    const patterns = [undefined, DEFAULT_TAG_PATTERN, '^(?<version>.*)$', '^(?<module>[^/]*)/(?<version>.+)$', 'v(?<version>.*)']
    const tagArb = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.stringMatching(/^[vV0-9.+\-a-z/@_ ]{0,80}$/), fc.string({ maxLength: 120 }))
    fc.assert(
      fc.property(tagArb, fc.constantFrom(...patterns), format, policy, (tag, tagPattern, versionFormat, buildMetadata) => {
        for (const sources of [{ ref: `refs/tags/${tag}` }, { destVersion: tag }, { tagsAtSha: [tag, `v${tag}`] }]) {
          let result: ResolvedVersion
          try {
            result = resolveVersion(sources, { tagPattern, versionFormat, buildMetadata })
          } catch (error) {
            expect(error).toBeInstanceOf(ActionError)
            continue
          }
          expect(result.destVersion).toMatch(VERSION_PATTERN)
          if (result.tagModule !== undefined) expect(result.tagModule).toMatch(/^[A-Za-z0-9._-]{1,64}$/)
          expect(result.isPrerelease).toBe(result.prerelease !== undefined)
        }
      }),
      { numRuns: 1000 }
    )
  })
})
