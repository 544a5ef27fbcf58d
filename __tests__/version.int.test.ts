import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { actionInputs, useEmulator } from '../__fixtures__/emulator-harness.js'
import { makeWorkspace, runAction } from '../scripts/local-runner.js'

// The product's OTA modules besides default: CreateOTAFirmware refuses any other.
const emulator = useEmulator({ modules: { a1uctKe1234: ['wifi', 'ble'] } })
const inputs = (overrides: Record<string, string> = {}): Record<string, string> => actionInputs(emulator(), overrides)

function expectNothingPublished(): void {
  expect(emulator().state.requests().map((r) => r.action)).toEqual([])
  expect(emulator().state.firmwares()).toHaveLength(0)
}

describe('module guard', () => {
  it('fails the ble leg of a wifi tag, naming both modules', async () => {
    const run = await runAction({ inputs: inputs({ 'module-name': 'ble' }), workspace: await makeWorkspace(), ref: 'refs/tags/wifi/v1.2.3' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("module 'wifi'")
    expect(run.stdout).toContain("'module-name' is 'ble'")
    expect(run.stdout).toContain('::error title=OTA publish failed (input module-name)::')
    expectNothingPublished()
  })

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
    const run = await runAction({ inputs: inputs({ 'module-name': 'wifi', 'module-mismatch': 'skip' }), workspace: await makeWorkspace(), ref: 'refs/tags/wifi/v1.2.3' })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('created')
  })
})

describe('prereleases', () => {
  it('skip: exit 0, result=skipped, is-prerelease=true, nothing published', async () => {
    const run = await runAction({ inputs: inputs({ prerelease: 'skip' }), workspace: await makeWorkspace(), ref: 'refs/tags/v1.2.3-rc.1' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'skipped', 'is-prerelease': 'true', 'version-prerelease': 'rc.1' })
    expectNothingPublished()
  })

  it('fail: the step fails naming the input', async () => {
    const run = await runAction({ inputs: inputs({ prerelease: 'fail' }), workspace: await makeWorkspace(), ref: 'refs/tags/v1.2.3-rc.1' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain("'prerelease'")
    expectNothingPublished()
  })

  it('verify: publishes with NeedToVerify forced to true, and says so', async () => {
    const run = await runAction({ inputs: inputs({ prerelease: 'verify', 'need-to-verify': 'false' }), workspace: await makeWorkspace(), ref: 'refs/tags/v1.2.3-rc.1' })
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
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: ws, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).toString().trim()
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

  it('workflow_dispatch without a tag fails, naming the event and the ref', async () => {
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace(), eventName: 'workflow_dispatch', ref: 'refs/heads/main' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('workflow_dispatch')
    expect(run.stdout).toContain('refs/heads/main')
    expectNothingPublished()
  })
})
