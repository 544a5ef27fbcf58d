import { describe, expect, it } from '@jest/globals'
import { makePlan } from '../../support/plan.js'
import { ApiError } from '../../../src/net/api-error.js'
import type { Artifact } from '../../../src/files/artifact.js'
import { ActionError } from '../../../src/contract/action-error.js'
import { TransportError } from '../../../src/net/transport.js'
import type { CreateFirmwareParams, FirmwareSummary, IotApi, UploadTicket } from '../../../src/platform/client.js'
import { createPlatformUploader, type PlatformUploadDeps } from '../../../src/upload/platform/uploader.js'
import { PublishDeps, publishFirmware } from '../../../src/publish/publish.js'

const MD5 = '0123456789abcdef0123456789abcdef'
const SHA = 'f'.repeat(64)

const plan = makePlan({ version: { destVersion: '1.2.3', source: 'ref', tag: 'wifi/v1.2.3', tagModule: 'wifi', isPrerelease: false, notes: [] } })
const artifact: Artifact = { path: '/ws/build/app.bin', displayPath: 'build/app.bin', size: 100, suffix: 'bin' }

function ticket(n: number): UploadTicket {
  return {
    Host: 'https://bucket',
    Key: `ota/${n}.bin`,
    OSSAccessKeyId: 'oss',
    Policy: 'p',
    Signature: 's',
    FirmwareUrl: `https://bucket/ota/${n}.bin`
  }
}

/** An in-memory platform: every method rejects unless a test gives it behaviour. */
function fakePlatform(existing: FirmwareSummary[] = []) {
  const calls: string[] = []
  const created: CreateFirmwareParams[] = []
  let tickets = 0
  const iot: IotApi = {
    generateUploadUrl: async () => {
      calls.push('GenerateOTAUploadURL')
      return ticket(++tickets)
    },
    createFirmware: async (params) => {
      calls.push('CreateOTAFirmware')
      created.push(params)
      existing.push({
        FirmwareId: `fw${created.length}`,
        FirmwareName: params.FirmwareName,
        DestVersion: params.DestVersion,
        ModuleName: params.ModuleName ?? 'default',
        FirmwareSign: params.FirmwareSign,
        FirmwareSize: params.FirmwareSize,
        SignMethod: params.SignMethod,
        UtcCreate: '2026-01-01T00:00:00.000Z'
      })
      return { FirmwareId: `fw${created.length}`, UtcCreate: '2026-01-01T00:00:00.000Z' }
    },
    listFirmware: async (_pk, version) => {
      calls.push('ListOTAFirmware')
      return existing.filter((row) => row.DestVersion === version)
    },
    queryFirmware: async () => Promise.reject(new Error('not expected')),
    deleteFirmware: async () => Promise.reject(new Error('not expected')),
    // The plan's module exists; module-check.test.ts covers the check itself.
    listModules: async () => [{ ModuleName: 'default' }, { ModuleName: 'wifi' }]
  }
  return { iot, calls, created, existing }
}

type Post = PlatformUploadDeps['post']

/** The publish's dependencies around a fake platform; `post` stands in for the PostObject upload. */
function deps(
  iot: IotApi | undefined,
  overrides: Partial<PublishDeps> & { post?: Post } = {}
): PublishDeps & { uploads: UploadTicket[]; digests: number; warnings: string[] } {
  const uploads: UploadTicket[] = []
  const warnings: string[] = []
  const { post: postOverride, ...rest } = overrides
  const post: Post =
    postOverride ??
    (async (t) => {
      uploads.push(t)
      return { size: 100, digests: { MD5 } }
    })
  const d = {
    iot,
    uploader: iot && createPlatformUploader({ iot, post, debug: () => undefined }),
    digestFile: async () => {
      d.digests++
      return { size: 100, digests: { MD5, SHA256: SHA } }
    },
    retry: {
      maxAttempts: 5,
      baseDelayMs: 10,
      maxDelayMs: 100,
      deadline: Number.POSITIVE_INFINITY,
      now: () => 0,
      sleep: async () => undefined,
      random: () => 0
    },
    log: {
      info: () => undefined,
      warning: (m: string) => void warnings.push(m),
      debug: () => undefined,
      group: <T>(_name: string, fn: () => Promise<T>) => fn()
    },
    dryRun: false,
    onVersionConflict: 'fail' as const,
    uploads,
    warnings,
    digests: 0,
    ...rest
  }
  return d
}

describe('publishFirmware', () => {
  it('lists, uploads, then creates, digesting only while uploading', async () => {
    const platform = fakePlatform()
    const d = deps(platform.iot)
    const result = await publishFirmware(plan, artifact, d)
    expect(platform.calls).toEqual(['ListOTAFirmware', 'GenerateOTAUploadURL', 'CreateOTAFirmware'])
    expect(d.digests).toBe(0)
    expect(result).toMatchObject({ result: 'created', firmwareId: 'fw1', sign: MD5, size: 100, firmwareUrl: 'https://bucket/ota/1.bin' })
    expect(platform.created[0]).toMatchObject({ FirmwareSign: MD5, FirmwareSize: 100, SignMethod: 'MD5', ModuleName: 'wifi', NeedToVerify: true, Type: 0 })
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
    const d = deps(platform.iot)
    const result = await publishFirmware(plan, artifact, d)
    expect(result).toMatchObject({ result: 'reused', firmwareId: 'old', utcCreate: 't0' })
    expect(platform.calls).toEqual(['ListOTAFirmware'])
    expect(d.uploads).toHaveLength(0)
  })

  it('compares with the digest the existing package was signed with', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi', FirmwareSign: SHA, FirmwareSize: 100, SignMethod: 'SHA256' }
    ])
    expect((await publishFirmware(plan, artifact, deps(platform.iot))).result).toBe('reused')
  })

  it('ignores packages of other modules', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'ble', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'ble', FirmwareSign: 'x', FirmwareSize: 1, SignMethod: 'MD5' }
    ])
    expect((await publishFirmware(plan, artifact, deps(platform.iot))).result).toBe('created')
  })

  it('fails on other content for the same version, showing both digests, and creates nothing', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi', FirmwareSign: 'a'.repeat(32), FirmwareSize: 100, SignMethod: 'MD5' }
    ])
    const err = await publishFirmware(plan, artifact, deps(platform.iot)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as ActionError).message).toContain('a'.repeat(32))
    expect((err as ActionError).message).toContain(MD5)
    expect((err as ActionError).input).toBe('on-version-conflict')
    expect(platform.calls).toEqual(['ListOTAFirmware'])
  })

  it('keeps the existing package when told to skip a conflict', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi', FirmwareSign: 'a'.repeat(32), FirmwareSize: 100, SignMethod: 'MD5' }
    ])
    const result = await publishFirmware(plan, artifact, deps(platform.iot, { onVersionConflict: 'skip' }))
    expect(result).toMatchObject({ result: 'skipped', firmwareId: 'old' })
    expect(platform.calls).toEqual(['ListOTAFirmware'])
  })

  it('retries a failed upload with a fresh upload form', async () => {
    const platform = fakePlatform()
    let n = 0
    const d = deps(platform.iot, {
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
    const realCreate = platform.iot.createFirmware
    let first = true
    platform.iot.createFirmware = async (params) => {
      const created = await realCreate(params)
      if (first) {
        first = false
        throw new TransportError('socket hang up', 'network', true, 'ECONNRESET')
      }
      return created
    }
    const result = await publishFirmware(plan, artifact, deps(platform.iot))
    expect(result).toMatchObject({ result: 'created', firmwareId: 'fw1' })
    expect(platform.created).toHaveLength(1)
  })

  it('retries throttled creates without looking again', async () => {
    const platform = fakePlatform()
    const realCreate = platform.iot.createFirmware
    let n = 0
    platform.iot.createFirmware = async (params) => {
      if (++n <= 2) throw new ApiError('CreateOTAFirmware', 'Throttling.User', 'Request was denied due to user flow control.', 400)
      return realCreate(params)
    }
    const result = await publishFirmware(plan, artifact, deps(platform.iot))
    expect(result.firmwareId).toBe('fw1')
    expect(platform.calls).toEqual(['ListOTAFirmware', 'GenerateOTAUploadURL', 'CreateOTAFirmware'])
  })

  it('fails at once on a permanent error with the code and a hint', async () => {
    const platform = fakePlatform()
    let n = 0
    platform.iot.createFirmware = async () => {
      n++
      throw new ApiError('CreateOTAFirmware', 'SignatureDoesNotMatch', 'Specified signature is not matched', 400)
    }
    const d = deps(platform.iot)
    const err = (await publishFirmware(plan, artifact, d).catch((e: unknown) => e)) as ActionError
    expect(n).toBe(1)
    expect(d.warnings).toContain('https://bucket/ota/1.bin was uploaded but not registered; the platform deletes uploads not registered within 60 minutes.')
    expect(err).toBeInstanceOf(ActionError)
    expect(err.code).toBe('SignatureDoesNotMatch')
    expect(err.hint).toContain('access-key-secret')
  })

  it('looks again after iot.system.SystemException on create, adopting a package it made', async () => {
    const platform = fakePlatform()
    const realCreate = platform.iot.createFirmware
    let first = true
    platform.iot.createFirmware = async (params) => {
      const created = await realCreate(params)
      if (first) {
        first = false
        throw new ApiError('CreateOTAFirmware', 'iot.system.SystemException', 'A system exception occurred.', 200)
      }
      return created
    }
    const result = await publishFirmware(plan, artifact, deps(platform.iot))
    expect(result).toMatchObject({ result: 'created', firmwareId: 'fw1' })
    expect(platform.created).toHaveLength(1)
    expect(platform.calls).toEqual(['ListOTAFirmware', 'GenerateOTAUploadURL', 'CreateOTAFirmware', 'ListOTAFirmware'])
  })

  it('treats iot.system.SystemException with HTTP 200 as transient', async () => {
    const platform = fakePlatform()
    const realCreate = platform.iot.createFirmware
    let n = 0
    platform.iot.createFirmware = async (params) => {
      if (++n === 1) throw new ApiError('CreateOTAFirmware', 'iot.system.SystemException', 'A system exception occurred.', 200)
      return realCreate(params)
    }
    expect((await publishFirmware(plan, artifact, deps(platform.iot))).result).toBe('created')
  })

  it('gives up after max attempts and never reports success', async () => {
    const platform = fakePlatform()
    const d = deps(platform.iot, {
      post: async () => {
        throw new ApiError('PostObject', 'ServiceUnavailable', 'down', 503)
      }
    })
    d.retry.maxAttempts = 3
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
    platform.iot.queryFirmware = async (id) => {
      queried.push(id)
      return { FirmwareId: id, FirmwareName: 'n', DestVersion: '1.2.3', FirmwareSign: MD5, FirmwareSize: 100, SignMethod: 'MD5', UtcCreate: 't0' }
    }
    const result = await publishFirmware(plan, artifact, deps(platform.iot))
    expect(queried).toEqual(['old'])
    expect(result).toMatchObject({ result: 'reused', firmwareId: 'old' })
  })
})
