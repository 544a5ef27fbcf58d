/**
 * The rollout plan at scale, for `npm run bench`: the same stage of 1,000 devices started and followed
 * in a fleet of 1,000 and in one of 100,000, the fleet read with QueryDevice or from a fleet-file.
 * Measured: the calls the emulator answered, by operation; the wall time; the action's peak RSS.
 * Targets: following costs the same calls in both fleets (nothing while following grows with the
 * fleet), and the action stays under 200 MB. The action runs at the real platform's pace (10 QPS).
 */
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_ACCOUNT, fleetSpecs, startEmulator, type DeviceSpec, type Emulator } from '../emulator/index.js'
import { makeWorkspace, ROLLOUT_ENTRY, runAction } from '../__tests__/support/local-runner.js'

export const PLAN_TARGET = { rssBytes: 200 * 1000 * 1000 }
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined
/** Devices of the stage measured, in either fleet. */
const STAGE_DEVICES = 1000

export type FleetSource = 'query' | 'file'

export interface PlanStep {
  readonly wallMs: number
  /** Requests the emulator answered during the run, by operation (OSS's PostObject of the device list included). */
  readonly calls: Readonly<Record<string, number>>
  readonly total: number
  readonly throttled: number
  readonly maxRss?: number
  readonly result: string
}

export interface PlanCase {
  readonly fleet: number
  readonly source: FleetSource
  /** The plan's stages: the first is 1,000 devices of this fleet. */
  readonly stages: string
  readonly start: PlanStep
  readonly follow: PlanStep
}

const product = (fleet: number) => `a1bplan${String(fleet).padStart(6, '0')}`

/** One run of the rollout action, measured; the emulator's requests it caused, by operation. */
async function measuredRun(emulator: Emulator, workspace: string, inputs: Record<string, string>): Promise<PlanStep> {
  const statFile = TIME && join(tmpdir(), `bench-plan-${process.pid}-${Math.random().toString(36).slice(2)}`)
  const before = emulator.state.requests().length
  const started = performance.now()
  const run = await runAction({
    entry: ROLLOUT_ENTRY,
    workspace,
    inputs,
    prefix: statFile ? [TIME as string, '-f', '%M', '-o', statFile] : undefined,
    timeoutMs: 3_600_000
  })
  const wallMs = performance.now() - started
  const requests = emulator.state.requests().slice(before)
  if (run.code !== 0) throw new Error(`the rollout action failed (exit ${run.code}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-2000)}`)
  const calls: Record<string, number> = {}
  for (const r of requests) calls[r.action] = (calls[r.action] ?? 0) + 1
  const rssKiB = statFile ? Number(/(\d+)\s*$/.exec(await readFile(statFile, 'utf8').catch(() => ''))?.[1]) : Number.NaN
  if (statFile) await rm(statFile, { force: true })
  const throttled = requests.filter((r) => r.code?.startsWith('Throttling') === true).length
  return { wallMs, calls, total: requests.length, throttled, maxRss: Number.isNaN(rssKiB) ? undefined : rssKiB * 1024, result: run.outputs.result ?? '' }
}

/** Starts the plan (one run, as a release workflow would), then follows its first stage (a second run, as a scheduled one). */
async function benchCase(emulator: Emulator, fleet: number, source: FleetSource, log: (line: string) => void): Promise<PlanCase> {
  emulator.reset()
  const firmwareId = emulator.state.firmwares().find((f) => f.ProductKey === product(fleet))?.FirmwareId ?? ''
  const workspace = await makeWorkspace({})
  if (source === 'file')
    await writeFile(
      join(workspace, 'fleet.txt'),
      `${fleetSpecs(fleet, 0)
        .map((d) => d.name)
        .join('\n')}\n`
    )
  // The first stage is 1,000 devices in either fleet; ten pushes a minute keep it running while it is followed.
  const stages = fleet === STAGE_DEVICES ? '100' : `${(STAGE_DEVICES / fleet) * 100}, 100`
  const inputs = {
    'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
    'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
    endpoint: emulator.url,
    'product-key': product(fleet),
    'firmware-id': firmwareId,
    stages,
    'max-per-minute': '10',
    'wait-minutes': '0',
    ...(source === 'file' && { 'fleet-file': 'fleet.txt' })
  }
  log(`  fleet ${fleet.toLocaleString('en')} (${source === 'query' ? 'QueryDevice' : 'fleet-file'}), stages ${stages}: starting stage 1…`)
  const start = await measuredRun(emulator, workspace, inputs)
  const follow = await measuredRun(emulator, workspace, inputs)
  log(`    start ${start.total} calls, ${(start.wallMs / 1000).toFixed(1)} s; follow ${follow.total} calls, ${(follow.wallMs / 1000).toFixed(1)} s`)
  await rm(workspace, { recursive: true, force: true })
  return { fleet, source, stages, start, follow }
}

/** Every case: fleets of 1,000 and `largeFleet`, each read both ways (`sources`). */
export async function benchPlan(largeFleet: number, sources: readonly FleetSource[], log: (line: string) => void): Promise<PlanCase[]> {
  const fleets = [STAGE_DEVICES, largeFleet]
  const devices: DeviceSpec[] = fleets.flatMap((fleet) => fleetSpecs(fleet, 0).map((d) => ({ ...d, productKey: product(fleet) })))
  const seedFirmwares = fleets.map((fleet) => ({ FirmwareName: `plan-${fleet}`, DestVersion: '2.0.0', ProductKey: product(fleet), NeedToVerify: false }))
  // A minute of 1 s: the stage's pushes, ten a minute, outlast both runs.
  const emulator = await startEmulator({ port: 0, devices, seedFirmwares, minuteMs: 1000 })
  const cases: PlanCase[] = []
  try {
    for (const source of sources) for (const fleet of fleets) cases.push(await benchCase(emulator, fleet, source, log))
  } finally {
    await emulator.close()
  }
  return cases
}

const callList = (step: PlanStep) =>
  Object.entries(step.calls)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([action, n]) => `${action} ${n}`)
    .join(', ')

/** Where a target is missed, in words: following that costs more in the larger fleet, or an RSS over the limit. */
export function planMisses(cases: readonly PlanCase[]): string[] {
  const misses: string[] = []
  for (const c of cases) {
    for (const step of [c.start, c.follow])
      if (step.maxRss !== undefined && step.maxRss >= PLAN_TARGET.rssBytes) misses.push(`plan, fleet ${c.fleet}: RSS ${(step.maxRss / 1e6).toFixed(1)} MB`)
    const small = cases.find((o) => o.source === c.source && o.fleet < c.fleet)
    if (small && c.follow.total - c.follow.throttled > small.follow.total - small.follow.throttled)
      misses.push(`plan, ${c.source}: following costs ${c.follow.total} calls at ${c.fleet} devices against ${small.follow.total} at ${small.fleet}`)
  }
  return misses
}

/** The Markdown table of BENCHMARKS.md. */
export function planTable(cases: readonly PlanCase[]): string {
  const mb = (b?: number) => (b === undefined ? '–' : `${(b / 1e6).toFixed(1)} MB`)
  const rows = cases.map((c) =>
    [
      c.fleet.toLocaleString('en'),
      c.source === 'query' ? 'QueryDevice' : '`fleet-file`',
      `${c.start.total} (${callList(c.start)})`,
      `${(c.start.wallMs / 1000).toFixed(1)} s`,
      mb(c.start.maxRss),
      `${c.follow.total} (${callList(c.follow)})`,
      `${(c.follow.wallMs / 1000).toFixed(1)} s`,
      mb(c.follow.maxRss)
    ].join(' | ')
  )
  return [
    '| fleet | read with | start: calls | start: wall | start: peak RSS | follow: calls | follow: wall | follow: peak RSS |',
    '| ---: | --- | --- | ---: | ---: | --- | ---: | ---: |',
    ...rows.map((r) => `| ${r} |`)
  ].join('\n')
}
