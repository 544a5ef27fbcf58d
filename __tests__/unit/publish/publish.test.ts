import { describe, expect, it } from '@jest/globals'
import { makePlan } from '../../support/plan.js'
import { ApiError } from '../../../src/net/api-error.js'
import type { Artifact } from '../../../src/files/artifact.js'
import { ActionError } from '../../../src/contract/action-error.js'
import { TransportError } from '../../../src/net/transport.js'
import type { UploadTicket } from '../../../src/platform/models.js'
import { fakePlatform, PLATFORM_MD5 as MD5, publishDeps, type FakePlatform } from '../../support/fake-platform.js'
import { createPlatformUploader, type PlatformUploadDeps } from '../../../src/upload/platform/uploader.js'
import { PublishDeps, publishFirmware } from '../../../src/publish/publish.js'

const SHA = 'f'.repeat(64)

const plan = makePlan({ version: { destVersion: '1.2.3', source: 'ref', tag: 'wifi/v1.2.3', tagModule: 'wifi', isPrerelease: false, notes: [] } })
const artifact: Artifact = { path: '/ws/build/app.bin', displayPath: 'build/app.bin', size: 100, suffix: 'bin' }

type Post = PlatformUploadDeps['post']

/** The publish's dependencies with the platform upload; `post` stands in for PostObject, `digestFile` is counted. */
function deps(platform: FakePlatform | undefined, overrides: Partial<PublishDeps> & { post?: Post; maxAttempts?: number } = {}) {
  const uploads: UploadTicket[] = []
  const { post: postOverride, ...rest } = overrides
  const post: Post =
    postOverride ??
    (async (t) => {
      uploads.push(t)
      return { size: 100, digests: { MD5 } }
    })
  const d = {
    ...publishDeps(platform, (iot) => iot && createPlatformUploader({ iot, post, debug: () => undefined }), rest),
    uploads,
    digests: 0
  }
  d.digestFile = async () => {
    d.digests++
    return { size: 100, digests: { MD5, SHA256: SHA } }
  }
  return d
}

describe('publishFirmware', () => {
  it('lists, uploads, then creates, digesting only while uploading', async () => {
    const platform = fakePlatform()
    const d = deps(platform)
    const result = await publishFirmware(plan, artifact, d)
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware', 'ListOTAFirmware', 'GenerateOTAUploadURL', 'CreateOTAFirmware'])
    expect(d.digests).toBe(0)
    expect(result).toMatchObject({ result: 'created', firmwareId: 'fw1', sign: MD5, size: 100, firmwareUrl: 'https://bucket/ota/1.bin' })
    expect(platform.created[0]).toMatchObject({
      FirmwareSign: MD5,
      FirmwareSize: '100',
      SignMethod: 'MD5',
      ModuleName: 'wifi',
      NeedToVerify: 'true',
      Type: '0'
    })
  })

  it('reuses a package with the same content without uploading', async () => {
    const platform = fakePlatform([
      {
        FirmwareId: 'old',
        FirmwareName: 'n',
        DestVersion: '1.2.3',
        ModuleName: 'wifi',
        FirmwareSign: MD5.toUpperCase(),
        FirmwareSize: 100,
        SignMethod: 'MD5',
        UtcCreate: 't0'
      }
    ])
    const d = deps(platform)
    const result = await publishFirmware(plan, artifact, d)
    expect(result).toMatchObject({ result: 'reused', firmwareId: 'old', utcCreate: 't0' })
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware'])
    expect(d.uploads).toHaveLength(0)
  })

  it('compares with the digest the existing package was signed with', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi', FirmwareSign: SHA, FirmwareSize: 100, SignMethod: 'SHA256' }
    ])
    expect((await publishFirmware(plan, artifact, deps(platform))).result).toBe('reused')
  })

  it('ignores packages of other modules', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'ble', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'ble', FirmwareSign: 'x', FirmwareSize: 1, SignMethod: 'MD5' }
    ])
    expect((await publishFirmware(plan, artifact, deps(platform))).result).toBe('created')
  })

  it('fails on other content for the same version, showing both digests, and creates nothing', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi', FirmwareSign: 'a'.repeat(32), FirmwareSize: 100, SignMethod: 'MD5' }
    ])
    const err = await publishFirmware(plan, artifact, deps(platform)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as ActionError).message).toContain('a'.repeat(32))
    expect((err as ActionError).message).toContain(MD5)
    expect((err as ActionError).input).toBe('on-version-conflict')
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware'])
  })

  it('a package of several files under the version is a conflict that names its files', async () => {
    const MultiFiles = [
      { Name: 'boot.bin', Url: 'https://bucket/ota/1.bin', Size: 10, FileMd5: 'b'.repeat(32) },
      { Name: 'app.bin', Url: 'https://bucket/ota/2.bin', Size: 90, FileMd5: 'c'.repeat(32) }
    ]
    const platform = fakePlatform([{ FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi', SignMethod: 'MD5', MultiFiles }])
    const err = (await publishFirmware(plan, artifact, deps(platform)).catch((e: unknown) => e)) as ActionError
    expect(err.message).toBe(
      `DestVersion 1.2.3 of module wifi already has package old (n) with other content: it is a package of 2 files (boot.bin, app.bin), build/app.bin has MD5 ${MD5} and 100 bytes.`
    )
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware', 'QueryOTAFirmware'])
  })

  it('keeps the existing package when told to skip a conflict', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi', FirmwareSign: 'a'.repeat(32), FirmwareSize: 100, SignMethod: 'MD5' }
    ])
    const result = await publishFirmware(plan, artifact, deps(platform, { onVersionConflict: 'skip' }))
    expect(result).toMatchObject({ result: 'skipped', firmwareId: 'old' })
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware'])
  })

  it('retries a failed upload with a fresh upload form', async () => {
    const platform = fakePlatform()
    let n = 0
    const d = deps(platform, {
      post: async () => {
        if (++n === 1) throw new TransportError('ECONNRESET', 'network', false, 'ECONNRESET')
        return { size: 100, digests: { MD5 } }
      }
    })
    const result = await publishFirmware(plan, artifact, d)
    expect(platform.calls.filter((c) => c === 'GenerateOTAUploadURL')).toHaveLength(2)
    expect(result.firmwareUrl).toBe('https://bucket/ota/2.bin')
    expect(platform.created).toHaveLength(1)
  })

  it('adopts a package whose create answer was lost instead of creating a second one', async () => {
    const platform = fakePlatform()
    let first = true
    platform.on('CreateOTAFirmware', async (params) => {
      const created = await platform.create(params)
      if (first) {
        first = false
        throw new TransportError('socket hang up', 'network', true, 'ECONNRESET')
      }
      return created
    })
    const result = await publishFirmware(plan, artifact, deps(platform))
    expect(result).toMatchObject({ result: 'created', firmwareId: 'fw1' })
    expect(platform.created).toHaveLength(1)
  })

  it('retries throttled creates without looking again', async () => {
    const platform = fakePlatform()
    let n = 0
    platform.on('CreateOTAFirmware', async (params) => {
      if (++n <= 2) throw new ApiError('CreateOTAFirmware', 'Throttling.User', 'Request was denied due to user flow control.', 400)
      return platform.create(params)
    })
    const result = await publishFirmware(plan, artifact, deps(platform))
    expect(result.firmwareId).toBe('fw1')
    expect(platform.calls).toEqual([
      'ListOTAModuleByProduct',
      'ListOTAFirmware',
      'ListOTAFirmware',
      'GenerateOTAUploadURL',
      'CreateOTAFirmware',
      'CreateOTAFirmware',
      'CreateOTAFirmware'
    ])
  })

  it('fails at once on a permanent error with the code and a hint', async () => {
    const platform = fakePlatform()
    let n = 0
    platform.on('CreateOTAFirmware', async () => {
      n++
      throw new ApiError('CreateOTAFirmware', 'SignatureDoesNotMatch', 'Specified signature is not matched', 400)
    })
    const d = deps(platform)
    const err = (await publishFirmware(plan, artifact, d).catch((e: unknown) => e)) as ActionError
    expect(n).toBe(1)
    expect(d.warnings).toContain('https://bucket/ota/1.bin was uploaded but not registered; the platform deletes uploads not registered within 60 minutes.')
    expect(err).toBeInstanceOf(ActionError)
    expect(err.code).toBe('SignatureDoesNotMatch')
    expect(err.hint).toContain('access-key-secret')
  })

  it('looks again after iot.system.SystemException on create, adopting a package it made', async () => {
    const platform = fakePlatform()
    let first = true
    platform.on('CreateOTAFirmware', async (params) => {
      const created = await platform.create(params)
      if (first) {
        first = false
        throw new ApiError('CreateOTAFirmware', 'iot.system.SystemException', 'A system exception occurred.', 200)
      }
      return created
    })
    const result = await publishFirmware(plan, artifact, deps(platform))
    expect(result).toMatchObject({ result: 'created', firmwareId: 'fw1' })
    expect(platform.created).toHaveLength(1)
    expect(platform.calls).toEqual([
      'ListOTAModuleByProduct',
      'ListOTAFirmware',
      'ListOTAFirmware',
      'GenerateOTAUploadURL',
      'CreateOTAFirmware',
      'ListOTAFirmware'
    ])
  })

  it('treats iot.system.SystemException with HTTP 200 as transient', async () => {
    const platform = fakePlatform()
    let n = 0
    platform.on('CreateOTAFirmware', async (params) => {
      if (++n === 1) throw new ApiError('CreateOTAFirmware', 'iot.system.SystemException', 'A system exception occurred.', 200)
      return platform.create(params)
    })
    expect((await publishFirmware(plan, artifact, deps(platform))).result).toBe('created')
  })

  it('gives up after max attempts and never reports success', async () => {
    const platform = fakePlatform()
    const d = deps(platform, {
      maxAttempts: 3,
      post: async () => {
        throw new ApiError('PostObject', 'ServiceUnavailable', 'down', 503)
      }
    })
    await expect(publishFirmware(plan, artifact, d)).rejects.toThrow('ServiceUnavailable')
    expect(platform.created).toHaveLength(0)
    expect(platform.calls.filter((c) => c === 'GenerateOTAUploadURL')).toHaveLength(3)
  })

  it('dry run digests and registers nothing, even without credentials', async () => {
    const d = deps(undefined, { dryRun: true })
    const result = await publishFirmware(plan, artifact, d)
    expect(result).toMatchObject({ result: 'dry-run', sign: MD5, size: 100 })
    expect(result.createParams).toMatchObject({ FirmwareName: 'a1pk-wifi-1_2_3', FirmwareSign: MD5, FirmwareSize: 100 })
    expect(d.uploads).toHaveLength(0)
  })
})

describe('publishFirmware with a sparse list', () => {
  it('asks QueryOTAFirmware for a digest the list leaves out', async () => {
    const platform = fakePlatform([{ FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi' }])
    const queried: string[] = []
    platform.on('QueryOTAFirmware', async ({ FirmwareId = '' }) => {
      queried.push(FirmwareId)
      return {
        FirmwareInfo: {
          FirmwareId,
          FirmwareName: 'n',
          DestVersion: '1.2.3',
          ModuleName: 'wifi',
          FirmwareSign: MD5,
          FirmwareSize: 100,
          SignMethod: 'MD5',
          UtcCreate: 't0'
        }
      }
    })
    const result = await publishFirmware(plan, artifact, deps(platform))
    expect(queried).toEqual(['old'])
    expect(result).toMatchObject({ result: 'reused', firmwareId: 'old' })
  })
})
