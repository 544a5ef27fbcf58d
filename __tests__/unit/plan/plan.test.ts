import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import { readerOf } from '../../support/connection.js'
import { parseInputs } from '../../../src/config/inputs.js'
import { buildPlan, type RunContext } from '../../../src/plan/plan.js'

const BASE = { 'access-key-id': 'LTAIid', 'access-key-secret': 'top-secret-value', 'product-key': 'a1uctKe1234', files: 'build/*.bin' }
const TAG_PUSH: RunContext = { eventName: 'push', ref: 'refs/tags/v1.2.3', sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' }

/** The plan of a run: inputs parsed as the action parses them, then the run's context. */
const plan = (overrides: Record<string, string>, context: Partial<RunContext> = {}) =>
  buildPlan(parseInputs(readerOf({ ...BASE, ...overrides }), {}), { ...TAG_PUSH, ...context })

describe('buildPlan', () => {
  // The same settings as the refusals below, where they agree with the run: each refusal is about its case only.
  it.each<[string, Record<string, string>, Partial<RunContext>, Record<string, unknown>]>([
    ['the module of the tag equals module-name', { 'module-name': 'wifi' }, { ref: 'refs/tags/wifi/v1.2.3' }, { moduleName: 'wifi', moduleSource: 'input' }],
    [
      'another module, with module-mismatch: skip',
      { 'module-name': 'ble', 'module-mismatch': 'skip' },
      { ref: 'refs/tags/wifi/v1.2.3' },
      { moduleName: 'ble' }
    ],
    ['a release, with prerelease: fail', { prerelease: 'fail' }, {}, { destVersion: '1.2.3', skipReason: undefined }],
    ['a diff from another version', { 'firmware-type': 'diff', 'src-version': '1.2.2' }, {}, { type: 1, srcVersion: '1.2.2' }],
    ['a branch with dest-version', { 'dest-version': '1.2.3' }, { ref: 'refs/heads/main' }, { destVersion: '1.2.3' }]
  ])('plans %s', (_what, overrides, context, expected) => {
    expect(plan(overrides, context)).toMatchObject(expected)
  })

  it.each<[string, Record<string, string>, Partial<RunContext>, string, string[], string | undefined]>([
    [
      'the ble leg of a wifi tag',
      { 'module-name': 'ble' },
      { ref: 'refs/tags/wifi/v1.2.3' },
      'module-name',
      ["The tag wifi/v1.2.3 is for module 'wifi', but 'module-name' is 'ble'."],
      "'module-mismatch: skip'"
    ],
    [
      'a prerelease with prerelease: fail',
      { prerelease: 'fail' },
      { ref: 'refs/tags/v1.2.3-rc.1' },
      'prerelease',
      ["DestVersion 1.2.3-rc.1 is a prerelease, and 'prerelease' is fail."],
      'Push a release tag'
    ],
    [
      'a diff from the same version',
      { 'firmware-type': 'diff', 'src-version': '1.2.3' },
      {},
      'src-version',
      ['Input \'src-version\' is "1.2.3", the same as DestVersion'],
      undefined
    ],
    // Decided by resolveVersion (version.test.ts); here: the run's event and ref reach its message.
    [
      'a branch push without dest-version',
      {},
      { eventName: 'workflow_dispatch', ref: 'refs/heads/main' },
      'dest-version',
      ["No DestVersion for event 'workflow_dispatch' on ref 'refs/heads/main'"],
      "'dest-version'"
    ]
  ])('refuses %s, naming the input', (_what, overrides, context, input, fragments, hint) => {
    const error = actionErrorOf(() => plan(overrides, context))
    expect(error.input).toBe(input)
    for (const fragment of fragments) expect(error.message).toContain(fragment)
    if (hint === undefined) expect(error.hint).toBeUndefined()
    else expect(error.hint).toContain(hint)
  })
})
