import { describe, expect, it } from '@jest/globals'
import { makePlan } from '../../support/plan.js'
import { ApiError } from '../../../src/net/api-error.js'
import type { Artifact } from '../../../src/files/artifact.js'
import { ActionError } from '../../../src/contract/action-error.js'
import { TransportError } from '../../../src/net/transport.js'
import { fakePlatform, PLATFORM_MD5 as MD5, publishDeps, type FakePlatform } from '../../support/fake-platform.js'
import { PublishDeps, publishFirmware } from '../../../src/publish/publish.js'
import type { FirmwareUploader, UploadedFirmware } from '../../../src/upload/uploader.js'

const URL = 'https://acme-fw.oss-cn-shanghai.aliyuncs.com/ota/wifi/1.2.3/app.bin'

const plan = makePlan({ version: { destVersion: '1.2.3', source: 'ref', tag: 'v1.2.3', isPrerelease: false, notes: [] } })
const artifact: Artifact = { path: '/ws/build/app.bin', displayPath: 'build/app.bin', size: 100, suffix: 'bin' }

function fakeUploader(overrides: Partial<FirmwareUploader> = {}, result: Partial<UploadedFirmware> = {}) {
  const state = { uploads: 0, discarded: 0 }
  const uploader: FirmwareUploader = {
    label: 'Upload to oss://acme-fw/ota/wifi/1.2.3/app.bin',
    firmwareUrl: URL,
    describe: async () => 'Would upload build/app.bin to oss://acme-fw/ota/wifi/1.2.3/app.bin; the object does not exist yet.',
    upload: async () => {
      state.uploads++
      return { firmwareUrl: URL, size: 100, digests: { MD5 }, discard: async () => void state.discarded++, ...result }
    },
    ...overrides
  }
  return { uploader, state }
}

function deps(platform: FakePlatform | undefined, uploader: FirmwareUploader, overrides: Partial<PublishDeps> = {}) {
  return publishDeps(platform, () => uploader, { maxAttempts: 3, ...overrides })
}

const alreadyExists = () => new ApiError('CreateOTAFirmware', 'iot.firmware.AlreadyExistedFirmwareName', 'The OTA update package already exists.', 200)

describe('publishFirmware with an uploader (upload-mode oss or url)', () => {
  it('registers what the uploader put in place, without the platform upload', async () => {
    const platform = fakePlatform()
    const { uploader, state } = fakeUploader()
    const result = await publishFirmware(plan, artifact, deps(platform, uploader))
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware', 'ListOTAFirmware', 'CreateOTAFirmware'])
    expect(state.uploads).toBe(1)
    expect(platform.created[0]).toMatchObject({ FirmwareUrl: URL, FirmwareSign: MD5, FirmwareSize: '100' })
    expect(result).toMatchObject({ result: 'created', firmwareUrl: URL, sign: MD5, size: 100 })
  })

  it('retries a failed upload attempt, naming the step', async () => {
    const platform = fakePlatform()
    let n = 0
    const { uploader } = fakeUploader({
      upload: async () => {
        if (++n === 1) throw new TransportError('ECONNRESET', 'network', true, 'ECONNRESET')
        return { firmwareUrl: URL, size: 100, digests: { MD5 } }
      }
    })
    const d = deps(platform, uploader)
    await publishFirmware(plan, artifact, d)
    expect(n).toBe(2)
    expect(d.warnings[0]).toMatch(/^Upload to oss:\/\/acme-fw\/ota\/wifi\/1\.2\.3\/app\.bin: attempt 1 of 3 failed/)
  })

  it('removes the upload when registration fails for good', async () => {
    const platform = fakePlatform()
    platform.on('CreateOTAFirmware', async () => Promise.reject(alreadyExists()))
    const { uploader, state } = fakeUploader()
    const d = deps(platform, uploader)
    const err = await publishFirmware(plan, artifact, d).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as ActionError).code).toBe('iot.firmware.AlreadyExistedFirmwareName')
    expect(state.discarded).toBe(1)
    expect(d.infos).toContain(`Removed ${URL}, which this run uploaded, since registering it failed.`)
  })

  it('keeps the upload when a create may have succeeded unseen', async () => {
    const platform = fakePlatform()
    let n = 0
    platform.on('CreateOTAFirmware', async () => {
      if (++n === 1) throw new TransportError('socket hang up', 'network', true, 'ECONNRESET')
      throw alreadyExists()
    })
    const { uploader, state } = fakeUploader()
    const d = deps(platform, uploader)
    await expect(publishFirmware(plan, artifact, d)).rejects.toThrow('AlreadyExistedFirmwareName')
    expect(state.discarded).toBe(0)
    expect(d.warnings.some((w) => w.startsWith(`Kept ${URL}`))).toBe(true)
  })

  it('keeps the upload after a 5xx, whose outcome is unknown, and says so', async () => {
    const platform = fakePlatform()
    let n = 0
    platform.on('CreateOTAFirmware', async () => {
      if (++n === 1) throw new ApiError('CreateOTAFirmware', 'ServiceUnavailable', 'The service is unavailable.', 503)
      throw alreadyExists()
    })
    const { uploader, state } = fakeUploader()
    const d = deps(platform, uploader)
    await expect(publishFirmware(plan, artifact, d)).rejects.toThrow('AlreadyExistedFirmwareName')
    expect(state.discarded).toBe(0)
    expect(d.warnings.find((w) => w.startsWith(`Kept ${URL}`))).toContain('the outcome of a CreateOTAFirmware attempt is unknown')
    expect(d.warnings.find((w) => w.startsWith(`Kept ${URL}`))).toContain('5xx')
  })

  it('keeps nothing to remove when the uploader wrote nothing', async () => {
    const platform = fakePlatform()
    platform.on('CreateOTAFirmware', async () => Promise.reject(alreadyExists()))
    const { uploader } = fakeUploader({}, { discard: undefined })
    const d = deps(platform, uploader)
    await expect(publishFirmware(plan, artifact, d)).rejects.toThrow('AlreadyExistedFirmwareName')
    expect(d.infos.some((m) => m.startsWith('Removed'))).toBe(false)
  })

  it('without a file, leaves size and sign to the platform and reads them back', async () => {
    const platform = fakePlatform()
    const { uploader } = fakeUploader({ declared: { digests: {} } }, { size: undefined, digests: {}, discard: undefined })
    const result = await publishFirmware(plan, undefined, deps(platform, uploader))
    expect(platform.created[0]).not.toHaveProperty('FirmwareSign', expect.anything())
    expect(platform.created[0]?.FirmwareSize).toBeUndefined()
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware', 'ListOTAFirmware', 'CreateOTAFirmware', 'ListOTAFirmware'])
    expect(result).toMatchObject({ result: 'created', size: 100, sign: MD5 })
  })

  it('without a file or digest, a package registered with the same URL is reused', async () => {
    const platform = fakePlatform([
      {
        FirmwareId: 'old',
        FirmwareName: 'n',
        DestVersion: '1.2.3',
        ModuleName: 'wifi',
        FirmwareUrl: URL,
        FirmwareSign: MD5,
        FirmwareSize: 100,
        SignMethod: 'MD5',
        UtcCreate: 't0'
      }
    ])
    const { uploader, state } = fakeUploader({ declared: { digests: {} } })
    const result = await publishFirmware(plan, undefined, deps(platform, uploader))
    expect(result).toMatchObject({ result: 'reused', firmwareId: 'old', sign: MD5, size: 100 })
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware', 'QueryOTAFirmware'])
    expect(state.uploads).toBe(0)
  })

  it('without a file or digest, a package with another URL is a conflict', async () => {
    const platform = fakePlatform([
      {
        FirmwareId: 'old',
        FirmwareName: 'n',
        DestVersion: '1.2.3',
        ModuleName: 'wifi',
        FirmwareUrl: `${URL}.old`,
        FirmwareSign: MD5,
        FirmwareSize: 100,
        SignMethod: 'MD5'
      }
    ])
    const { uploader } = fakeUploader({ declared: { digests: {} } })
    const err = (await publishFirmware(plan, undefined, deps(platform, uploader)).catch((e: unknown) => e)) as ActionError
    expect(err.input).toBe('on-version-conflict')
    expect(err.message).toContain(`${URL} has MD5 ? and ? bytes`)
  })

  it('with a declared sign, compares by digest', async () => {
    const platform = fakePlatform([
      { FirmwareId: 'old', FirmwareName: 'n', DestVersion: '1.2.3', ModuleName: 'wifi', FirmwareSign: MD5, FirmwareSize: 100, SignMethod: 'MD5' }
    ])
    const { uploader } = fakeUploader({ declared: { digests: { MD5 } } })
    expect((await publishFirmware(plan, undefined, deps(platform, uploader))).result).toBe('reused')
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware'])
  })

  it('a dry run shows the FirmwareUrl the upload would register', async () => {
    const { uploader, state } = fakeUploader()
    const result = await publishFirmware(plan, artifact, deps(undefined, uploader, { dryRun: true }))
    expect(result.createParams).toMatchObject({ FirmwareUrl: URL, FirmwareSign: MD5, FirmwareSize: 100 })
    expect(result.uploadPlan).toBe('Would upload build/app.bin to oss://acme-fw/ota/wifi/1.2.3/app.bin; the object does not exist yet.')
    expect(state.uploads).toBe(0)
  })
})
