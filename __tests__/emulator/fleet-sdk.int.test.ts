import * as $Iot from '@alicloud/iot20180120'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { fleetMix, startEmulator, type Emulator } from '../../emulator/index.js'
import { sdkFor } from '../support/rpc-call.js'

const PK = 'a1SdkFleet'
/** Short minutes, so a device's six-minute upgrade plays in a few hundred milliseconds. */
const MINUTE_MS = 40
const FLEET = fleetMix(40, { 'fail-install': 10 })
/** The first of the fleet's devices that fail the flash write. */
const INSTALL_FAILS = FLEET.find((d) => d.behaviour === 'fail-install')?.name ?? ''

let emulator: Emulator
let iot: ReturnType<typeof sdkFor>

beforeAll(async () => {
  const devices = [
    { name: 'canary-1', behaviour: 'rollback' as const, afterUpgradeMinutes: 2 },
    { name: 'canary-2', behaviour: 'offline-after-upgrade' as const, afterUpgradeMinutes: 1 },
    { name: 'stall-1', behaviour: 'stall' as const },
    { name: 'ask-1' },
    { name: 'ask-2' },
    ...FLEET
  ]
  emulator = await startEmulator({ qpsLimit: 0, minuteMs: MINUTE_MS, devices, modules: { [PK]: ['wifi'] } })
  iot = sdkFor(emulator)
})

afterAll(async () => {
  await emulator.close()
})

/** A package (by default one that needs no verification), uploaded through GenerateOTAUploadURL's form. */
async function createPackage(name: string, needToVerify = false): Promise<string> {
  const data = (await iot.generateOTAUploadURL(new $Iot.GenerateOTAUploadURLRequest({}))).body?.data
  await postForm(data?.host ?? '', { key: data?.key, policy: data?.policy, OSSAccessKeyId: data?.OSSAccessKeyId, Signature: data?.signature }, name)
  const created = await iot.createOTAFirmware(
    new $Iot.CreateOTAFirmwareRequest({ firmwareName: name, destVersion: '2.0.0', firmwareUrl: data?.firmwareUrl, productKey: PK, needToVerify })
  )
  return created.body?.data?.firmwareId ?? ''
}

async function postForm(host: string, fields: Record<string, string | undefined>, content: string): Promise<number> {
  const form = new FormData()
  for (const [name, value] of Object.entries({ ...fields, success_action_status: '200' })) form.append(name, value ?? '')
  form.append('file', new Blob([Buffer.from(content)]), 'file')
  return (await fetch(host, { method: 'POST', body: form })).status
}

async function tasksOf(jobId: string) {
  const body = (await iot.listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId, pageSize: 100, currentPage: 1 }))).body
  return body?.data?.simpleOTATaskInfo ?? []
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read()
    if (done(value)) return value
    await sleep(MINUTE_MS)
  }
  throw new Error('the emulated devices did not get there')
}

describe('the fleet operations through the official SDK', () => {
  it('a device list file: GenerateDeviceNameListURL (AccessKeyId, FileUrl), PostObject, then DnListFileUrl with tags', async () => {
    const firmwareId = await createPackage('fw-sdk-list')
    const data = (await iot.generateDeviceNameListURL(new $Iot.GenerateDeviceNameListURLRequest({}))).body?.data
    expect(data).toMatchObject({ objectStorage: 'OSS', key: expect.stringMatching(/^ota\/[0-9a-f]{32}\/[0-9A-F]{32}\.csv$/) })
    expect(data?.fileUrl).toBe(`${data?.host}/${data?.key}`)
    const status = await postForm(
      data?.host ?? '',
      { key: data?.key, policy: data?.policy, OSSAccessKeyId: data?.accessKeyId, Signature: data?.signature },
      'canary-1\ncanary-2\n'
    )
    expect(status).toBe(200)
    const tag = [
      new $Iot.CreateOTAStaticUpgradeJobRequestTag({ key: 'gh.run', value: '42' }),
      new $Iot.CreateOTAStaticUpgradeJobRequestTag({ key: 'stage', value: 'canary' })
    ]
    const created = await iot.createOTAStaticUpgradeJob(
      new $Iot.CreateOTAStaticUpgradeJobRequest({ firmwareId, productKey: PK, targetSelection: 'SPECIFIC', dnListFileUrl: data?.fileUrl, tag })
    )
    const jobId = created.body?.data?.jobId ?? ''
    expect(created.body?.success).toBe(true)
    const job = (await iot.queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId }))).body?.data
    expect(job?.tags?.otaTagDTO?.map((t) => [t.key, t.value])).toEqual([
      ['gh.run', '42'],
      ['stage', 'canary']
    ])
    const listed = (await iot.listOTAJobByFirmware(new $Iot.ListOTAJobByFirmwareRequest({ firmwareId, currentPage: 1, pageSize: 10 }))).body?.data
    expect(listed?.simpleOTAJobInfo?.[0]?.tags?.otaTagDTO?.map((t) => t.key)).toEqual(['gh.run', 'stage'])
    expect((await tasksOf(jobId)).map((t) => t.deviceName)).toEqual(['canary-1', 'canary-2'])

    // After the upgrade: canary-2 goes offline, canary-1 rolls back; both tasks stay SUCCEEDED.
    await until(tasksOf.bind(null, jobId), (tasks) => tasks.every((t) => t.taskStatus === 'SUCCEEDED'))
    await sleep(3 * MINUTE_MS)
    const states = (await iot.batchGetDeviceState(new $Iot.BatchGetDeviceStateRequest({ productKey: PK, deviceName: ['canary-1', 'canary-2'] }))).body
      ?.deviceStatusList?.deviceStatus
    expect(states?.map((s) => [s.deviceName, s.status])).toEqual([
      ['canary-1', 'ONLINE'],
      ['canary-2', 'OFFLINE']
    ])
    expect(states?.[1]?.lastOnlineTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/)
    const modules = (
      await iot.listOTAModuleVersionsByDevice(
        new $Iot.ListOTAModuleVersionsByDeviceRequest({ productKey: PK, deviceName: 'canary-1', pageSize: 10, currentPage: 1 })
      )
    ).body
    expect(modules?.total).toBe(2)
    expect(modules?.data?.simpleOTAModuleInfo?.map((m) => [m.moduleName, m.moduleVersion])).toEqual([
      ['default', '1.0.0'],
      ['wifi', '1.0.0']
    ])
  })

  it('QueryDevice pages newest first with Page and NextToken, and hands out DeviceSecrets', async () => {
    const first = (await iot.queryDevice(new $Iot.QueryDeviceRequest({ productKey: PK, pageSize: 30 }))).body
    expect(first).toMatchObject({ page: 1, pageSize: 30, pageCount: 2, total: 45 })
    expect(first?.data?.deviceInfo?.[0]).toMatchObject({ deviceName: 'fleet-0040', productKey: PK, deviceSecret: expect.stringMatching(/^[0-9a-f]{32}$/) })
    const second = (await iot.queryDevice(new $Iot.QueryDeviceRequest({ productKey: PK, pageSize: 30, currentPage: 2, nextToken: first?.nextToken }))).body
    expect(second?.data?.deviceInfo?.map((d) => d.deviceName).slice(-2)).toEqual(['canary-2', 'canary-1'])
    expect(second?.nextToken).toBe('')
  })

  it('ConfirmOTATask releases CONFIRM tasks; CancelOTATaskByJob with CancelUnconfirmedTask alone cancels the rest', async () => {
    const firmwareId = await createPackage('fw-sdk-confirm')
    const created = await iot.createOTAStaticUpgradeJob(
      new $Iot.CreateOTAStaticUpgradeJobRequest({
        firmwareId,
        productKey: PK,
        targetSelection: 'SPECIFIC',
        targetDeviceName: ['ask-1', 'ask-2'],
        needConfirm: true
      })
    )
    const jobId = created.body?.data?.jobId ?? ''
    const [ask1, ask2] = await tasksOf(jobId)
    expect([ask1?.taskStatus, ask2?.taskStatus]).toEqual(['CONFIRM', 'CONFIRM'])
    expect((await iot.confirmOTATask(new $Iot.ConfirmOTATaskRequest({ taskId: [ask1?.taskId ?? ''] }))).body?.success).toBe(true)
    expect((await iot.cancelOTATaskByJob(new $Iot.CancelOTATaskByJobRequest({ jobId, cancelUnconfirmedTask: true }))).body?.success).toBe(true)
    const tasks = await until(tasksOf.bind(null, jobId), (list) => list[0]?.taskStatus === 'SUCCEEDED')
    expect(tasks.map((t) => t.taskStatus)).toEqual(['SUCCEEDED', 'CANCELED'])
  })

  it('ReupgradeOTATask pushes FAILED tasks again; CancelOTATaskByDevice cancels them by device', async () => {
    const firmwareId = await createPackage('fw-sdk-reupgrade')
    const created = await iot.createOTAStaticUpgradeJob(
      new $Iot.CreateOTAStaticUpgradeJobRequest({
        firmwareId,
        productKey: PK,
        targetSelection: 'SPECIFIC',
        targetDeviceName: ['stall-1', INSTALL_FAILS],
        timeoutInMinutes: 10
      })
    )
    const jobId = created.body?.data?.jobId ?? ''
    const failed = await until(tasksOf.bind(null, jobId), (list) => list.every((t) => t.taskStatus === 'FAILED'))
    expect(failed.map((t) => (t.taskDesc ?? '').split(':')[0])).toEqual(['timeout', 'step -4'])
    const ids = failed.map((t) => t.taskId ?? '')
    expect((await iot.reupgradeOTATask(new $Iot.ReupgradeOTATaskRequest({ jobId, taskId: ids }))).body?.success).toBe(true)
    // Pushed again: the stalling device takes ten minutes to time out again (the other fails again within six, too soon to look).
    expect((await tasksOf(jobId))[0]?.taskStatus).not.toBe('FAILED')
    const cancel = await iot.cancelOTATaskByDevice(new $Iot.CancelOTATaskByDeviceRequest({ firmwareId, productKey: PK, jobId, deviceName: ['stall-1'] }))
    expect(cancel.body?.success).toBe(true)
    expect((await tasksOf(jobId))[0]?.taskStatus).toBe('CANCELED')
    const again = await iot.reupgradeOTATask(new $Iot.ReupgradeOTATaskRequest({ jobId, taskId: [ids[0] ?? ''] }))
    expect(again.body).toMatchObject({ success: false, code: 'iot.ota.FailedTaskNotFound' })
  })

  it('tags on a verify job and a dynamic job; a key too long is refused', async () => {
    const firmwareId = await createPackage('fw-sdk-dynamic-tags')
    const dynamic = await iot.createOTADynamicUpgradeJob(
      new $Iot.CreateOTADynamicUpgradeJobRequest({
        firmwareId,
        productKey: PK,
        srcVersion: ['0.1.0'],
        tag: [new $Iot.CreateOTADynamicUpgradeJobRequestTag({ key: 'stage', value: 'all' })]
      })
    )
    const jobId = dynamic.body?.data?.jobId ?? ''
    expect((await iot.queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId }))).body?.data?.tags?.otaTagDTO).toEqual([
      expect.objectContaining({ key: 'stage', value: 'all' })
    ])
    // Its strategy cancelled, the dynamic job refuses CancelOTATaskByJob: stragglers go by device.
    expect((await iot.cancelOTAStrategyByJob(new $Iot.CancelOTAStrategyByJobRequest({ jobId }))).body?.success).toBe(true)
    const byJob = await iot.cancelOTATaskByJob(new $Iot.CancelOTATaskByJobRequest({ jobId, cancelQueuedTask: true, cancelInProgressTask: true }))
    expect(byJob.body).toMatchObject({ success: false, code: 'iot.ota.JobHasCanceled' })
    const byDevice = await iot.cancelOTATaskByDevice(new $Iot.CancelOTATaskByDeviceRequest({ firmwareId, productKey: PK, jobId, deviceName: ['fleet-0002'] }))
    expect(byDevice.body?.success).toBe(true)
    const verified = await createPackage('fw-sdk-verify-tags', true)
    const verify = await iot.createOTAVerifyJob(
      new $Iot.CreateOTAVerifyJobRequest({
        firmwareId: verified,
        productKey: PK,
        targetDeviceName: ['fleet-0001'],
        tag: [new $Iot.CreateOTAVerifyJobRequestTag({ key: 'gh.sha', value: 'abc1234' })]
      })
    )
    const verifyJobId = verify.body?.data?.jobId ?? ''
    expect((await iot.queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId: verifyJobId }))).body?.data).toMatchObject({
      jobType: 'VERIFY_FIRMWARE',
      tags: { otaTagDTO: [expect.objectContaining({ key: 'gh.sha', value: 'abc1234' })] }
    })
    const badTag = await iot.createOTAStaticUpgradeJob(
      new $Iot.CreateOTAStaticUpgradeJobRequest({
        firmwareId,
        productKey: PK,
        targetSelection: 'ALL',
        tag: [new $Iot.CreateOTAStaticUpgradeJobRequestTag({ key: 'k'.repeat(31), value: 'v' })]
      })
    )
    expect(badTag.body).toMatchObject({ success: false, code: 'iot.ota.JobTagIsTooLong' })
  })
})
