/**
 * What the rollout plan's integration tests share: an emulator with products of their own, the
 * bundled publish and rollout actions run against it as the runner runs them, and the official
 * SDK to look at what the platform holds, independently of the action's client.
 */
import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { beforeAll, expect } from '@jest/globals'
import { DEFAULT_ACCOUNT, type ChurnOptions, type DeviceSpec } from '../../emulator/index.js'
import { useEmulator } from './emulator-harness.js'
import { makeWorkspace, ROLLOUT_ENTRY, runAction, type RunResult } from './local-runner.js'

/** The same specs, registered in another product. */
export const inProduct = (productKey: string, specs: DeviceSpec[]): DeviceSpec[] => specs.map((s) => ({ ...s, productKey }))

export interface PlanHarnessOptions {
  readonly devices: DeviceSpec[]
  /** One emulated minute in real milliseconds: a device upgrades in six of them. */
  readonly minuteMs: number
  readonly churn?: ChurnOptions
}

export interface PlanJob {
  readonly jobId: string
  readonly status: string
  readonly tags: Readonly<Record<string, string>>
}

/** Registers the emulator and a workspace for the file (beforeAll); use the functions inside tests. */
export function usePlanHarness(options: PlanHarnessOptions) {
  const emulator = useEmulator({ devices: options.devices, minuteMs: options.minuteMs, ...(options.churn && { churn: options.churn }) })
  let workspace = ''
  beforeAll(async () => {
    workspace = await makeWorkspace()
  })

  const connection = () => ({ 'access-key-id': DEFAULT_ACCOUNT.accessKeyId, 'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret, endpoint: emulator().url })

  /** Publishes the workspace's build as 1.2.3 for the product; the package's FirmwareId. */
  async function publish(productKey: string): Promise<string> {
    const run = await runAction({
      inputs: { ...connection(), 'product-key': productKey, files: 'build/*.bin', 'need-to-verify': 'false' },
      workspace,
      ref: 'refs/tags/v1.2.3'
    })
    expect(run.code).toBe(0)
    return run.outputs['firmware-id'] ?? ''
  }

  /** One run of the rollout action in plan mode (no soak unless the inputs say so). */
  function plan(productKey: string, firmwareId: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<RunResult> {
    return runAction({
      entry: ROLLOUT_ENTRY,
      inputs: { ...connection(), 'product-key': productKey, 'firmware-id': firmwareId, 'soak-minutes': '0', ...inputs },
      workspace,
      env: { OTA_EMULATOR_MINUTE_MS: String(options.minuteMs), ...env },
      timeoutMs: 90_000
    })
  }

  /** The official SDK, one call at a time and spaced, under the emulator's 10 QPS. */
  async function sdk() {
    await new Promise((resolve) => setTimeout(resolve, 150))
    return new IotModule.default(new $OpenApi.Config({ ...DEFAULT_ACCOUNT, endpoint: `127.0.0.1:${emulator().port}`, protocol: 'http' }))
  }

  async function jobsOf(firmwareId: string): Promise<PlanJob[]> {
    const answer = await (await sdk()).listOTAJobByFirmware(new $Iot.ListOTAJobByFirmwareRequest({ firmwareId, currentPage: 1, pageSize: 200 }))
    return (answer.body?.data?.simpleOTAJobInfo ?? []).map((job) => ({
      jobId: job.jobId ?? '',
      status: job.jobStatus ?? '',
      tags: Object.fromEntries((job.tags?.otaTagDTO ?? []).map((t) => [t.key ?? '', t.value ?? '']))
    }))
  }

  const stageJobs = async (firmwareId: string) => (await jobsOf(firmwareId)).filter((j) => j.tags['ota.kind'] === 'stage')

  /** The job's tasks (of one status), every page. */
  async function tasksOf(jobId: string, taskStatus?: string): Promise<{ deviceName: string; taskId: string; taskDesc: string }[]> {
    const tasks: { deviceName: string; taskId: string; taskDesc: string }[] = []
    for (let page = 1; ; page++) {
      const answer = await (await sdk()).listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId, taskStatus, currentPage: page, pageSize: 100 }))
      const rows = answer.body?.data?.simpleOTATaskInfo ?? []
      tasks.push(...rows.map((t) => ({ deviceName: t.deviceName ?? '', taskId: t.taskId ?? '', taskDesc: t.taskDesc ?? '' })))
      if (rows.length < 100) return tasks
    }
  }

  const devicesOf = async (jobId: string) => (await tasksOf(jobId)).map((t) => t.deviceName)

  /** How many tasks of the job are in the status: one row read, the answer's Total. */
  async function countOf(jobId: string, taskStatus?: string): Promise<number> {
    return (await (await sdk()).listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId, taskStatus, currentPage: 1, pageSize: 1 }))).body?.total ?? -1
  }

  /** Requests the emulator answered for this action since the test began. */
  const calls = (action: string) =>
    emulator()
      .state.requests()
      .filter((r) => r.action === action).length

  /** Requests that change the platform. */
  const writes = () =>
    emulator()
      .state.requests()
      .filter((r) => /^(Create|Cancel|Reupgrade|Confirm|Delete)/.test(r.action)).length

  /** The workspace folder the runs start in (build/ holds the firmware). */
  const workspaceDir = () => workspace

  return { emulator, workspaceDir, publish, plan, sdk, jobsOf, stageJobs, tasksOf, devicesOf, countOf, calls, writes }
}
