import { describe, expect, it } from '@jest/globals'
import type { IotApi } from '../../../src/platform/client.js'
import type { JobSummary, OtaTask, VerifyJobParams } from '../../../src/platform/models.js'
import { verifyFailure, verifyPackage } from '../../../src/verify/verify-package.js'
import { fakeApi, fakeDeps, pageOf, task, firmware, losingAnswer } from '../../support/jobs-fakes.js'

const INPUTS = {
  productKey: 'P',
  firmwareId: 'F',
  devices: ['dev-1', 'dev-2'],
  timeoutInMinutes: 30,
  needPush: true,
  needConfirm: false,
  downloadProtocol: 'HTTPS' as const,
  wait: true,
  waitMinutes: 45
}

function world(status: number, jobs: JobSummary[], tasks: OtaTask[], extra: Partial<IotApi> = {}) {
  return fakeApi({
    queryFirmware: async () => firmware('F', status, 0),
    listJobsByFirmware: async () => jobs,
    listTasksByJob: async (_j, page, size, s) => pageOf(tasks, page, size, s),
    ...extra
  })
}

const done = [task('dev-1', 'SUCCEEDED', 100), task('dev-2', 'SUCCEEDED', 100)]

describe('verifyPackage', () => {
  it('creates the job with the inputs and follows it to verified', async () => {
    const sent: VerifyJobParams[] = []
    const api = world(0, [], done, { createVerifyJob: async (p) => (sent.push(p), { JobId: 'V1', UtcCreate: '' }) })
    const outcome = await verifyPackage(INPUTS, fakeDeps(api))
    expect(outcome).toMatchObject({ result: 'verified', jobId: 'V1', origin: 'created', timedOut: false })
    expect(sent).toEqual([
      {
        FirmwareId: 'F',
        ProductKey: 'P',
        TargetDeviceName: ['dev-1', 'dev-2'],
        TimeoutInMinutes: 30,
        NeedPush: true,
        NeedConfirm: false,
        DownloadProtocol: 'HTTPS'
      }
    ])
    expect(verifyFailure(outcome)).toBeUndefined()
  })

  it('refuses download-protocol MQTT for a package of several files before any job, naming the input', async () => {
    const files = [{ Name: 'bootloader.bin' }, { Name: 'app.bin' }]
    const api = world(0, [], done, { queryFirmware: async () => ({ ...firmware('F', 0, 0), MultiFiles: files }) })
    const error = await verifyPackage({ ...INPUTS, downloadProtocol: 'MQTT' }, fakeDeps(api)).catch((e: unknown) => e)
    expect(error).toMatchObject({
      input: 'download-protocol',
      message: `Input 'download-protocol' is "MQTT": package F holds 2 files (bootloader.bin, app.bin), and MQTT downloads carry a single file.`
    })
    expect(api.calls).not.toContain('createVerifyJob')
    // HTTPS, and MQTT for a package of one file, go on to the job.
    await verifyPackage(
      INPUTS,
      fakeDeps(
        world(0, [], done, {
          queryFirmware: async () => ({ ...firmware('F', 0, 0), MultiFiles: files }),
          createVerifyJob: async () => ({ JobId: 'V1', UtcCreate: '' })
        })
      )
    )
    await verifyPackage(
      { ...INPUTS, downloadProtocol: 'MQTT' },
      fakeDeps(world(0, [], done, { createVerifyJob: async () => ({ JobId: 'V1', UtcCreate: '' }) }))
    )
  })

  it('a package that needs no verification succeeds without a job', async () => {
    const api = world(-1, [], [])
    const outcome = await verifyPackage(INPUTS, fakeDeps(api))
    expect(outcome.result).toBe('not-needed')
    expect(outcome.jobId).toBeUndefined()
    expect(api.calls).not.toContain('createVerifyJob')
  })

  it('a verified package succeeds at once with its verification job, and no new job', async () => {
    const api = world(1, [{ JobId: 'V0', JobStatus: 'COMPLETED', JobType: 'VERIFY_FIRMWARE' }], done)
    const outcome = await verifyPackage(INPUTS, fakeDeps(api))
    expect(outcome).toMatchObject({ result: 'verified', jobId: 'V0', origin: 'earlier' })
    expect(outcome.devices.map((d) => d.name)).toEqual(['dev-1', 'dev-2'])
    expect(api.calls).not.toContain('createVerifyJob')
  })

  it('a re-run follows the unfinished verify job instead of creating one', async () => {
    const api = world(2, [{ JobId: 'V0', JobStatus: 'IN_PROGRESS', JobType: 'VERIFY_FIRMWARE' }], done)
    const outcome = await verifyPackage(INPUTS, fakeDeps(api))
    expect(outcome).toMatchObject({ result: 'verified', jobId: 'V0', origin: 'followed' })
    expect(api.calls).not.toContain('createVerifyJob')
  })

  it('with wait false starts the job and reports it', async () => {
    const api = world(0, [], [], { createVerifyJob: async () => ({ JobId: 'V1', UtcCreate: '' }) })
    const outcome = await verifyPackage({ ...INPUTS, wait: false }, fakeDeps(api))
    expect(outcome).toMatchObject({ result: 'started', jobId: 'V1' })
    expect(api.calls).not.toContain('listTasksByJob')
  })
})

describe('verifyPackage, creating and failing', () => {
  it('a create whose answer was lost is found by its lookup: the new verify job of the package', async () => {
    let jobs: JobSummary[] = [{ JobId: 'V1', JobStatus: 'COMPLETED', JobType: 'VERIFY_FIRMWARE' }]
    const api = world(0, [], done, {
      listJobsByFirmware: async () => jobs,
      createVerifyJob: losingAnswer(() => {
        jobs = [
          ...jobs,
          { JobId: 'U1', JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' },
          { JobId: 'V9', JobStatus: 'IN_PROGRESS', JobType: 'VERIFY_FIRMWARE' }
        ]
      })
    })
    const outcome = await verifyPackage(INPUTS, fakeDeps(api))
    expect(outcome).toMatchObject({ result: 'verified', jobId: 'V9' })
  })

  it('fails naming the device that failed and what it reported', async () => {
    const api = world(0, [], [task('dev-1', 'SUCCEEDED', 100), task('dev-2', 'FAILED', 30, 'download failed')], {
      createVerifyJob: async () => ({ JobId: 'V1', UtcCreate: '' })
    })
    const outcome = await verifyPackage(INPUTS, fakeDeps(api))
    expect(outcome.result).toBe('failed')
    expect(verifyFailure(outcome)?.message).toBe('Verification failed in verify job V1: dev-2 FAILED (download failed).')
  })

  it('fails within wait-minutes naming the devices that never reported', async () => {
    const api = world(0, [], [task('dev-1', 'SUCCEEDED', 100), task('dev-2', 'QUEUED')], { createVerifyJob: async () => ({ JobId: 'V1', UtcCreate: '' }) })
    const deps = fakeDeps(api)
    const started = deps.clock.now()
    const outcome = await verifyPackage({ ...INPUTS, waitMinutes: 10 }, deps)
    expect(deps.clock.now() - started).toBe(10 * 60_000)
    expect(outcome).toMatchObject({ result: 'failed', timedOut: true, neverReported: ['dev-2'] })
    const error = verifyFailure(outcome)
    expect(error?.message).toBe('1 device(s) of verify job V1 never reported progress within 10 minutes: dev-2.')
    expect(error?.input).toBe('wait-minutes')
    expect(error?.hint).not.toContain('ConfirmOTATask')
  })

  it('says why a device waits in CONFIRM when need-confirm holds it', async () => {
    const api = world(0, [], [task('dev-1', 'CONFIRM')], { createVerifyJob: async () => ({ JobId: 'V1', UtcCreate: '' }) })
    const outcome = await verifyPackage({ ...INPUTS, needConfirm: true, waitMinutes: 5 }, fakeDeps(api))
    // dev-2, asked for, has no task in this job: it never reported either.
    expect(outcome).toMatchObject({ result: 'failed', timedOut: true, neverReported: ['dev-1', 'dev-2'] })
    expect(verifyFailure(outcome)?.hint).toMatch(/^With 'need-confirm: true' a task waits in CONFIRM until the device side confirms it \(ConfirmOTATask\)\./)
  })
})
