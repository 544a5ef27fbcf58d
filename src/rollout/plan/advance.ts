/**
 * `operation: advance`: the next thing the plan needs, again and again until `wait-minutes` run
 * out. Each round reads the plan back from the platform (another run may have acted meanwhile),
 * then follows the running stage, halts it over its gates, records that it passed, lets it soak,
 * checks its health, and starts the next stage. Nothing is kept between rounds but what a later
 * run would find on the platform too.
 */
import { ROLLOUT_INPUT } from '../../contract/names.js'
import { deadlineIn, nextDelay } from '../../jobs/poll.js'
import type { OtaTask } from '../../platform/models.js'
import type { PlanContext, PlanDeps } from './context.js'
import { soakEnd } from './gates.js'
import { enforceHalt, haltedPlanError, haltPlan, type PlanHalt } from './halt-plan.js'
import { cancelOpenMarkers, writeMarker } from './markers.js'
import { checkHealth, type HealthVerdict } from './health.js'
import type { RunFacts } from './outcome.js'
import { planFailures, readPlan, stageProgress } from './records.js'
import { startStage, type StartedStage } from './start-stage.js'
import { missingParts, type PlanState, type StageRecord } from './state.js'

/** What one round did or found. */
type Step =
  | { readonly kind: 'started'; readonly stage: number }
  | { readonly kind: 'wait'; readonly until?: number }
  | { readonly kind: 'halted'; readonly halt: PlanHalt; readonly failed: readonly OtaTask[]; readonly health?: HealthVerdict }
  | { readonly kind: 'completed' }
  | { readonly kind: 'below'; readonly message: string }

/** What this run remembers between rounds: only what costs calls to learn again, none of the plan's state. */
export interface RunMemory {
  /** The package's module and DestVersion, for the version check. */
  readonly module: { readonly name: string; readonly version: string }
  /** The first device of the fleet, for a halt before the plan had any task. */
  readonly firstDevice: () => Promise<string>
  /** Stages whose soak this run has checked for health already (`stage.gen`). */
  readonly checked: Set<string>
  /** The names of fleet-file, read once at the start (undefined: the product's devices). */
  readonly fleetFile?: readonly string[]
  /** Stages whose missing parts this run has tried to create (`stage.gen`). */
  readonly partsTried: Set<string>
  health?: HealthVerdict
}

async function halt(ctx: PlanContext, state: PlanState, reason: string, memory: RunMemory, deps: PlanDeps, failed: readonly OtaTask[] = []): Promise<Step> {
  return { kind: 'halted', halt: await haltPlan(ctx, state, reason, memory.firstDevice, deps), failed, health: memory.health }
}

/** The running stage: over a gate halts the plan; below its success share it waits, or fails once nothing is left to finish. */
async function followStage(ctx: PlanContext, state: PlanState, record: StageRecord, memory: RunMemory, deps: PlanDeps): Promise<Step | 'passed'> {
  const { progress, verdict, failed } = await stageProgress(record, ctx, deps)
  if (verdict.overBudget && verdict.budget) {
    const b = verdict.budget
    const reason = `Stage ${record.stage}: ${b.failed} of ${b.finished} finished devices failed (${b.failedPercent.toFixed(1)}%), over '${ROLLOUT_INPUT.maxFailurePercent}' (${ctx.gates.budget?.maxFailurePercent}%).`
    return halt(ctx, state, reason, memory, deps, failed)
  }
  const planFailed = await planFailures(state, ctx, deps)
  if (ctx.maxFailedDevices !== undefined && planFailed > ctx.maxFailedDevices) {
    return halt(
      ctx,
      state,
      `The plan has ${planFailed} failed devices, over '${ROLLOUT_INPUT.maxFailedDevices}' (${ctx.maxFailedDevices}).`,
      memory,
      deps,
      failed
    )
  }
  if (verdict.passed) return 'passed'
  // Every task has ended, but the job is not complete yet: tasks may still come, or devices be found skipped.
  if (verdict.unfinished > 0 || !progress.completed) return { kind: 'wait' }
  const message =
    `Stage ${record.stage} has finished with ${verdict.succeeded} of ${record.devices} devices succeeded (${verdict.successPercent.toFixed(1)}%), ` +
    `below '${ROLLOUT_INPUT.minSuccessPercent}' (${ctx.gates.minSuccessPercent}%): the plan does not go on.`
  return { kind: 'below', message }
}

/** Health, once during this run's soak and once more right before the next stage: a halt when the cohort is worse than the control group. */
async function healthy(ctx: PlanContext, state: PlanState, record: StageRecord, memory: RunMemory, deps: PlanDeps, final: boolean): Promise<Step | undefined> {
  const key = `${record.stage}.${record.gen}`
  if (!final && memory.checked.has(key)) return undefined
  memory.checked.add(key)
  const verdict = await checkHealth(ctx, record, memory.module, memory.fleetFile, deps)
  if (verdict === undefined) return undefined
  memory.health = verdict
  deps.log.info(
    `Health of stage ${record.stage}: ${verdict.cohort.percent.toFixed(1)}% of ${verdict.cohort.checked} upgraded devices unhealthy, ${verdict.control.percent.toFixed(1)}% of ${verdict.control.checked} in the control group.`
  )
  if (!verdict.exceeded) return undefined
  const reason = `Stage ${record.stage} health: ${verdict.cohort.percent.toFixed(1)}% of the upgraded devices checked are unhealthy against ${verdict.control.percent.toFixed(1)}% of the control group, ${verdict.excess.toFixed(1)} points over, above '${ROLLOUT_INPUT.maxUnhealthyPercent}' (${ctx.settings.health.maxUnhealthyPercent}).`
  return halt(ctx, state, reason, memory, deps)
}

/** A stage that passed: record when (once), soak, check health, then start the next stage. */
async function afterPass(ctx: PlanContext, state: PlanState, record: StageRecord, memory: RunMemory, deps: PlanDeps): Promise<Step> {
  let passedAt = record.passedAt
  if (passedAt === undefined) {
    const device = (await deps.api.listTasksByJob(record.jobs[0]?.jobId ?? '', 1, 1, 'SUCCEEDED')).Tasks[0]?.DeviceName ?? (await memory.firstDevice())
    passedAt = (await writeMarker(ctx, { kind: 'pass', stage: record.stage, gen: record.gen, device }, deps)).at
    deps.log.info(`Stage ${record.stage} passed its gates at ${passedAt}.`)
  }
  if (record.stage === ctx.settings.shares.length) return { kind: 'completed' }
  const until = soakEnd(passedAt, ctx.settings.soakMinutes, deps.minuteMs)
  if (deps.clock.now() < until) return (await healthy(ctx, state, record, memory, deps, false)) ?? { kind: 'wait', until }
  const sick = await healthy(ctx, state, record, memory, deps, true)
  if (sick) return sick
  return stepOf(await startStage(ctx, state, { from: record.stage + 1, gen: 1, fleetFile: memory.fleetFile }, deps))
}

/** What a stage start did: started, nothing left to start (completed), or stopped by a halt another run recorded meanwhile. */
function stepOf(started: StartedStage | undefined): Step {
  if (started === undefined) return { kind: 'completed' }
  return started.haltedMeanwhile ? { kind: 'wait' } : { kind: 'started', stage: started.stage }
}

/** One round: what the plan needs now. */
async function nextStep(ctx: PlanContext, state: PlanState, memory: RunMemory, deps: PlanDeps): Promise<Step> {
  if (state.current === 0) return stepOf(await startStage(ctx, state, { from: 1, gen: 1, fleetFile: memory.fleetFile }, deps))
  const record = state.stages[state.current - 1] as StageRecord
  // A run that stopped between the parts of a stage: create the missing ones first (once a run: a part left empty stays missing).
  const key = `${record.stage}.${record.gen}`
  if (missingParts(record).length > 0 && !memory.partsTried.has(key)) {
    memory.partsTried.add(key)
    const started = await startStage(ctx, state, { from: record.stage, gen: record.gen, fleetFile: memory.fleetFile }, deps)
    return started?.haltedMeanwhile ? { kind: 'wait' } : { kind: 'started', stage: started?.stage ?? record.stage }
  }
  const followed = await followStage(ctx, state, record, memory, deps)
  return followed === 'passed' ? afterPass(ctx, state, record, memory, deps) : followed
}

/** Advances the plan until it completes, halts, or `wait-minutes` run out. */
export async function advancePlan(ctx: PlanContext, memory: RunMemory, deps: PlanDeps): Promise<RunFacts> {
  const deadline = deadlineIn(ctx.waitMinutes, deps)
  let started: number | undefined
  let delay: number | undefined
  for (;;) {
    const state = await readPlan(ctx, deps)
    await cancelOpenMarkers(state.openMarkers, deps)
    if (state.halt) {
      await enforceHalt(ctx, state, deps)
      return { result: 'failed', halt: { ...state.halt, earlier: true }, failedTasks: [], message: haltedPlanError(state.halt).message }
    }
    const step = await nextStep(ctx, state, memory, deps)
    if (step.kind === 'halted') return { result: 'halted', halt: step.halt, failedTasks: step.failed, health: step.health }
    if (step.kind === 'completed') return { result: 'completed', failedTasks: [], health: memory.health }
    if (step.kind === 'below') return { result: 'failed', failedTasks: [], message: step.message, health: memory.health }
    if (step.kind === 'started') started = step.stage
    const now = deps.clock.now()
    if (now >= deadline) return { result: started === undefined ? 'in-progress' : 'stage-started', failedTasks: [], health: memory.health }
    delay = step.kind === 'started' ? undefined : nextDelay(delay, deps.pacing)
    const until = step.kind === 'wait' && step.until !== undefined ? step.until : Infinity
    await deps.clock.sleep(Math.max(0, Math.min(delay ?? deps.pacing.firstDelayMs, deadline - now, until - now)))
  }
}
