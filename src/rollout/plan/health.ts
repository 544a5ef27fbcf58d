/**
 * The health gate, judged as canary analysis is: a sample of the stage's upgraded devices against
 * an equal sample of the fleet not targeted yet (the control group), so ordinary churn (sleeping
 * battery devices, a region's network) shows in both and does not halt a good release. A device
 * is unhealthy when it is not ONLINE, or (with `version`) when the package's module reports another
 * version than its DestVersion after the task succeeded. The control group is judged online only.
 */
import type { JobDeps } from '../../jobs/deps.js'
import { readTasks } from '../../jobs/tasks.js'
import { inChunks, deviceHash } from './cohorts.js'
import type { PlanContext } from './context.js'
import type { HealthCheck } from './inputs.js'
import { devicePages, isActive } from './fleet.js'
import type { StageRecord } from './state.js'

/** BatchGetDeviceState takes at most 50 devices a call. */
const STATES_PER_CALL = 50
/** Pages of devices (50 each) read at most for a control group: its sample twenty times over, enough at a late stage where a tenth is left. */
const CONTROL_PAGES_PER_SAMPLE = 20 / 50
/** Fewer devices than this in the control group, and the comparison would mean little: the health is not judged. */
export const CONTROL_MIN = 10

export interface HealthGroup {
  readonly checked: number
  /** Unhealthy devices, each with why (`OFFLINE`, `reports 1.0.0`). */
  readonly unhealthy: readonly { readonly name: string; readonly why: string }[]
  readonly percent: number
}

export interface HealthVerdict {
  readonly check: Exclude<HealthCheck, 'none'>
  readonly cohort: HealthGroup
  readonly control: HealthGroup
  /** Points by which the cohort's unhealthy share exceeds the control's. */
  readonly excess: number
  readonly exceeded: boolean
}

/** The `n` names of smallest rank hash: the same sample on every run, whatever order they were read in. */
export function sampleByHash(seed: string, names: readonly string[], n: number): string[] {
  return names
    .map((name) => ({ name, hash: deviceHash(seed, name) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    .slice(0, n)
    .map((d) => d.name)
}

function group(checked: number, unhealthy: { name: string; why: string }[]): HealthGroup {
  return { checked, unhealthy, percent: checked === 0 ? 0 : (unhealthy.length / checked) * 100 }
}

/** The verdict from both groups' findings. Pure. */
export function judgeHealth(
  check: Exclude<HealthCheck, 'none'>,
  cohort: { checked: number; unhealthy: { name: string; why: string }[] },
  control: { checked: number; unhealthy: { name: string; why: string }[] },
  maxUnhealthyPercent: number
): HealthVerdict {
  const c = group(cohort.checked, cohort.unhealthy)
  const k = group(control.checked, control.unhealthy)
  const excess = c.percent - k.percent
  return { check, cohort: c, control: k, excess, exceeded: c.checked > 0 && excess > maxUnhealthyPercent }
}

/** The sample's states: each device's Status (a device the answer leaves out reads as unknown). */
async function statesOf(ctx: PlanContext, names: readonly string[], deps: Pick<JobDeps, 'api'>): Promise<Map<string, string>> {
  const states = new Map<string, string>()
  for (const chunk of inChunks(names, STATES_PER_CALL)) for (const s of await deps.api.deviceStates(ctx.productKey, chunk)) states.set(s.DeviceName, s.Status)
  return states
}

/** A group's devices that can be judged (never activated or disabled ones cannot): those ONLINE, and the others with their state. */
function judged(names: readonly string[], states: Map<string, string>): { checked: number; online: string[]; offline: { name: string; why: string }[] } {
  const checked = names.filter((name) => isActive(states.get(name)))
  const online = checked.filter((name) => states.get(name) === 'ONLINE')
  const offline = checked.filter((name) => states.get(name) !== 'ONLINE').map((name) => ({ name, why: states.get(name) ?? 'UNKNOWN' }))
  return { checked: checked.length, online, offline }
}

/** Devices of the sample whose module reports another version than the package's DestVersion. */
async function rolledBack(ctx: PlanContext, names: readonly string[], module: { name: string; version: string }, deps: Pick<JobDeps, 'api'>) {
  const wrong: { name: string; why: string }[] = []
  for (const name of names) {
    const reported = (await deps.api.moduleVersions(ctx.productKey, name)).find((m) => m.ModuleName === module.name)?.ModuleVersion
    if (reported !== module.version) wrong.push({ name, why: `reports ${reported ?? 'no version'} for module ${module.name}` })
  }
  return wrong
}

/** A sample of the stage's SUCCEEDED devices (the pages needed for the sample, a few more to draw from). */
async function cohortSample(ctx: PlanContext, record: StageRecord, deps: Pick<JobDeps, 'api'>): Promise<string[]> {
  const sample = ctx.settings.health.sample
  const pages = Math.ceil((sample * 2) / 100)
  const names: string[] = []
  for (const job of record.jobs) names.push(...(await readTasks(deps, job.jobId, 'SUCCEEDED', pages)).map((t) => t.DeviceName))
  return sampleByHash(ctx.plan, names, sample)
}

/**
 * A sample of the devices the plan has not targeted yet (ranked above the stage's edge), active
 * ones only: from fleet-file, or from as many QueryDevice pages as it takes, within a bound.
 */
async function controlSample(ctx: PlanContext, record: StageRecord, fleetFile: readonly string[] | undefined, deps: Pick<JobDeps, 'api'>): Promise<string[]> {
  const sample = ctx.settings.health.sample
  const untargeted = (name: string) => record.edge !== undefined && deviceHash(ctx.firmwareId, name) > record.edge
  if (fleetFile !== undefined) return sampleByHash(ctx.plan, fleetFile.filter(untargeted), sample)
  const found: string[] = []
  for await (const devices of devicePages(ctx.productKey, deps, Math.ceil(sample * CONTROL_PAGES_PER_SAMPLE) + 1)) {
    found.push(...devices.filter((d) => isActive(d.DeviceStatus) && untargeted(d.DeviceName)).map((d) => d.DeviceName))
    if (found.length >= sample * 2) break
  }
  return sampleByHash(ctx.plan, found, sample)
}

/**
 * Checks the stage's upgraded devices against the control group, in a bounded number of calls
 * (the samples, never the cohort): states 50 a call, versions one device a call.
 */
export async function checkHealth(
  ctx: PlanContext,
  record: StageRecord,
  module: { name: string; version: string },
  fleetFile: readonly string[] | undefined,
  deps: Pick<JobDeps, 'api' | 'log'>
): Promise<HealthVerdict | undefined> {
  const check = ctx.settings.health.check
  if (check === 'none') return undefined
  const cohortNames = await cohortSample(ctx, record, deps)
  const controlNames = await controlSample(ctx, record, fleetFile, deps)
  const cohort = judged(cohortNames, await statesOf(ctx, cohortNames, deps))
  const control = judged(controlNames, await statesOf(ctx, controlNames, deps))
  if (control.checked < CONTROL_MIN) {
    deps.log.warning(
      `Health of stage ${record.stage} not judged: ${control.checked} device(s) in the control group (devices not upgraded yet), fewer than ${CONTROL_MIN}.`
    )
    return undefined
  }
  const unhealthy = [...cohort.offline]
  if (check === 'online,version') unhealthy.push(...(await rolledBack(ctx, cohort.online, module, deps)))
  return judgeHealth(
    check,
    { checked: cohort.checked, unhealthy },
    { checked: control.checked, unhealthy: control.offline },
    ctx.settings.health.maxUnhealthyPercent
  )
}
