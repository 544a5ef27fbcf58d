import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { paceFor } from '../../src/platform/pace.js'
import { describe, expect, it } from '@jest/globals'
import { DEFAULT_ACCOUNT, type DeviceSpec, type Emulator, type EmulatorAccount } from '../../emulator/index.js'
import { actionInputs, expectNoSecretsShown, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction, VERIFY_ENTRY, type RunResult } from '../support/local-runner.js'

/** One emulated minute: a device that succeeds does so in 6 of them (300 ms). */
const MINUTE_MS = 50
const STS_ACCOUNT: EmulatorAccount = {
  accessKeyId: 'STS.NUemulatorVerifyKey',
  accessKeySecret: 'sts-verify-secret-never-shown',
  securityToken: 'CAIS-emulator-verify-token'
}
/**
 * The key the tests publish with: the emulator's QPS limit counts per AccessKey, and a publish's calls
 * in the second before a verify run would share its 10 a second (its first poll then throttled).
 */
const PUBLISHER: EmulatorAccount = { accessKeyId: 'LTAI5tVerifyTestPublisher', accessKeySecret: 'verify-test-publisher-secret' }
const DEVICES: DeviceSpec[] = [
  { name: 'bench-ok-1' },
  { name: 'bench-ok-2' },
  { name: 'bench-bad-1', behaviour: 'fail-verify' },
  { name: 'bench-off-1', behaviour: 'offline' },
  { name: 'bench-stall-1', behaviour: 'stall' }
]
/** RAM users whose policy lacks CreateOTAVerifyJob: denied by the gateway (403 Forbidden.RAM) or by the IoT API's own code. */
const NO_VERIFY_JOB: Record<string, EmulatorAccount> = {
  'Forbidden.RAM': { accessKeyId: 'LTAI5tNoVerifyJob', accessKeySecret: 'no-verify-job-secret', deny: ['CreateOTAVerifyJob'] },
  'iot.common.RamActionPermissionDeny': {
    accessKeyId: 'LTAI5tNoVerifyJobBiz',
    accessKeySecret: 'no-verify-job-biz-secret',
    deny: ['CreateOTAVerifyJob'],
    denyForm: 'business'
  }
}
const emulator = useEmulator({ minuteMs: MINUTE_MS, devices: DEVICES, accounts: [DEFAULT_ACCOUNT, STS_ACCOUNT, PUBLISHER, ...Object.values(NO_VERIFY_JOB)] })
/** The action counts its minutes on the emulator's clock (documented in the README). */
const CLOCK_ENV = { OTA_EMULATOR_MINUTE_MS: String(MINUTE_MS) }

/** The official SDK, to read the emulator's jobs and packages independently of the action's client. */
function sdk(emu: Emulator) {
  const IotClient = IotModule.default
  const iot = new IotClient(new $OpenApi.Config({ ...DEFAULT_ACCOUNT, endpoint: `127.0.0.1:${emu.port}`, protocol: 'http' }))
  return {
    async firmware(firmwareId: string) {
      return (await iot.queryOTAFirmware(new $Iot.QueryOTAFirmwareRequest({ firmwareId }))).body?.firmwareInfo
    },
    async jobs(firmwareId: string) {
      return (
        (await iot.listOTAJobByFirmware(new $Iot.ListOTAJobByFirmwareRequest({ firmwareId, currentPage: 1, pageSize: 200 }))).body?.data?.simpleOTAJobInfo ?? []
      )
    },
    async job(jobId: string) {
      return (await iot.queryOTAJob(new $Iot.QueryOTAJobRequest({ jobId }))).body?.data
    }
  }
}

/** A package published by the bundled publish action; returns its FirmwareId. */
async function publish(overrides: Record<string, string> = {}): Promise<string> {
  const publisher = { 'access-key-id': PUBLISHER.accessKeyId, 'access-key-secret': PUBLISHER.accessKeySecret }
  const run = await runAction({ inputs: actionInputs(emulator(), { ...publisher, ...overrides }), workspace: await makeWorkspace() })
  expect(run.code).toBe(0)
  return run.outputs['firmware-id'] ?? ''
}

/** The publish inputs minus what only publish takes: the connection and the product. */
function connectionInputs(): Record<string, string> {
  const { files: _files, ...inputs } = actionInputs(emulator())
  return inputs
}

async function verify(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<RunResult> {
  return runAction({ entry: VERIFY_ENTRY, inputs: { ...connectionInputs(), ...inputs }, workspace: await makeWorkspace({}), env: { ...CLOCK_ENV, ...env } })
}

/** The API calls made since `from` requests had been recorded. */
const actionsSince = (from: number) =>
  emulator()
    .state.requests()
    .slice(from)
    .map((r) => r.action)

function expectFailedStep(run: RunResult, title: string, ...fragments: string[]): void {
  expect(run.code).toBe(1)
  expect(run.stdout).toContain(`::error title=${title}::`)
  expect(run.outputs.result).toBe('failed')
  for (const fragment of fragments) expect(run.stdout).toContain(fragment)
}

const devicesOutput = (run: RunResult) => JSON.parse(run.outputs.devices ?? 'null') as Record<string, { status: string; progress: number; message: string }>

describe('the verify action against the emulator', () => {
  it('verifies a package on two devices: result verified, Status 1, outputs, summary, notice', async () => {
    const firmwareId = await publish()
    const before = emulator().state.requests().length
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1\nbench-ok-2', 'timeout-minutes': '20' })
    const calls = emulator().state.requests().slice(before)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)

    const jobs = await sdk(emulator()).jobs(firmwareId)
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({ jobType: 'VERIFY_FIRMWARE', jobStatus: 'COMPLETED' })
    const jobId = jobs[0]?.jobId ?? 'missing'
    expect((await sdk(emulator()).job(jobId))?.timeoutInMinutes).toBe(20)
    const firmware = await sdk(emulator()).firmware(firmwareId)
    expect([firmware?.status, firmware?.verifyProgress]).toEqual([1, 100])

    const devices = { 'bench-ok-1': { status: 'SUCCEEDED', progress: 100, message: '' }, 'bench-ok-2': { status: 'SUCCEEDED', progress: 100, message: '' } }
    expect(run.outputs).toMatchObject({ 'job-id': jobId, result: 'verified', succeeded: '2', failed: '0' })
    expect(devicesOutput(run)).toEqual(devices)
    expect(JSON.parse(run.outputs.json ?? '{}')).toEqual({ 'job-id': jobId, result: 'verified', succeeded: '2', failed: '0', devices })

    expect(run.summary).toContain('| bench-ok-1 | SUCCEEDED | 100% | 1.0.0 → 1.2.3 |  |')
    expect(run.summary).toContain('| bench-ok-2 | SUCCEEDED | 100% | 1.0.0 → 1.2.3 |  |')
    expect(run.summary).toContain('Package verification status: **1 verified** (VerifyProgress 100%)')
    expect(run.summary).toContain('Next: start a batch upgrade')
    expect(run.stdout).toContain(`::notice title=OTA verify::Package ${firmwareId}: verified (verify job ${jobId}).`)
    expect(run.stdout).toContain('bench-ok-1: SUCCEEDED 100%')

    expect(calls.slice(0, 3).map((r) => r.action)).toEqual(['QueryOTAFirmware', 'ListOTAJobByFirmware', 'CreateOTAVerifyJob'])
    expect(calls.map((r) => r.action).filter((a) => a === 'CreateOTAVerifyJob')).toHaveLength(1)
    expect(calls.every((r) => r.status === 200)).toBe(true)
    // Calls spaced as the platform's clock allows (a second on a real one; on the emulator's scaled
    // clock never closer than its real-time 10 QPS allows), a little slack for the network.
    const spacing = paceFor(MINUTE_MS).jobCallSpacingMs
    expect(spacing).toBeGreaterThanOrEqual(100)
    // Arrival times carry the transport's jitter: no gap under half the spacing, and the spacing on average.
    const gaps = calls.slice(1).map((c, i) => (c.at ?? 0) - (calls[i]?.at ?? 0))
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(spacing / 2)
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThanOrEqual(spacing - 20)
  })

  it('fails the step when a device fails, naming it and what it reported', async () => {
    const firmwareId = await publish()
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1, bench-bad-1' })
    const [job] = await sdk(emulator()).jobs(firmwareId)
    expectFailedStep(
      run,
      'OTA verify failed',
      `Verification failed in verify job ${job?.jobId}: bench-bad-1 FAILED (step -3: verification (checksum/signature) failed).`
    )
    expect(run.outputs).toMatchObject({ 'job-id': job?.jobId, succeeded: '1', failed: '1' })
    expect(devicesOutput(run)['bench-bad-1']).toEqual({ status: 'FAILED', progress: 100, message: 'step -3: verification (checksum/signature) failed' })
    expect(run.summary).toContain('| bench-bad-1 | FAILED | 100% | 1.0.0 → 1.2.3 | step -3: verification (checksum/signature) failed |')
    expect(run.summary).toContain('| bench-ok-1 | SUCCEEDED | 100% |')
    expect(run.summary).toContain('Package verification status: **3 verification failed**')
    expect((await sdk(emulator()).firmware(firmwareId))?.status).toBe(3)
  })

  it('fails once wait-minutes have passed, naming the device that never reported, while the job runs on', async () => {
    const firmwareId = await publish()
    const before = emulator().state.requests().length
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-off-1\nbench-ok-1', 'timeout-minutes': '5', 'wait-minutes': '80' })
    const calls = emulator().state.requests().slice(before)
    const [job] = await sdk(emulator()).jobs(firmwareId)
    expectFailedStep(
      run,
      'OTA verify failed (input wait-minutes)',
      `1 device(s) of verify job ${job?.jobId} never reported progress within 80 minutes: bench-off-1.`
    )
    expect(devicesOutput(run)).toMatchObject({ 'bench-off-1': { status: 'QUEUED', progress: 0 }, 'bench-ok-1': { status: 'SUCCEEDED' } })
    expect(run.summary).toContain('| bench-off-1 | QUEUED | 0% |')
    expect(run.summary).toContain('Devices that never reported within 80 minutes: bench-off-1.')
    // The job's timeout never started for the offline device: only wait-minutes ended the step.
    expect(job?.jobStatus).toBe('IN_PROGRESS')
    expect((await sdk(emulator()).firmware(firmwareId))?.status).toBe(2)
    // It did wait: it polled until wait-minutes had passed since the job was created (slack for the network).
    const created = calls.find((r) => r.action === 'CreateOTAVerifyJob')?.at ?? Infinity
    expect((calls.at(-1)?.at ?? 0) - created).toBeGreaterThanOrEqual(80 * MINUTE_MS - 100)
  })

  it('reports a stalled device FAILED by the job timeout', async () => {
    const firmwareId = await publish()
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-stall-1', 'timeout-minutes': '3' })
    const [job] = await sdk(emulator()).jobs(firmwareId)
    expectFailedStep(run, 'OTA verify failed', `Verification failed in verify job ${job?.jobId}: bench-stall-1 FAILED (timeout`)
    expect(run.stdout).not.toContain('(input wait-minutes)')
    expect(devicesOutput(run)['bench-stall-1']).toMatchObject({ status: 'FAILED', progress: 40, message: expect.stringMatching(/^timeout/) })
    expect(run.summary).toMatch(/\| bench-stall-1 \| FAILED \| 40% \| 1\.0\.0 → 1\.2\.3 \| timeout[^|]*TimeoutInMinutes/)
    expect(job?.jobStatus).toBe('COMPLETED')
    expect((await sdk(emulator()).job(job?.jobId ?? ''))?.timeoutInMinutes).toBe(3)
  })

  it('with wait false starts the job, reports its id and reads no task', async () => {
    const firmwareId = await publish()
    const before = emulator().state.requests().length
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-off-1', wait: 'false' })
    const calls = actionsSince(before)
    expect(run.code).toBe(0)
    const jobs = await sdk(emulator()).jobs(firmwareId)
    expect(jobs).toHaveLength(1)
    expect(run.outputs).toMatchObject({ result: 'started', 'job-id': jobs[0]?.jobId, devices: '{}' })
    expect(calls).toEqual(['QueryOTAFirmware', 'ListOTAJobByFirmware', 'CreateOTAVerifyJob', 'QueryOTAFirmware'])
    expect(run.stdout).toContain(`::notice title=OTA verify::Package ${firmwareId}: started (verify job ${jobs[0]?.jobId}).`)
    expect(run.summary).toContain('Package verification status: **2 verifying**')
    expect(run.summary).toContain('`wait: false`')
  })

  it('a re-run while the job is running follows it instead of starting another', async () => {
    const firmwareId = await publish()
    const first = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1\nbench-off-1', wait: 'false' })
    expect(first.outputs.result).toBe('started')
    const before = emulator().state.requests().length
    const rerun = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1\nbench-off-1', 'wait-minutes': '20' })
    expect(actionsSince(before)).not.toContain('CreateOTAVerifyJob')
    const jobs = await sdk(emulator()).jobs(firmwareId)
    expect(jobs).toHaveLength(1)
    expect(rerun.outputs['job-id']).toBe(first.outputs['job-id'])
    expect(rerun.stdout).toContain(`Following verify job ${first.outputs['job-id']}, started earlier for this package.`)
    expect(rerun.summary).toContain('started earlier for this package, followed by this run')
    // The followed job's devices, read from its tasks: the offline one is still waiting.
    expectFailedStep(rerun, 'OTA verify failed (input wait-minutes)', 'never reported progress within 20 minutes: bench-off-1.')
    expect(devicesOutput(rerun)['bench-ok-1']?.status).toBe('SUCCEEDED')
  })

  it('a re-run after the package was verified creates no job and reports the earlier one', async () => {
    const firmwareId = await publish()
    const first = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1' })
    expect(first.outputs.result).toBe('verified')
    const before = emulator().state.requests().length
    const rerun = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1' })
    expect(rerun.code).toBe(0)
    expect(actionsSince(before)).not.toContain('CreateOTAVerifyJob')
    expect(await sdk(emulator()).jobs(firmwareId)).toHaveLength(1)
    expect(rerun.outputs).toMatchObject({ result: 'verified', 'job-id': first.outputs['job-id'], succeeded: '1', failed: '0' })
    expect(rerun.stdout).toContain(`is verified already (job ${first.outputs['job-id']}); no new job.`)
    expect(rerun.summary).toContain('the verification that verified the package')
    expect(rerun.summary).toContain('| bench-ok-1 | SUCCEEDED | 100% |')
  })

  it('a failure after the job was created still names the job, in the error and the job-id output', async () => {
    const firmwareId = await publish()
    emulator().faults.add({ kind: 'throttle', action: 'ListOTATaskByJob', count: 5 })
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1', 'max-attempts': '2' })
    const [job] = await sdk(emulator()).jobs(firmwareId)
    expect(job?.jobId).toBeDefined()
    expectFailedStep(run, 'OTA verify failed (Throttling.User)', `(job ${job?.jobId} was started and may still be running)`)
    expect(run.outputs['job-id']).toBe(job?.jobId)
    expect(run.summary).toContain(`job ${job?.jobId} was started`)
  })

  it('retries polls the platform throttles', async () => {
    const firmwareId = await publish()
    emulator().faults.add({ kind: 'throttle', action: 'ListOTATaskByJob', count: 2 })
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1' })
    expect(run.code).toBe(0)
    expect(run.outputs.result).toBe('verified')
    const polls = emulator()
      .state.requests()
      .filter((r) => r.action === 'ListOTATaskByJob')
    expect(polls.map((r) => r.status)).toEqual([400, 400, 200])
    expect(polls.slice(0, 2).map((r) => r.code)).toEqual(['Throttling.User', 'Throttling.User'])
    expect(run.stdout).toMatch(/::warning::ListOTATaskByJob: attempt 1 of 5 failed \(.*Throttling\.User/)
    expect(run.stdout).toMatch(/::warning::ListOTATaskByJob: attempt 2 of 5 failed \(.*Throttling\.User/)
  })

  it('shows no secret with debug logging on (credentials from the environment, an STS token)', async () => {
    const firmwareId = await publish()
    const { 'access-key-id': _id, 'access-key-secret': _secret, ...inputs } = connectionInputs()
    const run = await runAction({
      entry: VERIFY_ENTRY,
      inputs: { ...inputs, 'firmware-id': firmwareId, devices: 'bench-ok-1\nbench-bad-1' },
      workspace: await makeWorkspace({}),
      env: {
        ...CLOCK_ENV,
        RUNNER_DEBUG: '1',
        ALIBABA_CLOUD_ACCESS_KEY_ID: STS_ACCOUNT.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: STS_ACCOUNT.accessKeySecret,
        ALIBABA_CLOUD_SECURITY_TOKEN: STS_ACCOUNT.securityToken ?? ''
      }
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::debug::CreateOTAVerifyJob: HTTP 200/)
    expect(
      emulator()
        .state.requests()
        .filter((r) => r.action === 'CreateOTAVerifyJob')
        .map((r) => r.accessKeyId)
    ).toEqual([STS_ACCOUNT.accessKeyId])
    expectNoSecretsShown(run, [STS_ACCOUNT.accessKeySecret, STS_ACCOUNT.securityToken ?? ''])
  })

  it('fails naming the input when a DeviceName is not a device of the product, creating nothing', async () => {
    const firmwareId = await publish()
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1\nbench-gone-9' })
    expectFailedStep(run, 'OTA verify failed (iot.ota.DeviceNotExist)', 'bench-gone-9', "Every DeviceName in 'devices' must be a device of the product")
    expect(await sdk(emulator()).jobs(firmwareId)).toHaveLength(0)
  })

  it.each(Object.entries(NO_VERIFY_JOB))(
    "a RAM user refused CreateOTAVerifyJob (%s): the step fails naming the refused action and the verify action's RAM actions",
    async (code, account) => {
      const firmwareId = await publish()
      const run = await verify({
        'firmware-id': firmwareId,
        devices: 'bench-ok-1',
        'access-key-id': account.accessKeyId,
        'access-key-secret': account.accessKeySecret
      })
      expectFailedStep(
        run,
        `OTA verify failed (${code})`,
        'The RAM user or role may not call CreateOTAVerifyJob: grant it iot:CreateOTAVerifyJob. ',
        'The verify action needs iot:QueryOTAFirmware, iot:ListOTAJobByFirmware, iot:CreateOTAVerifyJob, iot:QueryOTAJob and iot:ListOTATaskByJob, with Resource "*"'
      )
      expect(run.summary).toContain('iot:ListOTATaskByJob')
      // Refused once (a permission is not retried), and no job exists.
      expect(actionsSince(0).filter((a) => a === 'CreateOTAVerifyJob')).toHaveLength(1)
      expect(await sdk(emulator()).jobs(firmwareId)).toHaveLength(0)
    }
  )

  it('reports a package published with NeedToVerify=false as not-needed, without a job, even with devices given', async () => {
    const firmwareId = await publish({ 'need-to-verify': 'false' })
    const before = emulator().state.requests().length
    const run = await verify({ 'firmware-id': firmwareId, devices: 'bench-ok-1' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'not-needed', 'job-id': '', succeeded: '0', failed: '0', devices: '{}' })
    expect(actionsSince(before)).toEqual(['QueryOTAFirmware', 'ListOTAJobByFirmware'])
    expect(await sdk(emulator()).jobs(firmwareId)).toHaveLength(0)
    expect((await sdk(emulator()).firmware(firmwareId))?.status).toBe(-1)
    expect(run.stdout).toContain(`::notice title=OTA verify::Package ${firmwareId} needs no verification (NeedToVerify=false).`)
    expect(run.summary).toContain('**-1 no verification needed**')
  })
})

describe('the verify action refuses bad inputs before any request', () => {
  // Which inputs are refused, with what message, is unit-tested where it is decided (parseVerifyInputs,
  // parseConnection, readPlatformMinute). One run shows the wiring.
  it('a refused input: exit 1, one annotation titled after the input with message and hint, result=failed, the failure summary, no request', async () => {
    const run = await verify({ 'firmware-id': 'NoSuchFirmware0100', devices: 'bench-ok-1', 'access-key-secret': '' })
    const message = "Input 'access-key-secret' is not set and neither is ALIBABA_CLOUD_ACCESS_KEY_SECRET nor ALICLOUD_SECRET_KEY."
    const hint = 'Pass it from a secret (`access-key-secret: ${{ secrets.ALIYUN_... }}`) or run aliyun/configure-aliyun-credentials-action before this step.'
    expect(run.code).toBe(1)
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error'))).toEqual([
      `::error title=OTA verify failed (input access-key-secret)::${message}%0A${hint}`
    ])
    // No job was started: no job-id.
    expect(run.outputs).toEqual({ result: 'failed' })
    expect(run.summary).toBe(`### OTA verify failed (input \`access-key-secret\`)\n\n${message}\n\n**What to do:** ${hint}\n`)
    expect(emulator().state.requests()).toEqual([])
  })
})
