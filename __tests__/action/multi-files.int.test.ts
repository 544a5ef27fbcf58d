import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT } from '../../emulator/index.js'
import { actionInputs, expectNoSecretsShown, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, ROLLOUT_ENTRY, runAction, VERIFY_ENTRY, type RunResult } from '../support/local-runner.js'

// A package of several files (`multi-files`) through the bundled action. The input rules are
// unit-tested where they are decided (config/multi-files, files/package-files); these runs show the wiring.
const emulator = useEmulator()
const BUCKET = 'acme-firmware'
/** An ESP32 build: bootloader, partition table and application, each in its own folder. */
const ESP32 = { 'build/bootloader/bootloader.bin': 26_000, 'build/partition_table/partition-table.bin': 3072, 'build/app.bin': 180_000 }
const NAMES = ['app.bin', 'bootloader.bin', 'partition-table.bin']
const inputs = (overrides: Record<string, string> = {}) => actionInputs(emulator(), { files: 'build/**/*.bin', 'multi-files': 'true', ...overrides })

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex')
const actions = (from = 0) =>
  emulator()
    .state.requests()
    .slice(from)
    .map((r) => r.action)

/** Each file of the workspace by its name: size and MD5. */
async function local(ws: string): Promise<Record<string, { size: number; md5: string }>> {
  const entries = await Promise.all(Object.keys(ESP32).map(async (rel) => [rel.split('/').pop()!, await readFile(join(ws, rel))] as const))
  return Object.fromEntries(entries.map(([name, bytes]) => [name, { size: bytes.length, md5: md5(bytes) }]))
}

function expectSuccess(run: RunResult): void {
  expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
  expect(run.code).toBe(0)
}

/** The one package holds the three files, as QueryOTAFirmware will describe them, and no single-file fields. */
async function expectPackageOf(ws: string, urlPattern: RegExp): Promise<void> {
  const [fw] = emulator().state.firmwares()
  expect(emulator().state.firmwares()).toHaveLength(1)
  expect(fw).not.toHaveProperty('FirmwareUrl', expect.anything())
  expect(fw?.FirmwareSize).toBeUndefined()
  const files = await local(ws)
  expect([...(fw?.MultiFiles ?? [])].sort((a, b) => a.Name.localeCompare(b.Name))).toEqual(
    NAMES.map((Name) => ({ Name, Url: expect.stringMatching(urlPattern), Size: files[Name]!.size, SignValue: files[Name]!.md5, FileMd5: files[Name]!.md5 }))
  )
}

describe('a package of several files', () => {
  it('platform upload: one GenerateOTAUploadURL and PostObject per file, one CreateOTAFirmware; outputs, summary, manifest; nothing secret shown', async () => {
    const ws = await makeWorkspace(ESP32)
    const run = await runAction({ inputs: inputs(), workspace: ws, env: { RUNNER_DEBUG: '1' } })
    expectSuccess(run)
    await expectPackageOf(ws, /\/iotx-ota\/ota\//)
    expect(actions().sort()).toEqual(
      ['ListOTAFirmware', 'ListOTAFirmware', 'CreateOTAFirmware', ...Array(3).fill('GenerateOTAUploadURL'), ...Array(3).fill('PostObject')].sort()
    )
    expect(actions().at(-1)).toBe('CreateOTAFirmware')

    const files = await local(ws)
    const listed = JSON.parse(run.outputs.files ?? '[]') as { name: string; size: number; sign: string; url: string }[]
    expect(listed.map((f) => [f.name, f.size, f.sign])).toEqual(NAMES.map((n) => [n, files[n]!.size, files[n]!.md5]))
    for (const f of listed) expect(f.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/iotx-ota\/ota\/[^?]+$/)
    expect(run.outputs).toMatchObject({ result: 'created', 'firmware-url': '', 'firmware-size': '', 'firmware-sign': '' })
    expect(JSON.parse(run.outputs.json ?? '{}').files).toEqual(listed)
    expect(run.summary).toContain(
      `- File \`bootloader.bin\` (\`build/bootloader/bootloader.bin\`), 25.4 KiB (26000 bytes), MD5 \`${files['bootloader.bin']!.md5}\``
    )
    expect(run.summary).toContain('- File `partition-table.bin` (`build/partition_table/partition-table.bin`), 3.0 KiB (3072 bytes)')
    const manifest = JSON.parse(await readFile(run.outputs['manifest-path'] ?? '', 'utf8')) as { files?: unknown[]; file?: string }
    expect(manifest.files).toHaveLength(3)
    expect(manifest.file).toBeUndefined()
    expectNoSecretsShown(run, [DEFAULT_ACCOUNT.accessKeySecret])
  })

  it('a re-run reuses the package; one changed file is a conflict naming it, and nothing is uploaded', async () => {
    const ws = await makeWorkspace(ESP32)
    const first = await runAction({ inputs: inputs(), workspace: ws })
    expectSuccess(first)

    const before = actions().length
    const again = await runAction({ inputs: inputs(), workspace: ws, env: { RUNNER_DEBUG: '1' } })
    expectSuccess(again)
    expect(again.outputs).toMatchObject({ result: 'reused', 'firmware-id': first.outputs['firmware-id'] })
    expect(actions(before)).toEqual(['ListOTAFirmware', 'QueryOTAFirmware'])
    // QueryOTAFirmware hands out signed URLs: the outputs show them without their query.
    expect(JSON.parse(again.outputs.files ?? '[]')).toEqual(JSON.parse(first.outputs.files ?? '[]'))
    expect([again.stdout, again.summary, JSON.stringify(again.outputs)].join('\n')).not.toMatch(/Expires=|Signature=/)

    await writeFile(join(ws, 'build/partition_table/partition-table.bin'), Buffer.alloc(3072, 7))
    const changed = await runAction({ inputs: inputs(), workspace: ws })
    expect(changed.code).toBe(1)
    expect(changed.stdout).toMatch(
      /::error title=OTA publish failed \(input on-version-conflict\)::DestVersion 1\.2\.3 of module default already has package \S+ \(\S+\) with other files: partition-table\.bin has 3072 bytes, MD5 [0-9a-f]{32} there, 3072 bytes, MD5 [0-9a-f]{32} here\./
    )
    expect(actions(before)).not.toContain('PostObject')
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('the second upload, cut mid-body, is retried with a fresh form on its own, and the package holds every file', async () => {
    // The first PostObject takes the harmless fault (no delay), so the second one to arrive is cut mid-body.
    emulator().faults.add({ kind: 'slow', action: 'PostObject', delayMs: 0, count: 1 })
    emulator().faults.add({ kind: 'upload-fail', count: 1, mode: 'drop' })
    const ws = await makeWorkspace(ESP32)
    const run = await runAction({ inputs: inputs(), workspace: ws, env: { OTA_EMULATOR_MINUTE_MS: '1000' } })
    expectSuccess(run)
    const posts = emulator()
      .state.requests()
      .filter((r) => r.action === 'PostObject')
    expect(posts.map((r) => r.status).filter((s) => s === 0)).toHaveLength(1)
    expect(posts).toHaveLength(4)
    expect(actions().filter((a) => a === 'GenerateOTAUploadURL')).toHaveLength(4)
    expect(run.stdout).toMatch(/::warning::Upload of build\/\S+\.bin: attempt 1 of 5 failed/)
    await expectPackageOf(ws, /\/iotx-ota\/ota\//)
  })

  it('oss upload: each file to the bucket under its own key, registered by its object URL', async () => {
    const ws = await makeWorkspace(ESP32)
    const run = await runAction({ inputs: inputs({ 'upload-mode': 'oss', 'oss-bucket': BUCKET, 'oss-endpoint': emulator().url }), workspace: ws })
    expectSuccess(run)
    await expectPackageOf(ws, new RegExp(`/${BUCKET}/ota/default/1\\.2\\.3/[a-z-]+\\.bin$`))
    const keys = emulator()
      .state.objects()
      .filter((o) => o.bucket === BUCKET)
      .map((o) => o.key)
      .sort()
    expect(keys).toEqual(NAMES.map((n) => `ota/default/1.2.3/${n}`))
    expect(actions().filter((a) => a === 'PutObject')).toHaveLength(3)
    expect(actions()).not.toContain('GenerateOTAUploadURL')
  })
})

describe('one file with multi-files', () => {
  it('makes an ordinary package of one file (FirmwareUrl: a package of one file takes no MultiFiles), listed in files', async () => {
    const run = await runAction({ inputs: inputs({ files: 'build/app.bin' }), workspace: await makeWorkspace(ESP32) })
    expectSuccess(run)
    const [fw] = emulator().state.firmwares()
    expect(fw?.MultiFiles).toBeUndefined()
    expect(fw).toMatchObject({ FirmwareUrl: run.outputs['firmware-url'], FirmwareSize: 180_000 })
    expect(JSON.parse(run.outputs.files ?? '[]')).toEqual([{ name: 'app.bin', size: 180_000, sign: fw?.FirmwareSign, url: run.outputs['firmware-url'] }])
  })
})

describe('refused before any request', () => {
  const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`build/part-${i + 1}.bin`, 16]))
  it.each<[string, Record<string, number>, Record<string, string>, string, string]>([
    ['21 files', many(21), {}, 'files', "Input 'files' matched 21 files"],
    ['a duplicate name', { 'build/a/app.bin': 16, 'build/b/app.bin': 32 }, {}, 'files', 'both named "app.bin"'],
    ['a name of 33 characters', { [`build/${'n'.repeat(29)}.bin`]: 16, 'build/app.bin': 16 }, {}, 'files', 'has 33 characters'],
    [
      'upload-mode url',
      ESP32,
      { 'upload-mode': 'url', 'firmware-url': 'https://acme-fw.oss-cn-shanghai.aliyuncs.com/app.bin' },
      'multi-files',
      "'upload-mode: url'"
    ],
    ['a marketplace instance', ESP32, { 'api-variant': 'marketplace' }, 'multi-files', 'take packages of one file only']
  ])('%s', async (_what, files, overrides, input, fragment) => {
    const run = await runAction({ inputs: inputs(overrides), workspace: await makeWorkspace(files) })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(`::error title=OTA publish failed (input ${input})::`)
    expect(run.stdout).toContain(fragment)
    expect(run.outputs.result).toBe('failed')
    expect(emulator().state.requests()).toEqual([])
  })
})

describe('verify and rollout of a package of several files', () => {
  const jobInputs = (firmwareId: string, more: Record<string, string>) => {
    const { files: _f, 'multi-files': _m, ...connection } = inputs()
    return { ...connection, 'firmware-id': firmwareId, 'download-protocol': 'MQTT', ...more }
  }

  // Each reads the package's state first (verify its jobs too), and creates no job.
  it.each<[string, string, Record<string, string>, string, string[]]>([
    ['verify', VERIFY_ENTRY, { devices: 'test-device-1' }, 'true', ['QueryOTAFirmware', 'ListOTAJobByFirmware']],
    ['rollout', ROLLOUT_ENTRY, { selection: 'all' }, 'false', ['QueryOTAFirmware']]
  ])('%s refuses download-protocol MQTT before any job, naming the input', async (_what, entry, more, needToVerify, calls) => {
    const published = await runAction({ inputs: inputs({ 'need-to-verify': needToVerify }), workspace: await makeWorkspace(ESP32) })
    expectSuccess(published)
    const before = actions().length
    const run = await runAction({ entry, inputs: jobInputs(published.outputs['firmware-id'] ?? '', more), workspace: await makeWorkspace({}) })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error title=OTA (verify|rollout) failed \(input download-protocol\)::Input 'download-protocol' is "MQTT": package \S+ holds 3 files \(app\.bin, bootloader\.bin, partition-table\.bin\), and MQTT downloads carry a single file\./
    )
    expect(actions(before)).toEqual(calls)
  })
})
