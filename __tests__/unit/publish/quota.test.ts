import { describe, expect, it } from '@jest/globals'
import type { Artifact } from '../../../src/files/artifact.js'
import { ActionError } from '../../../src/contract/action-error.js'
import { ApiError } from '../../../src/net/api-error.js'
import { explain } from '../../../src/platform/explain.js'
import type { FirmwareDetail } from '../../../src/platform/models.js'
import { QUOTA_HINT } from '../../../src/platform/remediations.js'
import { publishFirmware } from '../../../src/publish/publish.js'
import { checkQuota, explainQuotaRefusal } from '../../../src/publish/quota.js'
import { createPlatformUploader } from '../../../src/upload/platform/uploader.js'
import { fakePlatform, PLATFORM_MD5 as MD5, publishDeps } from '../../support/fake-platform.js'
import { fakeApi } from '../../support/jobs-fakes.js'
import { makePlan } from '../../support/plan.js'

function logged() {
  const lines = { info: [] as string[], warning: [] as string[] }
  const log = {
    info: (m: string) => void lines.info.push(m),
    warning: (m: string) => void lines.warning.push(m),
    debug: () => undefined,
    group: <T>(_name: string, fn: () => Promise<T>) => fn()
  }
  return { log, lines }
}

describe('checkQuota', () => {
  it.each([
    [0, 500, false, 'quiet'],
    [449, 500, false, 'quiet'],
    [450, 500, false, 'warns'],
    [499, 500, false, 'warns'],
    [500, 500, false, 'fails'],
    [612, 500, false, 'fails'],
    [500, 500, true, 'warns'],
    [8, 10, false, 'quiet'],
    [9, 10, false, 'warns'],
    [10, 10, false, 'fails'],
    [0, 1, false, 'quiet'],
    [1, 1, false, 'fails']
  ])('%i packages against a quota of %i (dry run %s): %s', async (count, quota, dryRun, outcome) => {
    const { log, lines } = logged()
    const api = fakeApi({ countFirmware: async () => count })
    const error = await checkQuota(api, quota, log, dryRun).then(
      () => undefined,
      (e: unknown) => e as ActionError
    )
    expect({ outcome: error ? 'fails' : lines.warning.length > 0 ? 'warns' : 'quiet' }).toEqual({ outcome })
    expect(lines.info).toEqual([`The account holds ${count} OTA package(s); 'package-quota' is ${quota}.`])
    for (const said of [...lines.warning, error?.hint ?? '']) if (said) expect(said).toContain('prune action (`uses: <owner>/<repo>/prune@v1`')
    if (error) {
      expect(error.message).toBe(
        `The account holds ${count} OTA packages, and 'package-quota' is ${quota}: the platform would refuse a new package, so nothing was uploaded.`
      )
      expect(error.hint).toBe(QUOTA_HINT)
    }
  })

  it('names the count and its share in the warning', async () => {
    const { log, lines } = logged()
    await checkQuota(fakeApi({ countFirmware: async () => 463 }), 500, log, false)
    expect(lines.warning[0]).toMatch(/^The account holds 463 of its 500 OTA packages \(92 %\): at 500 every publish fails\. The account/)
  })

  it('warns, and goes on, when the answer has no Total', async () => {
    const { log, lines } = logged()
    await expect(checkQuota(fakeApi({ countFirmware: async () => undefined }), 500, log, false)).resolves.toBeUndefined()
    expect(lines.warning).toEqual([
      "Could not read how many OTA packages the account holds (ListOTAFirmware answered no Total): 'package-quota' was not checked."
    ])
  })
})

describe('explainQuotaRefusal', () => {
  const refusal = (code: string, message: string) => explain(new ApiError('CreateOTAFirmware', code, message, 200), 'publish') as ActionError

  it.each([
    ['iot.firmware.FirmwareCountExceedLimit', 'The number of firmware exceeds the limit of 500.'],
    ['iot.ota.FirmwareQuotaExceeded', 'quota exceeded'],
    ['iot.system.IllegalRequest', 'The firmware count exceeds the limit.'],
    ['iot.system.IllegalRequest', '升级包数量已达上限']
  ])('explains %s (%s) as the quota', (code, message) => {
    const error = explainQuotaRefusal(refusal(code, message)) as ActionError
    expect(error).toMatchObject({ code, message: `CreateOTAFirmware failed: ${code}: ${message}`, hint: QUOTA_HINT })
  })

  it.each([
    ['iot.firmware.AlreadyExistedFirmwareName', 'The firmware name already exists.'],
    ['iot.system.IllegalRequest', 'FirmwareSign does not match the file.']
  ])('leaves %s (%s) as it is', (code, message) => {
    const error = refusal(code, message)
    expect(explainQuotaRefusal(error)).toBe(error)
  })

  it('leaves what is not a platform answer as it is', () => {
    const error = new Error('socket hang up')
    expect(explainQuotaRefusal(error)).toBe(error)
  })
})

describe('publishFirmware and the quota', () => {
  const plan = makePlan({ version: { destVersion: '1.2.3', source: 'ref', tag: 'v1.2.3', isPrerelease: false, notes: [] } })
  const artifact: Artifact = { path: '/ws/build/app.bin', displayPath: 'build/app.bin', size: 100, suffix: 'bin' }
  const others = (n: number): FirmwareDetail[] =>
    Array.from({ length: n }, (_, i) => ({ FirmwareId: `old${i}`, FirmwareName: `old${i}`, DestVersion: `0.0.${i}`, ModuleName: 'default' }))
  const depsWith = (platform: ReturnType<typeof fakePlatform>) =>
    publishDeps(platform, (iot) => iot && createPlatformUploader({ iot, post: async () => ({ size: 100, digests: { MD5 } }), debug: () => undefined }), {
      packageQuota: 5
    })

  it('fails at the quota before asking for an upload form', async () => {
    const platform = fakePlatform(others(5))
    const error = (await publishFirmware(plan, artifact, depsWith(platform)).catch((e: unknown) => e)) as ActionError
    expect(error.hint).toBe(QUOTA_HINT)
    expect(platform.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware', 'ListOTAFirmware'])
  })

  it('reuses the package of a re-run without counting: it adds none', async () => {
    const rerun = fakePlatform([
      ...others(4),
      { FirmwareId: 'mine', FirmwareName: plan.firmwareName, DestVersion: '1.2.3', ModuleName: plan.moduleName, FirmwareSign: MD5, FirmwareSize: 100 }
    ])
    const result = await publishFirmware(plan, artifact, depsWith(rerun))
    expect(result).toMatchObject({ result: 'reused', firmwareId: 'mine' })
    expect(rerun.calls).toEqual(['ListOTAModuleByProduct', 'ListOTAFirmware'])
  })
})
