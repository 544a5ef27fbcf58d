import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { beforeAll, describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, fleetSpecs, type DeviceSpec } from '../../emulator/index.js'
import { useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, ROLLOUT_ENTRY, runAction, type RunResult } from '../support/local-runner.js'

/** One emulated minute: a device upgrades in six of them. */
const MINUTE_MS = 40

const PK = { fleet: 'a1soak00400', big: 'a1plan00500' }
const inProduct = (productKey: string, specs: DeviceSpec[]): DeviceSpec[] => specs.map((s) => ({ ...s, productKey }))
const emulator = useEmulator({
  devices: [...inProduct(PK.fleet, fleetSpecs(400, 0)), ...inProduct(PK.big, fleetSpecs(500, 0))],
  minuteMs: MINUTE_MS
})

let workspace: string
beforeAll(async () => {
  workspace = await makeWorkspace()
})

const connection = () => ({ 'access-key-id': DEFAULT_ACCOUNT.accessKeyId, 'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret, endpoint: emulator().url })

async function publish(productKey: string): Promise<string> {
  const run = await runAction({
    inputs: { ...connection(), 'product-key': productKey, files: 'build/*.bin', 'need-to-verify': 'false' },
    workspace,
    ref: 'refs/tags/v1.2.3'
  })
  expect(run.code).toBe(0)
  return run.outputs['firmware-id'] ?? ''
}

function plan(productKey: string, firmwareId: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<RunResult> {
  return runAction({
    entry: ROLLOUT_ENTRY,
    inputs: { ...connection(), 'product-key': productKey, 'firmware-id': firmwareId, 'soak-minutes': '0', ...inputs },
    workspace,
    env: { OTA_EMULATOR_MINUTE_MS: String(MINUTE_MS), ...env },
    timeoutMs: 90_000
  })
}

/** The official SDK, to look at the emulator's jobs independently of the action's client; one call at a time, under the emulator's 10 QPS. */
const client = () => new IotModule.default(new $OpenApi.Config({ ...DEFAULT_ACCOUNT, endpoint: `127.0.0.1:${emulator().port}`, protocol: 'http' }))
async function sdk() {
  await new Promise((resolve) => setTimeout(resolve, 150))
  return client()
}

async function jobsOf(firmwareId: string) {
  const answer = await (await sdk()).listOTAJobByFirmware(new $Iot.ListOTAJobByFirmwareRequest({ firmwareId, currentPage: 1, pageSize: 200 }))
  return (answer.body?.data?.simpleOTAJobInfo ?? []).map((job) => ({
    jobId: job.jobId ?? '',
    status: job.jobStatus ?? '',
    tags: Object.fromEntries((job.tags?.otaTagDTO ?? []).map((t) => [t.key ?? '', t.value ?? '']))
  }))
}

async function devicesOf(jobId: string): Promise<string[]> {
  const names: string[] = []
  for (let page = 1; ; page++) {
    const answer = await (await sdk()).listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId, currentPage: page, pageSize: 100 }))
    const rows = answer.body?.data?.simpleOTATaskInfo ?? []
    names.push(...rows.map((t) => t.deviceName ?? ''))
    if (rows.length < 100) return names
  }
}

const calls = (action: string) =>
  emulator()
    .state.requests()
    .filter((r) => r.action === action).length
const stageJobs = async (firmwareId: string) => (await jobsOf(firmwareId)).filter((j) => j.tags['ota.kind'] === 'stage')

describe('a rollout plan over time', () => {
  it('holds the next stage until the soak is over, saying when it may start', async () => {
    const firmwareId = await publish(PK.fleet)
    // A soak of 250 emulated minutes: 10 s here; the first run follows the stage to its pass, then stops.
    const stages = { stages: '10, 100', 'soak-minutes': '250' }
    const first = await plan(PK.fleet, firmwareId, { ...stages, 'wait-minutes': '100' })
    expect(first.outputs).toMatchObject({ result: 'stage-started', stage: '1' })
    expect(first.outputs['next-stage-after']).toMatch(/^\d{4}-\d\d-\d\dT/)
    const soaking = Date.parse(first.outputs['next-stage-after'] ?? '')
    const again = await plan(PK.fleet, firmwareId, stages)
    expect(again.outputs).toMatchObject({ result: 'in-progress', stage: '1' })
    expect((await stageJobs(firmwareId)).length).toBe(1)
    expect(again.summary).toContain('passed, soaking until')
    // Once the soak is over, the next run starts stage 2.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, soaking - Date.now()) + 50))
    const next = await plan(PK.fleet, firmwareId, stages)
    expect(next.outputs).toMatchObject({ result: 'stage-started', stage: '2' })
  })

  it('sends a stage of more than 200 devices as a device-list file', async () => {
    const firmwareId = await publish(PK.big)
    const run = await plan(PK.big, firmwareId, { stages: '10, 100', 'wait-minutes': '2000', 'min-success-percent': '100' })
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '500' })
    expect(calls('GenerateDeviceNameListURL')).toBe(1)
    const creates = emulator()
      .state.requests()
      .filter((r) => r.action === 'CreateOTAStaticUpgradeJob')
    expect(creates).toHaveLength(4)
    const [stage2] = (await stageJobs(firmwareId)).filter((j) => j.tags['ota.stage'] === '2')
    expect((await devicesOf(stage2?.jobId ?? '')).length).toBe(450)
  })
})
