import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, fleetSpecs, type DeviceSpec, type EmulatorAccount } from '../../emulator/index.js'
import { expectNoSecretsShown, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, ROLLOUT_ENTRY, runAction, VERIFY_ENTRY, type RunResult } from '../support/local-runner.js'

/** One OTA minute of the emulator, and of the action through OTA_EMULATOR_MINUTE_MS (a rehearsal's scaled clock). */
const MINUTE_MS = 200

/** Products, each with its own devices (a device without productKey would be in every product). */
const PK = {
  fleet: 'a1fleet0200', // 200 good devices
  verified: 'a1verify022', // 2 test devices and 20 more, 5 of them still on 0.9.0
  failing: 'a1fail20pct', // 200 devices, every fifth fails the download
  flaky: 'a1fail05pct', // 100 devices, every twentieth fails the download
  big: 'a1big010000', // 10,000 good devices
  offline: 'a1offline30', // 30 good devices and one that never comes online
  sleepyFirst: 'a1sleepy008', // 8 devices, the first of which never comes online
  staged: 'a1staged005' // 5 good devices
}

const inProduct = (productKey: string, specs: DeviceSpec[]): DeviceSpec[] => specs.map((s) => ({ ...s, productKey }))
/**
 * The key the test reads the emulator's jobs with: the QPS limit counts per AccessKey, so reads right
 * after a run (a halt's last calls come a few a second) do not share the run's 10 a second.
 */
const READER: EmulatorAccount = { accessKeyId: 'LTAI5tRolloutTestReader', accessKeySecret: 'rollout-test-reader-secret' }
/** The key the tests publish with, for the same reason: a publish right before a rollout would share its 10 a second. */
const PUBLISHER: EmulatorAccount = { accessKeyId: 'LTAI5tRolloutTestPublisher', accessKeySecret: 'rollout-test-publisher-secret' }
const devices: DeviceSpec[] = [
  ...inProduct(PK.fleet, fleetSpecs(200, 0)),
  ...inProduct(PK.verified, [
    { name: 'test-device-1' },
    { name: 'test-device-2' },
    ...fleetSpecs(20, 0).map((s, i) => (i < 5 ? { ...s, versions: { default: '0.9.0' } } : s))
  ]),
  ...inProduct(PK.failing, fleetSpecs(200, 20)),
  ...inProduct(PK.flaky, fleetSpecs(100, 5)),
  ...inProduct(PK.big, fleetSpecs(10_000, 0)),
  ...inProduct(PK.offline, [...fleetSpecs(30, 0), { name: 'sleepy-0001', behaviour: 'offline' }]),
  ...inProduct(PK.sleepyFirst, [{ name: 'sleepy-0001', behaviour: 'offline' }, ...fleetSpecs(7, 0)]),
  ...inProduct(PK.staged, fleetSpecs(5, 0))
]

/** RAM users whose policy lacks CreateOTAStaticUpgradeJob: denied by the gateway (403 Forbidden.RAM) or by the IoT API's own code. */
const NO_STATIC_JOB: Record<string, EmulatorAccount> = {
  'Forbidden.RAM': { accessKeyId: 'LTAI5tNoStaticJob', accessKeySecret: 'no-static-job-secret', deny: ['CreateOTAStaticUpgradeJob'] },
  'iot.common.RamActionPermissionDeny': {
    accessKeyId: 'LTAI5tNoStaticJobBiz',
    accessKeySecret: 'no-static-job-biz-secret',
    deny: ['CreateOTAStaticUpgradeJob'],
    denyForm: 'business'
  }
}

const fleetEmulator = useEmulator({ devices, minuteMs: MINUTE_MS, accounts: [DEFAULT_ACCOUNT, READER, PUBLISHER, ...Object.values(NO_STATIC_JOB)] })
/**
 * The emulator the helpers talk to. A halt must come while tasks are still pending, and the action
 * spaces its calls a second apart in real time (one poll of 200 tasks is 8 calls): the halt tests
 * get a slower clock, so that their job outlasts a few polls on any machine.
 */
let emulator = fleetEmulator
let minuteMs = MINUTE_MS
let workspace: string
beforeAll(async () => {
  workspace = await makeWorkspace()
})

const connection = () => ({ 'access-key-id': DEFAULT_ACCOUNT.accessKeyId, 'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret, endpoint: emulator().url })

/** Publishes v1.2.3 of build/app.bin to the product's default module with the publish bundle. */
async function publish(productKey: string, needToVerify: boolean): Promise<string> {
  const publisher = { 'access-key-id': PUBLISHER.accessKeyId, 'access-key-secret': PUBLISHER.accessKeySecret }
  const inputs = { ...connection(), ...publisher, 'product-key': productKey, files: 'build/*.bin', 'need-to-verify': String(needToVerify) }
  const run = await runAction({ inputs, workspace, ref: 'refs/tags/v1.2.3' })
  expect(run.code).toBe(0)
  return run.outputs['firmware-id'] ?? ''
}

function rollout(productKey: string, firmwareId: string, inputs: Record<string, string>, env: Record<string, string> = {}): Promise<RunResult> {
  return runAction({
    entry: ROLLOUT_ENTRY,
    inputs: { ...connection(), 'product-key': productKey, 'firmware-id': firmwareId, ...inputs },
    workspace,
    env: { OTA_EMULATOR_MINUTE_MS: String(minuteMs), ...env },
    timeoutMs: 90_000
  })
}

/** The official SDK, to look at the emulator's jobs independently of the action's client. */
const IotClient = IotModule.default
const sdk = () => new IotClient(new $OpenApi.Config({ ...READER, endpoint: `127.0.0.1:${emulator().port}`, protocol: 'http' }))

async function tasksOf(jobId: string, taskStatus?: string): Promise<{ total: number; names: string[] }> {
  // Spaced, as the action's own calls were a moment ago: together they stay under the emulator's 10 QPS.
  await new Promise((resolve) => setTimeout(resolve, 150))
  const answer = await sdk().listOTATaskByJob(new $Iot.ListOTATaskByJobRequest({ jobId, taskStatus, currentPage: 1, pageSize: 100 }))
  expect(answer.body?.success).toBe(true)
  return { total: answer.body?.total ?? -1, names: (answer.body?.data?.simpleOTATaskInfo ?? []).map((t) => t.deviceName ?? '') }
}

/** Calls the emulator served (a throttled one, retried by the client, is not counted twice). */
const calls = (action: string) =>
  emulator()
    .state.requests()
    .filter((r) => r.action === action && !r.code?.startsWith('Throttling')).length
const createCalls = () => calls('CreateOTAStaticUpgradeJob') + calls('CreateOTADynamicUpgradeJob')

describe('the rollout action against the emulator', () => {
  it('rolls a package verified by the verify action out to all devices', async () => {
    const firmwareId = await publish(PK.verified, true)
    const verify = await runAction({
      entry: VERIFY_ENTRY,
      inputs: { ...connection(), 'product-key': PK.verified, 'firmware-id': firmwareId, devices: 'test-device-1,test-device-2' },
      workspace,
      env: { OTA_EMULATOR_MINUTE_MS: String(minuteMs) }
    })
    expect(verify.outputs.result).toBe('verified')
    expect(verify.code).toBe(0)

    const run = await rollout(PK.verified, firmwareId, { 'wait-minutes': '30' })
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    // The two test devices run the DestVersion already: the platform skips them.
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '20', failed: '0', canceled: '0' })
    const jobId = run.outputs['job-id'] ?? ''
    expect(await tasksOf(jobId, 'SUCCEEDED')).toMatchObject({ total: 20 })
    expect(run.summary).toContain(jobId)
    expect(run.summary).toContain('all devices, static job')
    expect(JSON.parse(run.outputs.json ?? '{}')).toMatchObject({ 'job-id': jobId, result: 'completed', jobStatus: 'COMPLETED', total: 20 })
  })

  it('upgrades 20 of 200 devices with gray 10%', async () => {
    const firmwareId = await publish(PK.fleet, false)
    const run = await rollout(PK.fleet, firmwareId, { selection: 'gray', 'gray-percent': '10', 'wait-minutes': '30' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '20', failed: '0' })
    expect(await tasksOf(run.outputs['job-id'] ?? '')).toMatchObject({ total: 20 })
    expect(run.summary).toContain('gray 10% of the devices')
  })

  it('a gray re-run recognises its job from the platform\'s two-decimal echo (12.5 → "12.50") and starts no second gray batch', async () => {
    const firmwareId = await publish(PK.sleepyFirst, false)
    // 12.5 % of 8 devices: the first, which never comes online, so the job stays IN_PROGRESS.
    const first = await rollout(PK.sleepyFirst, firmwareId, { selection: 'gray', 'gray-percent': '12.5', 'wait-minutes': '0' })
    expect(first.code).toBe(0)
    const jobId = first.outputs['job-id'] ?? ''
    const job = await sdk().queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId }))
    expect(job.body?.data).toMatchObject({ targetSelection: 'GRAY', grayPercent: '12.50', jobStatus: 'IN_PROGRESS' })
    const again = await rollout(PK.sleepyFirst, firmwareId, { selection: 'gray', 'gray-percent': '12.5', 'wait-minutes': '0' })
    expect(again.code).toBe(0)
    expect(again.outputs['job-id']).toBe(jobId)
    expect(again.stdout).toContain(`Job ${jobId} of this package with the same selection is still running; following it instead of starting another.`)
    expect(createCalls()).toBe(1)
    expect(await tasksOf(jobId)).toEqual({ total: 1, names: ['sleepy-0001'] })
  })

  it('upgrades the named devices only', async () => {
    const firmwareId = await publish(PK.verified, false)
    const run = await rollout(PK.verified, firmwareId, { selection: 'devices', devices: 'fleet-0007\nfleet-0008, fleet-0009', 'wait-minutes': '30' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '3' })
    expect((await tasksOf(run.outputs['job-id'] ?? '')).names.sort()).toEqual(['fleet-0007', 'fleet-0008', 'fleet-0009'])
  })

  it('upgrades only the devices on src-versions', async () => {
    const firmwareId = await publish(PK.verified, false)
    const run = await rollout(PK.verified, firmwareId, { 'src-versions': '0.9.0', 'wait-minutes': '30' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '5' })
    expect((await tasksOf(run.outputs['job-id'] ?? '')).names).toEqual(['fleet-0001', 'fleet-0002', 'fleet-0003', 'fleet-0004', 'fleet-0005'])
    expect(run.summary).toContain('all devices on 0.9.0')
  })

  it('refuses an unverified package before any job, pointing at the verify action', async () => {
    const firmwareId = await publish(PK.fleet, true)
    const run = await rollout(PK.fleet, firmwareId, { 'wait-minutes': '30' })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error title=OTA rollout.*has not been verified \(Status 0\)/)
    expect(run.stdout).toContain('verify@v1')
    expect(run.outputs.result).toBe('failed')
    expect(createCalls()).toBe(0)
  })

  it('completes a rollout whose failures stay within the budget', async () => {
    const firmwareId = await publish(PK.flaky, false)
    const run = await rollout(PK.flaky, firmwareId, { 'max-failure-percent': '10', 'wait-minutes': '60' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '95', failed: '5', canceled: '0' })
    expect(calls('CancelOTATaskByJob')).toBe(0)
    expect(run.summary).toContain('fleet-0020')
  })

  it('ends the following when wait-minutes pass, the job still running, and a re-run follows that job', async () => {
    const firmwareId = await publish(PK.offline, false)
    // The offline device keeps its task QUEUED, so the static job never completes.
    const first = await rollout(PK.offline, firmwareId, { 'wait-minutes': '2' })
    expect(first.code).toBe(0)
    expect(first.outputs.result).toBe('following-ended')
    expect(JSON.parse(first.outputs.json ?? '{}')).toMatchObject({ jobStatus: 'IN_PROGRESS', total: 31, counts: { QUEUED: 1 } })
    expect(first.summary).toContain('Following ended')
    const jobId = first.outputs['job-id'] ?? ''

    const again = await rollout(PK.offline, firmwareId, { 'wait-minutes': '10' })
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({ 'job-id': jobId, result: 'following-ended', succeeded: '30' })
    expect(again.stdout).toContain(`Job ${jobId} of this package with the same selection is still running; following it`)
    expect(again.summary).toContain('started earlier with the same selection, followed')
    expect(createCalls()).toBe(1)
  })

  it('starts a second stage only once the first has no device upgrading: no task fails', async () => {
    const firmwareId = await publish(PK.fleet, false)
    // 100 devices at ten a minute: the first stage runs for 15 minutes.
    const gray = await rollout(PK.fleet, firmwareId, { selection: 'gray', 'gray-percent': '50', 'max-per-minute': '10' })
    expect(gray.outputs.result).toBe('started')
    const all = await rollout(PK.fleet, firmwareId, { 'wait-minutes': '60' })
    expect(all.code).toBe(0)
    expect(all.stdout).toContain(`Earlier stage(s) of this package still running: ${gray.outputs['job-id'] ?? '?'}`)
    // The gray stage's 100 devices run the DestVersion by then: the second stage skips them.
    expect(all.outputs).toMatchObject({ result: 'completed', succeeded: '100', failed: '0' })
    expect(all.stdout).toContain('The earlier stage(s) have no device upgrading any more.')
    expect((await tasksOf(all.outputs['job-id'] ?? '', 'FAILED')).total).toBe(0)
    expect((await tasksOf(gray.outputs['job-id'] ?? '', 'FAILED')).total).toBe(0)
  })

  it('a schedule-time that leaves the window while waiting for an earlier stage fails before the create: no job', async () => {
    const firmwareId = await publish(PK.staged, false)
    // An earlier stage that keeps a device busy until it is released: the task waits in CONFIRM.
    const earlier = await rollout(PK.staged, firmwareId, { selection: 'devices', devices: 'fleet-0001', 'need-confirm': 'true', 'wait-minutes': '0' })
    expect(earlier.outputs.result).toBe('started')
    const earlierJob = earlier.outputs['job-id'] ?? ''
    // In the window (5 minutes to 7 days ahead, real time) when the inputs are read, for three seconds.
    const margin = 3000
    const scheduleTime = Date.now() + 5 * 60_000 + margin
    const waitsFrom = emulator().state.requests().length
    let ended = false
    const pending = rollout(PK.staged, firmwareId, { 'schedule-time': new Date(scheduleTime).toISOString(), 'wait-minutes': '0' }).finally(() => (ended = true))
    // Once the run reads the package's jobs (its inputs were accepted) and the window has closed, end the earlier stage.
    const waiting = () =>
      emulator()
        .state.requests()
        .slice(waitsFrom)
        .some((r) => r.action === 'QueryOTAJob')
    while (!ended && !waiting()) await new Promise((resolve) => setTimeout(resolve, 50))
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, scheduleTime - 5 * 60_000 - Date.now() + 100)))
    const cancel = new $Iot.CancelOTATaskByJobRequest({ jobId: earlierJob, cancelUnconfirmedTask: true })
    expect((await sdk().cancelOTATaskByJob(cancel)).body?.success).toBe(true)
    const run = await pending
    expect(run.stdout).toContain(`Earlier stage(s) of this package still running: ${earlierJob}`)
    expect(run.stdout).toContain('The earlier stage(s) have no device upgrading any more.')
    expect(run.code).toBe(1)
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error ')) ?? ''
    expect(error).toMatch(
      /^::error title=OTA rollout failed \(input schedule-time\)::Input 'schedule-time' is \S+, only 4 min \d+ s from now at \S+: the platform takes a ScheduleTime from 5 minutes to 7 days ahead, so no job was created\./
    )
    expect(error).toContain("Waiting for the earlier stage took this long. Give a later 'schedule-time' and re-run")
    expect(run.outputs).toEqual({ result: 'failed' })
    expect(createCalls()).toBe(1)
  })

  it.each(Object.entries(NO_STATIC_JOB))(
    "a RAM user refused CreateOTAStaticUpgradeJob (%s): the step fails naming the refused action and the rollout action's RAM actions",
    async (code, account) => {
      const firmwareId = await publish(PK.staged, false)
      const run = await rollout(PK.staged, firmwareId, {
        'access-key-id': account.accessKeyId,
        'access-key-secret': account.accessKeySecret,
        'wait-minutes': '10'
      })
      expect(run.code).toBe(1)
      expect(run.outputs.result).toBe('failed')
      expect(run.stdout).toContain(`::error title=OTA rollout failed (${code})::`)
      expect(run.stdout).toContain('The RAM user or role may not call CreateOTAStaticUpgradeJob: grant it iot:CreateOTAStaticUpgradeJob. ')
      expect(run.stdout).toMatch(
        /The rollout action needs iot:QueryOTAFirmware, .*iot:CancelOTATaskByDevice, .*iot:ListOTAModuleVersionsByDevice, with Resource "\*"/
      )
      expect(run.summary).toContain('iot:CreateOTADynamicUpgradeJob')
      expect(calls('CreateOTAStaticUpgradeJob')).toBe(1)
      const jobs = await sdk().listOTAJobByFirmware(new $Iot.ListOTAJobByFirmwareRequest({ firmwareId, currentPage: 1, pageSize: 10 }))
      expect(jobs.body?.data?.simpleOTAJobInfo ?? []).toHaveLength(0)
    }
  )

  it('never counts a device busy in an earlier stage against the budget', async () => {
    const firmwareId = await publish(PK.offline, false)
    // The offline device's task stays QUEUED in the first stage; nothing there is upgrading, so stage 2 starts.
    const first = await rollout(PK.offline, firmwareId, { selection: 'devices', devices: 'sleepy-0001' })
    expect(first.outputs.result).toBe('started')
    const all = await rollout(PK.offline, firmwareId, { 'max-failure-percent': '0', 'wait-minutes': '30' })
    expect(all.stdout).toContain('The earlier stage(s) have no device upgrading any more.')
    // The platform fails the busy device's new task; the budget of 0 % does not halt for it.
    const failed = await tasksOf(all.outputs['job-id'] ?? '', 'FAILED')
    expect(failed).toEqual({ total: 1, names: ['sleepy-0001'] })
    expect(all.code).toBe(0)
    expect(all.outputs).toMatchObject({ result: 'completed', succeeded: '30', failed: '1' })
    expect(calls('CancelOTATaskByJob')).toBe(0)
    expect(all.summary).not.toContain('**Failed devices**')
  })

  it('follows a 10,000-device rollout to completion reading only the counts it needs', async () => {
    const firmwareId = await publish(PK.big, false)
    const run = await rollout(PK.big, firmwareId, { 'wait-minutes': '60' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '10000' })
    const polls = calls('QueryOTAJob')
    // Each poll reads one page and one count per status (8 calls), not the 100 pages of tasks.
    expect(calls('ListOTATaskByJob')).toBeLessThanOrEqual(8 * polls)
    expect(calls('ListOTATaskByJob')).toBeLessThanOrEqual(40)
  })

  // Which inputs are refused, with what message, is unit-tested where it is decided (parseRolloutInputs,
  // parseConnection). One run shows the wiring.
  it('refuses a bad input before any request: exit 1, one annotation titled after the input with message and hint, result=failed, the failure summary', async () => {
    const run = await rollout(PK.fleet, 'someFirmwareId', { dynamic: 'true', selection: 'gray', 'gray-percent': '5' })
    const message = `Input 'selection' is "gray", but it is only allowed as all or group for a dynamic job ('dynamic: true').`
    const hint = 'A dynamic job upgrades devices by version or dynamic group, not by percentage or name.'
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([
      `::error title=OTA rollout failed (input selection)::${message}%0A${hint}`
    ])
    // No job was started: no job-id.
    expect(run.outputs).toEqual({ result: 'failed' })
    expect(run.summary).toBe(`### OTA rollout failed (input \`selection\`)\n\n${message}\n\n**What to do:** ${hint}\n`)
    expect(emulator().state.requests()).toEqual([])
  })

  it('shows no secret in the log with RUNNER_DEBUG=1', async () => {
    const firmwareId = await publish(PK.fleet, false)
    const run = await rollout(PK.fleet, firmwareId, { selection: 'gray', 'gray-percent': '10', 'wait-minutes': '30' }, { RUNNER_DEBUG: '1' })
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('::debug::')
    expectNoSecretsShown(run, [DEFAULT_ACCOUNT.accessKeySecret])
  })
})

describe('halting a rollout over its failure budget', () => {
  const SLOW_MINUTE_MS = 1000
  const slow = useEmulator({ devices: inProduct(PK.failing, fleetSpecs(200, 20)), minuteMs: SLOW_MINUTE_MS, accounts: [DEFAULT_ACCOUNT, READER, PUBLISHER] })
  beforeAll(() => {
    emulator = slow
    minuteMs = SLOW_MINUTE_MS
  })
  afterAll(() => {
    emulator = fleetEmulator
    minuteMs = MINUTE_MS
  })

  it('halts a rollout over its failure budget: tasks cancelled, the step fails with the counts and the failed devices', async () => {
    const firmwareId = await publish(PK.failing, false)
    // Ten pushes a minute, so most devices are still waiting when the budget is judged.
    const run = await rollout(PK.failing, firmwareId, { 'max-per-minute': '10', 'max-failure-percent': '5', 'wait-minutes': '60' })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('halted')
    const jobId = run.outputs['job-id'] ?? ''
    // In the emulator: the halt cancelled every task left, none is pending or upgrading any more.
    const canceled = await tasksOf(jobId, 'CANCELED')
    const failed = await tasksOf(jobId, 'FAILED')
    const succeeded = await tasksOf(jobId, 'SUCCEEDED')
    expect(canceled.total).toBeGreaterThan(0)
    expect(canceled.total + failed.total + succeeded.total).toBe(200)
    expect(run.outputs).toMatchObject({ canceled: String(canceled.total), failed: String(failed.total), succeeded: String(succeeded.total) })
    expect(calls('CancelOTATaskByJob')).toBe(1)
    // Every fifth device fails: fleet-0005, fleet-0010, …
    expect(failed.total).toBeGreaterThanOrEqual(2)
    expect(failed.names.every((n) => Number(n.slice(-4)) % 5 === 0)).toBe(true)
    const error = run.stdout.split('\n').find((l) => l.startsWith('::error ')) ?? ''
    expect(error).toMatch(
      new RegExp(`^::error title=OTA rollout failed \\(input max-failure-percent\\)::Rollout job ${jobId} halted: \\d+ of \\d+ finished devices failed`)
    )
    expect(error).toContain(`SUCCEEDED ${succeeded.total}, FAILED ${failed.total}, CANCELED ${canceled.total} of 200`)
    for (const name of failed.names.slice(0, 20)) expect(error).toContain(name)
    expect(run.stdout).toContain(`::warning::Halted job ${jobId}: cancelled ${canceled.total} unfinished task(s), now CANCELED`)
    expect(run.summary).toContain(`Cancelled, as the platform confirms: ${canceled.total} unfinished task(s), now CANCELED`)
    expect(run.summary).toContain('**Halted:**')
    expect(run.summary).toContain('step -2: download failed')
  })

  it('halts a dynamic rollout: its tasks, then its strategy (no device joins any more), and says only what the platform confirms', async () => {
    const firmwareId = await publish(PK.failing, false)
    const run = await rollout(PK.failing, firmwareId, {
      dynamic: 'true',
      'src-versions': '1.0.0',
      'max-per-minute': '10',
      'max-failure-percent': '5',
      'wait-minutes': '60'
    })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('halted')
    const jobId = run.outputs['job-id'] ?? ''
    const job = await sdk().queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId }))
    expect(job.body?.data).toMatchObject({ selectionType: 'DYNAMIC', jobStatus: 'CANCELED' })
    expect((await tasksOf(jobId, 'CANCELED')).total).toBeGreaterThan(0)
    const order = emulator()
      .state.requests()
      .map((r) => r.action)
      .filter((a) => a.startsWith('Cancel'))
    expect(order.slice(0, 2)).toEqual(['CancelOTATaskByJob', 'CancelOTAStrategyByJob'])
    expect(order.slice(2).every((a) => a === 'CancelOTATaskByDevice')).toBe(true)
    expect(run.summary).toContain('the dynamic upgrade strategy')
    // Nothing of the job is left to upgrade: what the summary calls stopped is stopped.
    for (const status of ['QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'CONFIRM']) expect((await tasksOf(jobId, status)).total).toBe(0)
    expect(run.summary).not.toContain('**Still running:**')
  })
})

describe('halting a dynamic rollout while devices keep joining it', () => {
  const JOIN_MINUTE_MS = 100
  const PK_JOINING = 'a1joining20'
  // 20 devices online from the start, every fifth failing; then one more device online each minute, which the
  // dynamic job takes in when it comes online and which stalls (stays upgrading until cancelled).
  const late = Array.from({ length: 400 }, (_, i): DeviceSpec => ({
    name: `late-${String(i + 1).padStart(4, '0')}`,
    behaviour: 'stall',
    onlineAtMinute: i + 1
  }))
  const joining = useEmulator({
    devices: inProduct(PK_JOINING, [...fleetSpecs(20, 20), ...late]),
    minuteMs: JOIN_MINUTE_MS,
    accounts: [DEFAULT_ACCOUNT, READER, PUBLISHER]
  })
  beforeAll(async () => {
    emulator = joining
    minuteMs = JOIN_MINUTE_MS
    // The describe before this one removed the file's scratch folders with its emulator.
    workspace = await makeWorkspace()
  })
  afterAll(() => {
    emulator = fleetEmulator
    minuteMs = MINUTE_MS
  })

  it('cancels the tasks created after its task cancel device by device, and reports as cancelled only what the platform shows CANCELED', async () => {
    const firmwareId = await publish(PK_JOINING, false)
    // The strategy's cancel is answered a second late: devices that come online meanwhile still join (about ten).
    emulator().faults.add({ kind: 'slow', action: 'CancelOTAStrategyByJob', delayMs: 1000, count: 1 })
    const run = await rollout(PK_JOINING, firmwareId, { dynamic: 'true', 'src-versions': '1.0.0', 'max-failure-percent': '5', 'wait-minutes': '200' })
    expect(run.code).toBe(1)
    expect(run.outputs.result).toBe('halted')
    const jobId = run.outputs['job-id'] ?? ''
    const order = emulator()
      .state.requests()
      .map((r) => r.action)
      .filter((a) => a.startsWith('Cancel'))
    expect(order.slice(0, 2)).toEqual(['CancelOTATaskByJob', 'CancelOTAStrategyByJob'])
    expect(order.length).toBeGreaterThan(2)
    expect(order.slice(2).every((a) => a === 'CancelOTATaskByDevice')).toBe(true)
    const byDevice = /Job \S+: cancelled (\d+) task\(s\) device by device after the job's own cancel\./.exec(run.stdout)
    expect(Number(byDevice?.[1])).toBeGreaterThan(0)
    // Nothing of the job is left to upgrade; what the run calls cancelled is what the platform shows CANCELED.
    for (const status of ['QUEUED', 'NOTIFIED', 'IN_PROGRESS', 'CONFIRM']) expect((await tasksOf(jobId, status)).total).toBe(0)
    const canceled = await tasksOf(jobId, 'CANCELED')
    expect(canceled.names.filter((name) => name.startsWith('late-')).length).toBeGreaterThan(0)
    expect(run.summary).toContain(
      `Cancelled, as the platform confirms: the dynamic upgrade strategy (no device joins any more); ${canceled.total} unfinished task(s), now CANCELED`
    )
    expect(run.summary).not.toContain('**Still running:**')
    expect(run.outputs.canceled).toBe(String(canceled.total))
  })
})
