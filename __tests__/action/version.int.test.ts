import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { dirname } from 'node:path'
import { actionInputs, createModules, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction } from '../support/local-runner.js'

// The product's OTA modules besides default: CreateOTAFirmware refuses any other.
const emulator = useEmulator()
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), overrides)

/** Runs git in `ws` with a committer set, returning its output. */
function gitIn(ws: string): (...args: string[]) => string {
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' }
  return (...args) => execFileSync('git', args, { cwd: ws, env }).toString().trim()
}

function expectNothingPublished(): void {
  expect(
    emulator()
      .state.requests()
      .map((r) => r.action)
  ).toEqual([])
  expect(emulator().state.firmwares()).toHaveLength(0)
}

describe('module guard', () => {
  // The failing leg (module-mismatch: fail) is refused by buildPlan: unit-tested in plan.test.ts.
  it('skips it with module-mismatch: skip, exit 0 and result=skipped', async () => {
    const run = await runAction({
      inputs: inputs({ 'module-name': 'ble', 'module-mismatch': 'skip' }),
      workspace: await makeWorkspace({ 'README.txt': 1 }), // no firmware: a skipped leg never looks for it
      ref: 'refs/tags/wifi/v1.2.3'
    })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'skipped', 'tag-module': 'wifi', 'dest-version': '1.2.3', 'firmware-id': '' })
    expect(run.summary).toContain('skipped')
    expectNothingPublished()
  })

  it('publishes the matching leg', async () => {
    await createModules(emulator(), ['wifi'])
    const run = await runAction({
      inputs: inputs({ 'module-name': 'wifi', 'module-mismatch': 'skip' }),
      workspace: await makeWorkspace(),
      ref: 'refs/tags/wifi/v1.2.3'
    })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('created')
  })
})

describe('prereleases', () => {
  // prerelease: fail is refused by buildPlan: unit-tested in plan.test.ts.
  it('skip: exit 0, result=skipped, is-prerelease=true, nothing published', async () => {
    const run = await runAction({ inputs: inputs({ prerelease: 'skip' }), workspace: await makeWorkspace(), ref: 'refs/tags/v1.2.3-rc.1' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'skipped', 'is-prerelease': 'true', 'version-prerelease': 'rc.1' })
    expectNothingPublished()
  })

  it('verify: publishes with NeedToVerify forced to true, and says so', async () => {
    const run = await runAction({
      inputs: inputs({ prerelease: 'verify', 'need-to-verify': 'false' }),
      workspace: await makeWorkspace(),
      ref: 'refs/tags/v1.2.3-rc.1'
    })
    expect(run.code).toBe(0)
    expect(emulator().state.firmwares()[0]).toMatchObject({ DestVersion: '1.2.3-rc.1', NeedToVerify: true })
    expect(run.stdout).toMatch(/::warning .*NeedToVerify forced to true/)
  })

  it('allow (default): publishes the prerelease as is', async () => {
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace(), ref: 'refs/tags/v1.2.3-rc.1' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'created', 'dest-version': '1.2.3-rc.1', 'is-prerelease': 'true' })
  })
})

describe('build metadata', () => {
  it('is dropped with a warning by default', async () => {
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace(), ref: 'refs/tags/v1.2.3+build.7' })
    expect(run.code).toBe(0)
    expect(run.outputs['dest-version']).toBe('1.2.3')
    expect(run.stdout).toMatch(/::warning .*build metadata/)
  })
})

describe('events without a tag', () => {
  it('workflow_dispatch with tag-from-sha uses the tag at the commit', async () => {
    const ws = await makeWorkspace()
    const git = gitIn(ws)
    git('init', '-q')
    git('add', '.')
    git('commit', '-qm', 'firmware')
    git('tag', 'v2.1.0')
    const sha = git('rev-parse', 'HEAD')
    const run = await runAction({
      inputs: inputs({ 'tag-from-sha': 'true' }),
      workspace: ws,
      eventName: 'workflow_dispatch',
      ref: 'refs/heads/main',
      env: { GITHUB_SHA: sha }
    })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ 'dest-version': '2.1.0', tag: 'v2.1.0' })
  })

  it("tag-from-sha in a folder that is not a repository says so, with git's reason and the fix", async () => {
    const ws = await makeWorkspace()
    const run = await runAction({
      inputs: inputs({ 'tag-from-sha': 'true' }),
      workspace: ws,
      eventName: 'workflow_dispatch',
      ref: 'refs/heads/main',
      // git must not find a repository above the scratch folder either.
      env: { GIT_CEILING_DIRECTORIES: dirname(ws) }
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::error title=OTA publish failed (input tag-from-sha)::')
    // The runner's event and ref reach the message (the refusal itself is unit-tested with resolveVersion).
    expect(run.stdout).toContain("No DestVersion for event 'workflow_dispatch' on ref 'refs/heads/main'")
    expect(run.stdout).toContain('the tags at the commit could not be read (git tag --points-at failed: fatal: not a git repository')
    expect(run.stdout).toContain('The workspace is not a git clone: run actions/checkout with `fetch-tags: true`')
    expect(run.stdout).not.toContain('no tag points at the commit')
    expectNothingPublished()
  })

  it('tag-from-sha in a clone owned by another user (container jobs) suggests safe.directory', async () => {
    const ws = await makeWorkspace()
    gitIn(ws)('init', '-q')
    // git's own switch for pretending the clone belongs to someone else.
    const env = { GIT_TEST_ASSUME_DIFFERENT_OWNER: '1', GIT_CEILING_DIRECTORIES: dirname(ws) }
    const run = await runAction({ inputs: inputs({ 'tag-from-sha': 'true' }), workspace: ws, eventName: 'workflow_dispatch', ref: 'refs/heads/main', env })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('git tag --points-at failed: fatal: detected dubious ownership in repository')
    expect(run.stdout).toContain('run `git config --global --add safe.directory "$GITHUB_WORKSPACE"` in a step before this one')
    expectNothingPublished()
  })

  it('tag-from-sha in a clone without any tag says that checkout fetched none', async () => {
    const ws = await makeWorkspace()
    const git = gitIn(ws)
    git('init', '-q')
    git('add', '.')
    git('commit', '-qm', 'firmware')
    const run = await runAction({
      inputs: inputs({ 'tag-from-sha': 'true' }),
      workspace: ws,
      eventName: 'workflow_dispatch',
      ref: 'refs/heads/main',
      env: { GITHUB_SHA: git('rev-parse', 'HEAD') }
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('(the clone has no tags at all)')
    expect(run.stdout).toContain('actions/checkout fetches no tags by default')
    expectNothingPublished()
  })
})
