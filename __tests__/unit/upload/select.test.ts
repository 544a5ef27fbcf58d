import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import { readerOf } from '../../support/connection.js'
import { parseInputs } from '../../../src/config/inputs.js'
import type { Artifact } from '../../../src/files/artifact.js'
import { buildPlan, type RunContext } from '../../../src/plan/plan.js'
import { createUploader } from '../../../src/upload/select.js'

const BASE = {
  'access-key-id': 'LTAIid',
  'access-key-secret': 'top-secret-value',
  'product-key': 'a1uctKe1234',
  files: 'build/*.bin',
  'upload-mode': 'oss',
  'oss-bucket': 'acme-fw'
}
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const TAG_PUSH: RunContext = { eventName: 'push', ref: 'refs/tags/v1.2.3', sha: SHA }
const ARTIFACT: Artifact = { path: '/ws/build/app.bin', displayPath: 'build/app.bin', size: 100, suffix: 'bin' }

/** The uploader of a run: inputs and plan as the action makes them; nothing here reads a file or sends a request. */
function uploaderOf(overrides: Record<string, string>, context: Partial<RunContext> = {}) {
  const inputs = parseInputs(readerOf({ ...BASE, ...overrides }), {})
  const run = { ...TAG_PUSH, ...context }
  const quiet = () => undefined
  return createUploader(inputs, buildPlan(inputs, run), ARTIFACT, {
    sha: run.sha,
    now: () => 0,
    log: { info: quiet, warning: quiet, debug: quiet },
    digestFile: () => Promise.reject(new Error('no file is read')),
    retry: (_what, fn) => fn(1)
  })
}

describe('createUploader, upload-mode oss: the object key from the plan', () => {
  it.each([
    ['the default key', {}, {}, 'ota/default/1.2.3/app.bin'],
    ['{tag} of a pushed tag', { 'oss-key': 'fw/{tag}/{file}' }, {}, 'fw/v1.2.3/app.bin'],
    ['{sha} of the run', { 'oss-key': 'fw/{sha}/{file}' }, {}, 'fw/a1b2c3d/app.bin']
  ])('renders %s', (_what, overrides, context, key) => {
    expect(uploaderOf(overrides, context)?.firmwareUrl).toBe(`https://acme-fw.oss-cn-shanghai.aliyuncs.com/${key}`)
  })

  // A placeholder without a value is known once the plan is: refused here, before any request.
  it.each([
    [
      '{tag} with dest-version',
      { 'oss-key': 'fw/{tag}/{file}', 'dest-version': '1.0.0' },
      {},
      "Input 'oss-key' uses {tag}, but the version did not come from a tag."
    ],
    ['{sha} without a commit', { 'oss-key': 'fw/{sha}/{file}' }, { sha: '' }, "Input 'oss-key' uses {sha}, but the run has no commit SHA."]
  ])('refuses %s', (_what, overrides, context, message) => {
    const error = actionErrorOf(() => uploaderOf(overrides, context))
    expect(error.input).toBe('oss-key')
    expect(error.message).toBe(message)
    expect(error.hint).toContain('Use {version} instead')
  })
})
