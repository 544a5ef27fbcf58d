import { describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT, fleetSpecs } from '../../emulator/index.js'
import { expectNoSecretsShown } from '../support/emulator-harness.js'
import { inProduct, usePlanHarness } from '../support/plan-harness.js'

/** One emulated minute: a device upgrades in six of them. */
const MINUTE_MS = 40

const PK = { fleet: 'a1plan00400', file: 'a1planfile1' }
const { emulator, workspaceDir, publish, plan, jobsOf, stageJobs, devicesOf, calls } = usePlanHarness({
  devices: [...inProduct(PK.fleet, fleetSpecs(400, 0)), ...inProduct(PK.file, fleetSpecs(60, 0))],
  minuteMs: MINUTE_MS
})

describe('a rollout plan in four stages on 400 devices', () => {
  it('is advanced by successive runs with nothing carried between them: disjoint cohorts, the shares, every job tagged, one job a stage', async () => {
    const firmwareId = await publish(PK.fleet)
    const stages = { stages: '1, 10, 50, 100' }
    // Each run does the next thing and stops (wait-minutes 0): start a stage, or judge it and start the next.
    const results: string[] = []
    for (let run = 0; run < 12 && results.at(-1) !== 'completed'; run++) {
      const r = await plan(PK.fleet, firmwareId, { ...stages, 'wait-minutes': run % 2 === 0 ? '0' : '10' })
      expect(r.code).toBe(0)
      results.push(r.outputs.result ?? '')
    }
    expect(results.at(-1)).toBe('completed')
    const jobs = await stageJobs(firmwareId)
    expect(jobs.map((j) => j.tags['ota.stage']).sort()).toEqual(['1', '2', '3', '4'])
    const cohorts: string[][] = []
    for (const job of [...jobs].sort((a, b) => Number(a.tags['ota.stage']) - Number(b.tags['ota.stage']))) cohorts.push(await devicesOf(job.jobId))
    expect(cohorts.map((c) => c.length)).toEqual([4, 36, 160, 200])
    expect(new Set(cohorts.flat()).size).toBe(400)
    for (const job of jobs)
      expect(job.tags).toMatchObject({ 'ota.plan': expect.stringMatching(/^[0-9a-f]{16}$/), 'ota.kind': 'stage', 'ota.part': '1/1', 'ota.gen': '1' })
    // The pass of each stage but the last is recorded as a marker that touched no device.
    const markers = (await jobsOf(firmwareId)).filter((j) => j.tags['ota.kind'] === 'pass')
    expect(markers.map((m) => m.status)).toEqual(markers.map(() => 'CANCELED'))
    for (const marker of markers) expect(await devicesOf(marker.jobId)).toEqual([])
    const last = await plan(PK.fleet, firmwareId, { ...stages, operation: 'status' })
    expect(last.outputs).toMatchObject({ result: 'status', stage: '4', stages: '4', succeeded: '400', failed: '0' })
    expect(JSON.parse(last.outputs['job-ids'] ?? '[]')).toEqual(
      [...jobs].sort((a, b) => Number(a.tags['ota.stage']) - Number(b.tags['ota.stage'])).map((j) => j.jobId)
    )
  })

  it('creates one job for a stage whose create answer was lost, found by its tags', async () => {
    const firmwareId = await publish(PK.fleet)
    emulator().faults.add({ kind: 'lost-answer', action: 'CreateOTAStaticUpgradeJob', count: 1 })
    const run = await plan(PK.fleet, firmwareId, { stages: '1, 100' })
    expect(run.code).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'stage-started', stage: '1' })
    expect(calls('CreateOTAStaticUpgradeJob')).toBe(1)
    expect((await stageJobs(firmwareId)).length).toBe(1)
    expect(run.stdout).toContain('CreateOTAStaticUpgradeJob had taken effect before its answer was lost')
  })

  it('takes its fleet from fleet-file', async () => {
    const firmwareId = await publish(PK.file)
    const names = fleetSpecs(60, 0).map((s) => s.name)
    await writeFile(join(workspaceDir(), 'fleet.txt'), `# the canary fleet\n${names.slice(0, 20).join('\n')}\n`)
    const run = await plan(PK.file, firmwareId, { stages: '50, 100', 'fleet-file': 'fleet.txt', 'wait-minutes': '2000' })
    expect(run.outputs).toMatchObject({ result: 'completed', succeeded: '20' })
    expect(calls('QueryDevice')).toBe(0)
    const devices: string[] = []
    for (const job of await stageJobs(firmwareId)) devices.push(...(await devicesOf(job.jobId)))
    devices.sort()
    expect(devices).toEqual(names.slice(0, 20).sort())
  })

  it('shows no DeviceSecret, signature or signed form in the log with RUNNER_DEBUG=1', async () => {
    const firmwareId = await publish(PK.fleet)
    // 400 devices: QueryDevice's answers carry every DeviceSecret; stage 2 (360) goes as a device-list file.
    const run = await plan(
      PK.fleet,
      firmwareId,
      { stages: '10, 100', 'wait-minutes': '2000', 'health-check': 'online', 'health-sample': '20' },
      { RUNNER_DEBUG: '1' }
    )
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('::debug::QueryDevice')
    expect(run.stdout).toContain('::debug::GenerateDeviceNameListURL')
    expect(run.stdout).toContain('::debug::BatchGetDeviceState')
    expectNoSecretsShown(run, [DEFAULT_ACCOUNT.accessKeySecret])
    const everything = [run.stdout, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n')
    expect(everything).not.toMatch(/DeviceSecret|deviceSecret/)
  })

  // Which plan inputs are refused is unit-tested where it is decided (readPlanSettings); one run shows the wiring.
  it('refuses a bad plan input before any request, naming the input, the value and what is allowed', async () => {
    const run = await plan(PK.fleet, 'someFirmwareId', { stages: '50, 10' })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /^::error title=OTA rollout failed \(input stages\)::Input 'stages' is "50, 10": stage 2 \(10\) is not above stage 1 \(50\).+e\.g\. 1, 10, 50, 100/m
    )
    expect(run.outputs).toEqual({ result: 'failed' })
    expect(run.summary).toContain('### OTA rollout failed (input `stages`)')
    expect(emulator().state.requests()).toEqual([])
  })
})
