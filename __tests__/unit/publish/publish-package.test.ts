import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../../src/contract/action-error.js'
import type { PackageFile } from '../../../src/files/package-files.js'
import { ApiError } from '../../../src/net/api-error.js'
import type { FirmwareDetail } from '../../../src/platform/models.js'
import { publishPackage, type PackageDeps } from '../../../src/publish/publish-package.js'
import type { FirmwareUploader } from '../../../src/upload/uploader.js'
import { fakePlatform, publishDeps, type FakePlatform } from '../../support/fake-platform.js'
import { makePlan } from '../../support/plan.js'

const plan = makePlan()
const NAMES = ['bootloader.bin', 'partition-table.bin', 'app.bin']
const SIZES = [24, 3, 1000]
const md5 = (i: number) => String(i + 1).repeat(32)
const sha = (i: number) => String(i + 1).repeat(64)
const FILES: PackageFile[] = NAMES.map((name, i) => ({ path: `/ws/build/${name}`, displayPath: `build/${name}`, size: SIZES[i]!, suffix: 'bin', name }))
const url = (i: number) => `https://bucket/ota/${i + 1}.bin`

/** Uploaders as the platform upload behaves: the URL known only once uploaded, the digests computed on the way. */
function uploaders() {
  const state = { uploads: [] as string[], discarded: [] as string[] }
  const list = FILES.map((file, i): FirmwareUploader => ({
    label: 'Upload',
    describe: async () => `Would upload ${file.displayPath}.`,
    async upload() {
      state.uploads.push(file.name)
      return { firmwareUrl: url(i), size: file.size, digests: { MD5: md5(i), SHA256: sha(i) }, discard: async () => void state.discarded.push(file.name) }
    }
  }))
  return { list, state }
}

function deps(platform: FakePlatform | undefined, overrides: Partial<PackageDeps> = {}) {
  const { list, state } = uploaders()
  const { uploader: _none, recheck: _unused, ...base } = publishDeps(platform, () => undefined, { maxAttempts: 2 })
  const d: PackageDeps = {
    ...base,
    uploaders: list,
    digestFile: async (path) => {
      const i = FILES.findIndex((f) => f.path === path)
      return { size: SIZES[i]!, digests: { MD5: md5(i), SHA256: sha(i) } }
    },
    ...overrides
  }
  return { d, state }
}

/** A package of these files on the platform, as CreateOTAFirmware would have made it. */
function existing(files: { Name: string; Size: number; FileMd5: string }[], over: Partial<FirmwareDetail> = {}): FirmwareDetail {
  return {
    FirmwareId: 'old',
    FirmwareName: 'a1pk-wifi-1_2_3',
    DestVersion: '1.2.3',
    ModuleName: 'wifi',
    SignMethod: 'MD5',
    UtcCreate: 't0',
    MultiFiles: files.map((f, i) => ({ ...f, Url: url(i), SignValue: f.FileMd5 })),
    ...over
  }
}
const SAME = NAMES.map((Name, i) => ({ Name, Size: SIZES[i]!, FileMd5: md5(i) }))

describe('publishPackage', () => {
  it('uploads every file, then one CreateOTAFirmware with MultiFiles and without FirmwareUrl, FirmwareSign and FirmwareSize', async () => {
    const platform = fakePlatform()
    const { d, state } = deps(platform)
    const result = await publishPackage(plan, FILES, d)
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware', 'ListOTAFirmware', 'CreateOTAFirmware'])
    expect(state.uploads.sort()).toEqual([...NAMES].sort())
    const sent = platform.created[0]!
    expect(Object.keys(sent).filter((k) => /^Firmware(Url|Sign|Size)$/.test(k))).toEqual([])
    expect(sent).toMatchObject({ SignMethod: 'MD5', ModuleName: 'wifi', DestVersion: '1.2.3' })
    for (const [i, name] of NAMES.entries()) {
      expect(sent).toMatchObject({
        [`MultiFiles.${i + 1}.Name`]: name,
        [`MultiFiles.${i + 1}.Url`]: url(i),
        [`MultiFiles.${i + 1}.Size`]: String(SIZES[i]),
        [`MultiFiles.${i + 1}.SignValue`]: md5(i),
        [`MultiFiles.${i + 1}.FileMd5`]: md5(i)
      })
    }
    expect(result).toMatchObject({ result: 'created', firmwareId: 'fw1' })
    // The single file's fields: a package of several has none.
    expect([result.size, result.sign, result.firmwareUrl]).toEqual([undefined, undefined, undefined])
    expect(result.files).toEqual(NAMES.map((name, i) => ({ name, path: `build/${name}`, size: SIZES[i], sign: md5(i), url: url(i) })))
  })

  it('signs each file by the package’s SignMethod, FileMd5 always MD5', async () => {
    const platform = fakePlatform()
    await publishPackage(makePlan({ signMethod: 'SHA256' }), FILES, deps(platform).d)
    expect(platform.created[0]).toMatchObject({ SignMethod: 'SHA256', 'MultiFiles.3.SignValue': sha(2), 'MultiFiles.3.FileMd5': md5(2) })
  })

  it('reuses the package of the version that holds every file by name, size and digest, uploading nothing', async () => {
    const platform = fakePlatform([existing(SAME)])
    const { d, state } = deps(platform)
    const result = await publishPackage(plan, FILES, d)
    expect(result).toMatchObject({ result: 'reused', firmwareId: 'old', utcCreate: 't0' })
    // The URLs QueryOTAFirmware hands out signed, shown without their query.
    expect(result.files?.map((f) => f.url)).toEqual([url(0), url(1), url(2)])
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware', 'QueryOTAFirmware'])
    expect(state.uploads).toEqual([])
  })

  it('one changed file is a conflict naming it, before anything is uploaded', async () => {
    const platform = fakePlatform([existing([SAME[0]!, { ...SAME[1]!, FileMd5: 'f'.repeat(32) }, SAME[2]!])])
    const { d, state } = deps(platform)
    const error = (await publishPackage(plan, FILES, d).catch((e: unknown) => e)) as ActionError
    expect(error).toBeInstanceOf(ActionError)
    expect(error.input).toBe('on-version-conflict')
    expect(error.message).toBe(
      `DestVersion 1.2.3 of module wifi already has package old (a1pk-wifi-1_2_3) with other files: ` +
        `partition-table.bin has 3 bytes, MD5 ${'f'.repeat(32)} there, 3 bytes, MD5 ${md5(1)} here.`
    )
    expect(state.uploads).toEqual([])
    expect(platform.calls).not.toContain('CreateOTAFirmware')
  })

  it('keeps the existing package when told to skip a conflict', async () => {
    const platform = fakePlatform([existing(SAME.slice(0, 2))])
    const { d } = deps(platform, { onVersionConflict: 'skip' })
    const result = await publishPackage(plan, FILES, d)
    expect(result).toMatchObject({ result: 'skipped', firmwareId: 'old', message: expect.stringContaining('app.bin is not in it') })
    expect(platform.calls).not.toContain('CreateOTAFirmware')
  })

  it('a package of one file under the version is a conflict too', async () => {
    const platform = fakePlatform([existing([], { MultiFiles: undefined, FirmwareUrl: url(0), FirmwareSign: md5(0), FirmwareSize: 24 })])
    const error = (await publishPackage(plan, FILES, deps(platform).d).catch((e: unknown) => e)) as ActionError
    expect(error.message).toContain('it is a package of one file (FirmwareUrl), this publish has 3')
  })

  it('removes every upload when the registration is refused', async () => {
    const platform = fakePlatform()
    platform.on('CreateOTAFirmware', async () => Promise.reject(new ApiError('CreateOTAFirmware', 'iot.system.IllegalRequest', 'no', 200)))
    const { d, state } = deps(platform)
    await expect(publishPackage(plan, FILES, d)).rejects.toThrow('IllegalRequest')
    expect(state.discarded.sort()).toEqual([...NAMES].sort())
    expect(platform.rows).toEqual([])
  })

  it('a dry run uploads and registers nothing, and shows the CreateOTAFirmware it would send', async () => {
    const platform = fakePlatform()
    const { d, state } = deps(platform, { dryRun: true })
    const result = await publishPackage(plan, FILES, d)
    expect(result.result).toBe('dry-run')
    expect(result.uploadPlan).toBe('Would upload build/bootloader.bin. Would upload build/partition-table.bin. Would upload build/app.bin.')
    expect(result.createParams?.MultiFiles).toEqual(
      NAMES.map((Name, i) => ({ Name, Url: '(from GenerateOTAUploadURL)', Size: SIZES[i], SignValue: md5(i), FileMd5: md5(i) }))
    )
    expect(result.createParams).not.toHaveProperty('FirmwareUrl')
    expect(state.uploads).toEqual([])
    expect(platform.calls).not.toContain('CreateOTAFirmware')
  })
})
