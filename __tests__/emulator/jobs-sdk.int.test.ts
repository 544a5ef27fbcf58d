import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { DEFAULT_ACCOUNT, fleetSpecs, startEmulator, type Emulator } from '../../emulator/index.js'

/** The official SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default
const PK = 'a1SdkJobs'
const MINUTE_MS = 100

let emulator: Emulator
let iot: InstanceType<typeof IotClient>

beforeAll(async () => {
  const devices = [{ name: 'sdk-dev-1' }, { name: 'sdk-dev-2' }, ...fleetSpecs(20, 10)]
  emulator = await startEmulator({ qpsLimit: 0, minuteMs: MINUTE_MS, devices })
  iot = new IotClient(new $OpenApi.Config({ ...DEFAULT_ACCOUNT, endpoint: `127.0.0.1:${emulator.port}`, protocol: 'http' }))
})

afterAll(async () => {
  await emulator.close()
})

/** A registered package (uploaded through the issued policy, as the publish action does). */
async function createPackage(name: string, needToVerify: boolean): Promise<string> {
  const data = (await iot.generateOTAUploadURL(new $Iot.GenerateOTAUploadURLRequest({}))).body?.data
  if (!data) throw new Error('no upload URL')
  const form = new FormData()
  for (const [field, value] of [
    ['key', data.key],
    ['policy', data.policy],
    ['OSSAccessKeyId', data.OSSAccessKeyId],
    ['Signature', data.signature],
    ['success_action_status', '200']
  ]) {
    form.append(field ?? '', value ?? '')
  }
  form.append('file', new Blob([Buffer.from(name)]), 'firmware.bin')
  expect((await fetch(data.host ?? '', { method: 'POST', body: form })).status).toBe(200)
  const created = await iot.createOTAFirmware(
    new $Iot.CreateOTAFirmwareRequest({ firmwareName: name, destVersion: '2.0.0', firmwareUrl: data.firmwareUrl, productKey: PK, needToVerify })
  )
  return created.body?.data?.firmwareId ?? ''
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read()
    if (done(value)) return value
    await sleep(MINUTE_MS)
  }
  throw new Error('the emulated devices did not finish')
}

describe('jobs through the official SDK', () => {
  it('verifies a package on two devices, then rolls it out to a gray share of the fleet', async () => {
    const firmwareId = await createPackage('fw-sdk-jobs', true)
    const refused = await iot.createOTAStaticUpgradeJob(new $Iot.CreateOTAStaticUpgradeJobRequest({ firmwareId, productKey: PK, targetSelection: 'ALL' }))
    expect(refused.body).toMatchObject({ success: false, code: 'iot.ota.FirmwareNotVerified' })

    const verify = await iot.createOTAVerifyJob(
      new $Iot.CreateOTAVerifyJobRequest({ firmwareId, productKey: PK, targetDeviceName: ['sdk-dev-1', 'sdk-dev-2'], timeoutInMinutes: 30 })
    )
    expect(verify.body?.success).toBe(true)
    const verifyJobId = verify.body?.data?.jobId ?? ''
    expect((await iot.queryOTAFirmware(new $Iot.QueryOTAFirmwareRequest({ firmwareId }))).body?.firmwareInfo?.status).toBe(2)

    const listTasks = async () => (await iot.listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId: verifyJobId, currentPage: 1, pageSize: 10 }))).body
    const finished = await until(listTasks, (body) => (body?.data?.simpleOTATaskInfo ?? []).every((t) => t.taskStatus === 'SUCCEEDED'))
    expect(finished?.total).toBe(2)
    expect(finished?.data?.simpleOTATaskInfo?.[0]).toMatchObject({
      deviceName: 'sdk-dev-1',
      progress: '100.00',
      srcVersion: '1.0.0',
      destVersion: '2.0.0',
      timeout: '30'
    })
    const verified = (await iot.queryOTAFirmware(new $Iot.QueryOTAFirmwareRequest({ firmwareId }))).body?.firmwareInfo
    expect([verified?.status, verified?.verifyProgress]).toEqual([1, 100])

    const gray = await iot.createOTAStaticUpgradeJob(
      new $Iot.CreateOTAStaticUpgradeJobRequest({
        firmwareId,
        productKey: PK,
        targetSelection: 'GRAY',
        grayPercent: '50',
        srcVersion: ['1.0.0'],
        maximumPerMinute: 10
      })
    )
    const grayJobId = gray.body?.data?.jobId ?? ''
    const job = (await iot.queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId: grayJobId }))).body?.data
    expect(job).toMatchObject({ jobStatus: 'IN_PROGRESS', jobType: 'UPGRADE_FIRMWARE', targetSelection: 'GRAY', grayPercent: '50.00', maximumPerMinute: 10 })
    expect(job?.srcVersions?.srcVersion).toEqual(['1.0.0'])
    // The two verified devices run 2.0.0 now: half of the 20 others.
    const tasks = (await iot.listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId: grayJobId, pageSize: 100 }))).body
    expect(tasks?.total).toBe(10)

    const cancel = await iot.cancelOTATaskByJob(
      new $Iot.CancelOTATaskByJobRequest({ jobId: grayJobId, cancelQueuedTask: true, cancelNotifiedTask: true, cancelInProgressTask: true })
    )
    expect(cancel.body?.success).toBe(true)
    // Whatever had not finished (real time passes between the calls) is cancelled now, and stays so.
    const after = (await iot.listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId: grayJobId, pageSize: 100 }))).body?.data?.simpleOTATaskInfo ?? []
    expect(after.filter((t) => !['CANCELED', 'SUCCEEDED', 'FAILED'].includes(t.taskStatus ?? ''))).toEqual([])
    expect(after.filter((t) => t.taskStatus === 'CANCELED').length).toBeGreaterThan(0)
    const strategy = await iot.cancelOTAStrategyByJob(new $Iot.CancelOTAStrategyByJobRequest({ jobId: grayJobId }))
    expect(strategy.body).toMatchObject({ success: false, code: 'iot.ota.noDynamicJob' })

    const jobs = await iot.listOTAJobByFirmware(new $Iot.ListOTAJobByFirmwareRequest({ firmwareId, currentPage: 1, pageSize: 10 }))
    expect(jobs.body?.data?.simpleOTAJobInfo?.map((j) => [j.jobId, j.jobType])).toEqual([
      [grayJobId, 'UPGRADE_FIRMWARE'],
      [verifyJobId, 'VERIFY_FIRMWARE']
    ])
  })

  it('a dynamic job on a package that needs no verification', async () => {
    const firmwareId = await createPackage('fw-sdk-dynamic', false)
    const created = await iot.createOTADynamicUpgradeJob(
      new $Iot.CreateOTADynamicUpgradeJobRequest({ firmwareId, productKey: PK, srcVersion: ['1.0.0'], dynamicMode: 1 })
    )
    const jobId = created.body?.data?.jobId ?? ''
    expect((await iot.queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId }))).body?.data).toMatchObject({
      selectionType: 'DYNAMIC',
      jobStatus: 'IN_PROGRESS',
      dynamicMode: 1
    })
    expect((await iot.cancelOTAStrategyByJob(new $Iot.CancelOTAStrategyByJobRequest({ jobId }))).body?.success).toBe(true)
    expect((await iot.queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId }))).body?.data?.jobStatus).toBe('CANCELED')
    const missing = await iot.listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId: 'no-such-job' }))
    expect(missing.body).toMatchObject({ success: false, code: 'iot.ota.InvalidJobId' })
  })
})
