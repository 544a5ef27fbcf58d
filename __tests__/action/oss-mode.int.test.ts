import { describe, expect, it } from '@jest/globals'
import OSS from 'ali-oss'
import { createHash } from 'node:crypto'
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT, startEmulator } from '../../emulator/index.js'
import { actionInputs, createModules, expectNoSecretsShown, useEmulator } from '../support/emulator-harness.js'
import { ACTION_ENTRY, makeWorkspace, patternBytes, runAction, RunResult } from '../support/local-runner.js'

const BUCKET = 'acme-firmware'
// The product's OTA modules besides default: CreateOTAFirmware refuses any other.
const emulator = useEmulator()
const inputs = (overrides: Record<string, string> = {}): Record<string, string> =>
  actionInputs(emulator(), { 'upload-mode': 'oss', 'oss-bucket': BUCKET, 'oss-endpoint': emulator().url, ...overrides })

/** ali-oss as another job (or a person) would use it against the emulator's bucket. */
function ossClient(): OSS {
  const options = {
    accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
    accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret,
    bucket: BUCKET,
    region: 'oss-cn-shanghai',
    // Virtual-hosted, as ali-oss reaches OSS: Host <bucket>.oss-cn-shanghai.aliyuncs.com, the key as the path.
    endpoint: emulator().url,
    authorizationV4: true
  }
  return new OSS(options)
}

const actions = (): string[] =>
  emulator()
    .state.requests()
    .map((r) => r.action)
const count = (action: string): number => actions().filter((a) => a === action).length
const md5 = (bytes: Buffer): string => createHash('md5').update(bytes).digest('hex')
const objectIn = (key: string) =>
  emulator()
    .state.objects()
    .find((o) => o.bucket === BUCKET && o.key === key)

function expectSuccess(run: RunResult): void {
  expect(run.stdout.match(/::error.*/)?.[0] ?? '').toBe('')
  expect(run.code).toBe(0)
}

describe('upload-mode: oss', () => {
  // The inputs of each mode are refused before any request by readUploadSettings and the oss-key checks:
  // unit-tested in config/upload-settings.test.ts and upload/oss/key.test.ts.
  it('uploads a 5 MB file with PutObject, verifies it and registers the bucket URL', async () => {
    const ws = await makeWorkspace({ 'build/app.bin': 5 * 1024 * 1024 })
    const bytes = await readFile(join(ws, 'build/app.bin'))
    await createModules(emulator(), ['wifi'])
    const run = await runAction({ inputs: inputs({ 'module-name': 'wifi' }), workspace: ws })
    expectSuccess(run)

    const url = `${emulator().url}/${BUCKET}/ota/wifi/1.2.3/app.bin`
    const [fw] = emulator().state.firmwares()
    expect(fw).toMatchObject({ FirmwareUrl: url, FirmwareSign: md5(bytes), FirmwareSize: bytes.length, ModuleName: 'wifi' })
    expect(objectIn('ota/wifi/1.2.3/app.bin')).toMatchObject({ size: bytes.length, md5: md5(bytes) })
    expect(run.outputs).toMatchObject({ 'firmware-url': url, 'firmware-sign': md5(bytes), 'firmware-size': String(bytes.length), result: 'created' })
    // After the test's CreateOTAModule: checked the module, looked first, wrote without overwriting, checked what
    // arrived, then registered; the platform's upload is not used.
    expect(actions()).toEqual([
      'CreateOTAModule',
      'ListOTAModuleByProduct',
      'ListOTAFirmware',
      'ListOTAFirmware',
      'HeadObject',
      'PutObject',
      'HeadObject',
      'CreateOTAFirmware'
    ])
    expect(run.stdout).toMatch(/Verified oss:\/\/acme-firmware\/ota\/wifi\/1\.2\.3\/app\.bin: CRC64 \d+, 5242880 bytes/)
  })

  it('uploads a 300 MB file in parallel parts, with progress, and registers a matching sign', async () => {
    const ws = await makeWorkspace({ 'README.txt': 1 })
    try {
      const size = 300 * 1024 * 1024
      const path = join(ws, 'build', 'big.bin')
      await mkdir(join(ws, 'build'))
      // Written in 1 MiB chunks, so the test never holds the whole file.
      const hash = createHash('sha256')
      const handle = await open(path, 'w')
      for (let offset = 0; offset < size; offset += 1024 * 1024) {
        const chunk = patternBytes(1024 * 1024, `chunk-${offset}`)
        hash.update(chunk)
        await handle.write(chunk)
      }
      await handle.close()
      const sha256 = hash.digest('hex')
      await createModules(emulator(), ['mcu'])

      const run = await runAction({ inputs: inputs({ 'sign-method': 'SHA256', 'module-name': 'mcu' }), workspace: ws, timeoutMs: 240_000 })
      expectSuccess(run)
      expect(emulator().state.firmwares()[0]).toMatchObject({
        FirmwareUrl: `${emulator().url}/${BUCKET}/ota/mcu/1.2.3/big.bin`,
        SignMethod: 'SHA256',
        FirmwareSign: sha256,
        FirmwareSize: size
      })
      expect(objectIn('ota/mcu/1.2.3/big.bin')?.sha256).toBe(sha256)
      expect(count('InitiateMultipartUpload')).toBe(1)
      expect(count('UploadPart')).toBe(19)
      expect(count('CompleteMultipartUpload')).toBe(1)
      expect(count('PutObject')).toBe(0)
      // About one progress line per 10%, not one per part.
      const progress = run.stdout.split('\n').filter((line) => /^Uploaded .* \(\d+%\)/.test(line))
      expect(progress.length).toBeGreaterThanOrEqual(5)
      expect(progress.length).toBeLessThanOrEqual(11)
      expect(progress.at(-1)).toContain('(100%)')
    } finally {
      await rm(ws, { recursive: true, force: true })
    }
  }, 300_000)

  it('a re-run reuses the package and uploads nothing', async () => {
    const ws = await makeWorkspace()
    const first = await runAction({ inputs: inputs(), workspace: ws })
    expectSuccess(first)
    const before = actions().length
    const second = await runAction({ inputs: inputs(), workspace: ws })
    expectSuccess(second)
    expect(second.outputs).toMatchObject({ result: 'reused', 'firmware-id': first.outputs['firmware-id'] })
    expect(actions().slice(before)).toEqual(['ListOTAFirmware'])
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('an object with the same content (uploaded before, never registered) is reused, not written again', async () => {
    const ws = await makeWorkspace()
    const bytes = await readFile(join(ws, 'build/app.bin'))
    await ossClient().put('ota/default/1.2.3/app.bin', bytes)
    const before = actions().length
    const run = await runAction({ inputs: inputs(), workspace: ws })
    expectSuccess(run)
    expect(run.stdout).toContain('already holds this file')
    expect(actions().slice(before)).toEqual(['ListOTAFirmware', 'ListOTAFirmware', 'HeadObject', 'CreateOTAFirmware'])
    expect(emulator().state.firmwares()[0]?.FirmwareSign).toBe(md5(bytes))
  })

  it('an object with other content at the key fails, and nothing is overwritten or registered', async () => {
    const ws = await makeWorkspace()
    const other = patternBytes(4096, 'somebody else')
    await ossClient().put('ota/default/1.2.3/app.bin', other)
    const run = await runAction({ inputs: inputs(), workspace: ws })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error title=OTA publish failed \(input oss-key\)::oss:\/\/acme-firmware\/ota\/default\/1\.2\.3\/app\.bin already holds other content \(CRC64 \d+, 4096 bytes\); build\/app\.bin has CRC64 \d+, 4096 bytes/
    )
    expect(objectIn('ota/default/1.2.3/app.bin')?.md5).toBe(md5(other))
    expect(count('PutObject')).toBe(1)
    expect(emulator().state.firmwares()).toHaveLength(0)
  })

  it('an object written by someone else between the check and the upload is not overwritten', async () => {
    // The action's PutObject is held, and meanwhile another writer stores other content.
    emulator().faults.add({ kind: 'slow', action: 'PutObject', delayMs: 1500, count: 1 })
    const ws = await makeWorkspace()
    const running = runAction({ inputs: inputs(), workspace: ws })
    // The fault is used up once the action's PutObject has arrived (and is held).
    while (emulator().faults.list().length > 0) await new Promise((resolve) => setTimeout(resolve, 20))
    await ossClient().put('ota/default/1.2.3/app.bin', patternBytes(10, 'racer'))
    const run = await running
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('already holds other content')
    expect(
      emulator()
        .state.requests()
        .some((r) => r.action === 'PutObject' && r.code === 'FileAlreadyExists')
    ).toBe(true)
    expect(objectIn('ota/default/1.2.3/app.bin')?.size).toBe(10)
  })

  it('a permanent registration failure removes the object this run uploaded', async () => {
    const ws = await makeWorkspace()
    expectSuccess(
      await runAction({
        inputs: inputs({ 'upload-mode': '', 'oss-bucket': '', 'oss-endpoint': '', 'firmware-name': 'same-name' }),
        workspace: ws,
        ref: 'refs/tags/v1.0.0'
      })
    )
    const run = await runAction({ inputs: inputs({ 'firmware-name': 'same-name' }), workspace: ws, ref: 'refs/tags/v1.0.1' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('AlreadyExistedFirmwareName')
    expect(run.stdout).toContain(`Removed ${emulator().url}/${BUCKET}/ota/default/1.0.1/app.bin, which this run uploaded`)
    expect(count('DeleteObject')).toBe(1)
    expect(objectIn('ota/default/1.0.1/app.bin')).toBeUndefined()
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('an object that was there before the run is kept when registration fails', async () => {
    const ws = await makeWorkspace()
    expectSuccess(await runAction({ inputs: inputs({ 'firmware-name': 'same-name' }), workspace: ws, ref: 'refs/tags/v1.0.0' }))
    await ossClient().put('ota/default/1.0.1/app.bin', await readFile(join(ws, 'build/app.bin')))
    const run = await runAction({ inputs: inputs({ 'firmware-name': 'same-name' }), workspace: ws, ref: 'refs/tags/v1.0.1' })
    expect(run.code).toBe(1)
    expect(count('DeleteObject')).toBe(0)
    expect(objectIn('ota/default/1.0.1/app.bin')).toBeDefined()
  })

  it('a 5xx from CreateOTAFirmware on every attempt keeps the uploaded object, and the warning calls the outcome unknown', async () => {
    emulator().faults.add({ kind: 'server-error', action: 'CreateOTAFirmware', count: 2, status: 500 })
    const run = await runAction({ inputs: inputs({ 'max-attempts': '2' }), workspace: await makeWorkspace() })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('::error title=OTA publish failed (InternalError)::')
    expect(run.stdout).toContain(
      `::warning::Kept ${emulator().url}/${BUCKET}/ota/default/1.2.3/app.bin: the outcome of a CreateOTAFirmware attempt is unknown (no answer came back, or the platform failed with a 5xx after it may have acted), so a package may refer to it.`
    )
    expect(run.stdout).not.toContain('answer was lost')
    expect(count('CreateOTAFirmware')).toBe(2)
    expect(count('DeleteObject')).toBe(0)
    expect(objectIn('ota/default/1.2.3/app.bin')).toBeDefined()
    expect(emulator().state.firmwares()).toHaveLength(0)
  })

  it('a 503 from OSS is retried: that request alone', async () => {
    emulator().faults.add({ kind: 'server-error', action: 'PutObject', count: 1, status: 503 })
    const run = await runAction({ inputs: inputs(), workspace: await makeWorkspace() })
    expectSuccess(run)
    expect(run.stdout).toMatch(/PutObject oss:\/\/acme-firmware\/ota\/default\/1\.2\.3\/app\.bin: attempt 1 of 5 failed \(PutObject failed: ServiceUnavailable/)
    // The lookup of an existing package and the account's count for the quota, then OSS: only the refused PutObject again.
    expect(actions()).toEqual(['ListOTAFirmware', 'ListOTAFirmware', 'HeadObject', 'PutObject', 'PutObject', 'HeadObject', 'CreateOTAFirmware'])
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('a permission OSS refuses fails at once, with the permissions to grant', async () => {
    const denied = { accessKeyId: 'LTAInoPutObject', accessKeySecret: 'secret', deny: ['PutObject'] }
    const local = await startEmulator({ port: 0, accounts: [denied] })
    try {
      const run = await runAction({
        inputs: {
          ...inputs(),
          endpoint: local.url,
          'oss-endpoint': local.url,
          'access-key-id': denied.accessKeyId,
          'access-key-secret': denied.accessKeySecret
        },
        workspace: await makeWorkspace()
      })
      expect(run.code).toBe(1)
      expect(run.stdout).toContain('::error title=OTA publish failed (AccessDenied)::PutObject failed: AccessDenied')
      expect(run.stdout).toContain('oss:PutObject')
      expect(local.state.requests().filter((r) => r.action === 'PutObject')).toHaveLength(1)
      expect(local.state.firmwares()).toHaveLength(0)
    } finally {
      await local.close()
    }
  })

  it('works with STS credentials (the token goes with every OSS request), showing no secret with debug on', async () => {
    const sts = { accessKeyId: 'STS.ossKey', accessKeySecret: 'sts-secret', securityToken: 'CAIS-oss-token' }
    const local = await startEmulator({ port: 0, accounts: [sts] })
    try {
      const run = await runAction({
        inputs: { ...inputs(), endpoint: local.url, 'oss-endpoint': local.url, 'access-key-id': '', 'access-key-secret': '' },
        env: {
          RUNNER_DEBUG: '1',
          ALIBABA_CLOUD_ACCESS_KEY_ID: sts.accessKeyId,
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: sts.accessKeySecret,
          ALIBABA_CLOUD_SECURITY_TOKEN: sts.securityToken
        },
        workspace: await makeWorkspace()
      })
      expectSuccess(run)
      expectNoSecretsShown(run, [sts.accessKeySecret, sts.securityToken])
      expect(local.state.requests().filter((r) => r.action === 'PutObject')).toMatchObject([{ status: 200, accessKeyId: sts.accessKeyId }])
      expect(run.stdout).not.toContain('refreshSTSToken')
    } finally {
      await local.close()
    }
  })

  it('renders oss-key from its placeholders', async () => {
    await createModules(emulator(), ['ble'])
    const run = await runAction({
      inputs: inputs({ 'oss-key': 'firmware/{product}/{name}-{sha}/{file}', 'module-name': 'ble' }),
      workspace: await makeWorkspace()
    })
    expectSuccess(run)
    expect(run.outputs['firmware-url']).toBe(`${emulator().url}/${BUCKET}/firmware/a1uctKe1234/a1uctKe1234-ble-1_2_3-a1b2c3d/app.bin`)
  })

  it('a dry run names the bucket, the key and that the object is not there yet, and uploads nothing', async () => {
    const run = await runAction({ inputs: inputs({ 'dry-run': 'true' }), workspace: await makeWorkspace() })
    expectSuccess(run)
    const url = `${emulator().url}/${BUCKET}/ota/default/1.2.3/app.bin`
    expect(run.stdout).toContain(`"FirmwareUrl": "${url}"`)
    const plan = `Would upload build/app.bin to oss://${BUCKET}/ota/default/1.2.3/app.bin (PutObject, never overwriting) and register ${url}; the object does not exist yet.`
    expect(run.summary).toContain(`**Upload:** ${plan}\n\nThen CreateOTAFirmware with:`)
    expect(run.stdout).toContain(plan)
    expect(run.summary).not.toContain('GenerateOTAUploadURL')
    // A HeadObject is all the dry run asks OSS.
    expect(actions()).toEqual(['ListOTAFirmware', 'ListOTAFirmware', 'HeadObject'])
  })

  it.each([
    ['this file', (bytes: Buffer) => bytes, /the object exists already and holds this file \(CRC64 \d+, 4096 bytes\): it would be reused, not written again\./],
    [
      'other content',
      () => patternBytes(100, 'other'),
      /the object exists already with other content \(CRC64 \d+, 100 bytes\): the publish would fail rather than overwrite it\./
    ]
  ])('a dry run says when the object exists already, holding %s', async (_label, content, said) => {
    const ws = await makeWorkspace()
    await ossClient().put('ota/default/1.2.3/app.bin', content(await readFile(join(ws, 'build/app.bin'))))
    const before = actions().length
    const run = await runAction({ inputs: inputs({ 'dry-run': 'true' }), workspace: ws })
    expectSuccess(run)
    expect(run.summary).toMatch(said)
    expect(actions().slice(before)).toEqual(['ListOTAFirmware', 'ListOTAFirmware', 'HeadObject'])
  })
})

describe('upload-mode: url', () => {
  async function preUpload(key: string, bytes: Buffer): Promise<string> {
    await ossClient().put(key, bytes)
    return `${emulator().url}/${BUCKET}/${key}`
  }

  it('registers a URL uploaded earlier, without a file: size and sign are left to the platform', async () => {
    const bytes = patternBytes(20_000, 'earlier job')
    const url = await preUpload('builds/fw-1.2.3.bin', bytes)
    const before = actions().length
    const run = await runAction({
      inputs: inputs({ 'upload-mode': 'url', 'oss-bucket': '', 'oss-endpoint': '', files: '', 'firmware-url': url }),
      workspace: await makeWorkspace({ 'README.txt': 1 })
    })
    expectSuccess(run)
    expect(emulator().state.firmwares()[0]).toMatchObject({ FirmwareUrl: url, FirmwareSign: md5(bytes), FirmwareSize: bytes.length })
    // Nothing uploads; the list after the create reads back what the platform registered.
    expect(actions().slice(before)).toEqual(['ListOTAFirmware', 'ListOTAFirmware', 'CreateOTAFirmware', 'ListOTAFirmware'])
    expect(run.outputs).toMatchObject({ 'firmware-url': url, 'firmware-sign': md5(bytes), 'firmware-size': String(bytes.length), result: 'created' })
  })

  it('a dry run names the URL and says nothing is uploaded', async () => {
    const url = 'https://cdn.example.com/fw/app-1.2.3.bin'
    const run = await runAction({
      inputs: inputs({ 'upload-mode': 'url', 'oss-bucket': '', 'oss-endpoint': '', files: '', 'firmware-url': url, 'dry-run': 'true' }),
      workspace: await makeWorkspace({ 'README.txt': 1 })
    })
    expectSuccess(run)
    expect(run.summary).toContain(`**Upload:** Would register ${url} as given: nothing is uploaded.\n\nThen CreateOTAFirmware with:`)
    expect(run.summary).toContain(`"FirmwareUrl": "${url}"`)
    expect(run.summary).not.toContain('GenerateOTAUploadURL')
    expect(run.stdout).toContain(`Would register ${url} as given: nothing is uploaded.`)
    expect(actions()).toEqual(['ListOTAFirmware', 'ListOTAFirmware'])
  })

  it('computes size and sign from the local file when one is given', async () => {
    const ws = await makeWorkspace({ 'build/app.bin': 8000 })
    const bytes = await readFile(join(ws, 'build/app.bin'))
    const url = await preUpload('builds/app.bin', bytes)
    const run = await runAction({
      inputs: inputs({ 'upload-mode': 'url', 'oss-bucket': '', 'oss-endpoint': '', 'firmware-url': url, 'sign-method': 'SHA256' }),
      workspace: ws
    })
    expectSuccess(run)
    expect(emulator().state.firmwares()[0]).toMatchObject({
      FirmwareSign: createHash('sha256').update(bytes).digest('hex'),
      FirmwareSize: 8000,
      SignMethod: 'SHA256'
    })
    expect(count('PutObject')).toBe(1)
  })

  it('SHA256 without firmware-sign or a file is refused before any request (the platform would digest it with MD5); with its SHA256 it registers', async () => {
    const bytes = patternBytes(4000, 'sha256 by url')
    const url = await preUpload('builds/sha.bin', bytes)
    const common = { 'upload-mode': 'url', 'oss-bucket': '', 'oss-endpoint': '', files: '', 'firmware-url': url, 'sign-method': 'SHA256' }
    const before = actions().length
    const refused = await runAction({ inputs: inputs(common), workspace: await makeWorkspace({ 'README.txt': 1 }) })
    expect(refused.code).toBe(1)
    expect(refused.stdout).toContain(
      "::error title=OTA publish failed (input firmware-sign)::Input 'firmware-sign' is required with 'upload-mode: url' and 'sign-method: SHA256' when 'files' is empty."
    )
    expect(actions().slice(before)).toEqual([])
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const given = await runAction({ inputs: inputs({ ...common, 'firmware-sign': sha256 }), workspace: await makeWorkspace({ 'README.txt': 1 }) })
    expectSuccess(given)
    expect(emulator().state.firmwares()).toEqual([expect.objectContaining({ FirmwareUrl: url, SignMethod: 'SHA256', FirmwareSign: sha256 })])
  })

  it('sends declared firmware-size and firmware-sign, which the platform checks', async () => {
    const bytes = patternBytes(3000, 'declared')
    const url = await preUpload('builds/declared.bin', bytes)
    const common = { 'upload-mode': 'url', 'oss-bucket': '', 'oss-endpoint': '', files: '', 'firmware-url': url }
    const wrong = await runAction({ inputs: inputs({ ...common, 'firmware-sign': 'f'.repeat(32) }), workspace: await makeWorkspace({ 'README.txt': 1 }) })
    expect(wrong.code).toBe(1)
    expect(wrong.stdout).toContain('iot.system.IllegalRequest')
    const right = await runAction({
      inputs: inputs({ ...common, 'firmware-sign': md5(bytes).toUpperCase(), 'firmware-size': '3000' }),
      workspace: await makeWorkspace({ 'README.txt': 1 })
    })
    expectSuccess(right)
    expect(right.outputs['firmware-sign']).toBe(md5(bytes))
  })

  it('a local file that differs from firmware-sign fails before registering', async () => {
    const url = await preUpload('builds/x.bin', patternBytes(10, 'x'))
    const run = await runAction({
      inputs: inputs({ 'upload-mode': 'url', 'oss-bucket': '', 'oss-endpoint': '', 'firmware-url': url, 'firmware-sign': '0'.repeat(32) }),
      workspace: await makeWorkspace()
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/Input 'firmware-sign' is 0{32}, but build\/app\.bin has MD5 [0-9a-f]{32}/)
    expect(count('CreateOTAFirmware')).toBe(0)
  })

  it('a re-run without a file or digest reuses the package registered with the same URL', async () => {
    const url = await preUpload('builds/again.bin', patternBytes(500, 'again'))
    const common = inputs({ 'upload-mode': 'url', 'oss-bucket': '', 'oss-endpoint': '', files: '', 'firmware-url': url })
    const first = await runAction({ inputs: common, workspace: await makeWorkspace({ 'README.txt': 1 }) })
    expectSuccess(first)
    const second = await runAction({ inputs: common, workspace: await makeWorkspace({ 'README.txt': 1 }) })
    expectSuccess(second)
    expect(second.outputs).toMatchObject({ result: 'reused', 'firmware-id': first.outputs['firmware-id'] })
    expect(emulator().state.firmwares()).toHaveLength(1)
  })

  it('a URL the platform does not know is refused by the emulator (the platform does not document foreign URLs)', async () => {
    const run = await runAction({
      inputs: inputs({ 'upload-mode': 'url', 'oss-bucket': '', 'oss-endpoint': '', files: '', 'firmware-url': 'https://cdn.example.com/fw.bin' }),
      workspace: await makeWorkspace({ 'README.txt': 1 })
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain('iot.system.IllegalRequest')
  })
})

describe('the bundle', () => {
  it('keeps ali-oss out of the entry point: the default mode never loads it', async () => {
    const dist = join(ACTION_ENTRY, '..')
    const entry = await readFile(ACTION_ENTRY, 'utf8')
    const chunks = (await readdir(dist)).filter((name) => /^\d+\.index\.js$/.test(name))
    const chunkTexts = await Promise.all(chunks.map((name) => readFile(join(dist, name), 'utf8')))
    expect(entry).not.toContain('aliyun-sdk-')
    expect(chunkTexts.some((text) => text.includes('aliyun-sdk-'))).toBe(true)
  })
})
