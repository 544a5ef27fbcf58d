/**
 * How tags become DestVersions: the one list that both the tests (`__tests__/version.test.ts`)
 * and the README table (`scripts/tag-table.ts`) are made from, so the docs cannot drift.
 */
import type { VersionOptions } from '../../src/plan/version.js'

export interface TagCase {
  tag: string
  /** Inputs that differ from the defaults, and a short remark for the README. */
  settings: VersionOptions & { note?: string }
  /**
   * On success: `destVersion`, `module` (absent = the tag names no module) and `isPrerelease`
   * (absent = false). On failure: `error`, a piece of the error's message or hint.
   */
  expected: { destVersion?: string; module?: string; isPrerelease?: boolean; error?: string }
}

export const TAG_CASES: readonly TagCase[] = [
  // Plain SemVer tags.
  { tag: 'v1.2.3', settings: {}, expected: { destVersion: '1.2.3' } },
  { tag: '1.2.3', settings: {}, expected: { destVersion: '1.2.3' } },
  { tag: 'V1.2.3', settings: {}, expected: { destVersion: '1.2.3' } },
  { tag: 'v1.2.3-rc.1', settings: {}, expected: { destVersion: '1.2.3-rc.1', isPrerelease: true } },
  // Build metadata: DestVersion cannot hold '+'.
  { tag: 'v1.2.3+build.7', settings: {}, expected: { destVersion: '1.2.3' } },
  { tag: 'v1.2.3+build.7', settings: { buildMetadata: 'keep' }, expected: { destVersion: '1.2.3_build.7' } },
  { tag: 'v1.2.3+build.7', settings: { buildMetadata: 'fail' }, expected: { error: "has build metadata '+build.7'" } },
  { tag: 'v2.0.0-beta.2+exp.sha.5114f85', settings: {}, expected: { destVersion: '2.0.0-beta.2', isPrerelease: true } },
  // Module prefixes (monorepos, matrix legs).
  { tag: 'wifi/v1.2.3', settings: {}, expected: { destVersion: '1.2.3', module: 'wifi' } },
  { tag: 'wifi@1.2.3', settings: {}, expected: { destVersion: '1.2.3', module: 'wifi' } },
  { tag: 'wifi-v1.2.3', settings: {}, expected: { destVersion: '1.2.3', module: 'wifi' } },
  { tag: 'release/wifi/v1.2.3', settings: {}, expected: { destVersion: '1.2.3', module: 'wifi' } },
  { tag: '@acme/wifi@2.0.0', settings: {}, expected: { destVersion: '2.0.0', module: 'wifi' } },
  {
    tag: 'esp32-c3-1.0.0-rc.1',
    settings: {},
    expected: { destVersion: '1.0.0-rc.1', module: 'esp32-c3', isPrerelease: true }
  },
  // strict (SemVer 2.0) versus loose.
  { tag: 'v1.6', settings: {}, expected: { error: "Set 'version-format: loose'" } },
  { tag: 'v1.6', settings: { versionFormat: 'loose' }, expected: { destVersion: '1.6' } },
  { tag: '1.2.3.4', settings: {}, expected: { error: 'it has 4 numeric parts' } },
  { tag: '1.2.3.4', settings: { versionFormat: 'loose' }, expected: { destVersion: '1.2.3.4' } },
  { tag: '2024.11.20', settings: { versionFormat: 'loose' }, expected: { destVersion: '2024.11.20' } },
  { tag: '2024.01.05', settings: {}, expected: { error: "numeric part '01' has a leading zero" } },
  {
    tag: '2024-11-20',
    settings: { versionFormat: 'loose', note: 'a date, not a prerelease' },
    expected: { destVersion: '2024-11-20' }
  },
  { tag: 'v2-beta', settings: { versionFormat: 'loose' }, expected: { destVersion: '2-beta', isPrerelease: true } },
  // Tags that give no DestVersion.
  { tag: 'latest', settings: {}, expected: { error: 'does not match tag-pattern' } },
  {
    tag: 'v1.2.3 beta',
    settings: {},
    expected: { error: "characters a DestVersion cannot hold: ' ' (space)" }
  },
  {
    tag: 'v1.2.3-nightly.20241120.1730000000.0123456789abcdef0123456789abcdef01234567',
    settings: {},
    expected: { error: 'is 74 characters long (at most 64)' }
  },
  // Custom patterns.
  {
    tag: 'fw-wifi_1.2.3',
    settings: { tagPattern: '^fw-(?<module>[a-z]+)_(?<version>.+)$' },
    expected: { destVersion: '1.2.3', module: 'wifi' }
  },
  { tag: 'v1.2.3', settings: { tagPattern: '^v(.+)$' }, expected: { error: 'needs a named group (?<version>…)' } },
  { tag: 'v1.2.3', settings: { tagPattern: '^v(?<version>.+' }, expected: { error: 'not a valid regular expression' } }
]
