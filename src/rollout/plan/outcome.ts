/**
 * What a plan run reports: the plan stage by stage (share, devices, jobs, counts, gate), totals,
 * and what this run did. Read from the platform at the end of the run.
 */
import { zeroCounts, type StatusCounts } from '../../jobs/tasks.js'
import { TASK_STATUSES } from '../../platform/job-rules.js'
import type { OtaTask } from '../../platform/models.js'
import type { PlanContext, PlanDeps } from './context.js'
import { soakEnd, type StageVerdict } from './gates.js'
import type { PlanHalt } from './halt-plan.js'
import type { HealthVerdict } from './health.js'
import { failedTasks, readPlan, stageProgress } from './records.js'
import { classifyFailure, countFailureClasses, type FailureClass } from '../../jobs/failure-class.js'
import type { PlanState } from './state.js'

export type PlanResult = 'stage-started' | 'in-progress' | 'completed' | 'halted' | 'status' | 'retried' | 'confirmed' | 'failed'

/** A stage's gate, in a word: not started, running, passed and soaking until a time, passed, halted. */
export type GateState = 'waiting' | 'running' | 'soaking' | 'passed' | 'below' | 'halted'

export interface StageView {
  readonly stage: number
  readonly share: number
  readonly devices: number
  /** The newest generation's jobs, by part. */
  readonly jobIds: readonly string[]
  /** Jobs of earlier generations (a resume's predecessors), oldest first. */
  readonly earlierJobIds: readonly string[]
  readonly gen: number
  /** The newest generation's task counts. */
  readonly counts: StatusCounts
  readonly verdict?: StageVerdict
  readonly gate: GateState
  readonly soakUntil?: string
}

export interface PlanOutcome {
  readonly result: PlanResult
  readonly plan: string
  readonly stageCount: number
  /** The stage now running or last finished (1-based; 0 before the first). */
  readonly current: number
  readonly stages: readonly StageView[]
  readonly totals: { readonly succeeded: number; readonly failed: number; readonly canceled: number }
  /** Devices in the fleet as the last stage started (0 before the first). */
  readonly fleet: number
  /** The current stage's failed tasks by class (what the devices reported). */
  readonly failureClasses: Readonly<Record<FailureClass, number>>
  readonly nextStageAfter?: string
  /** The halt this run made, or the one that holds the plan. */
  readonly halt?: PlanHalt | { readonly stage: number; readonly reason: string; readonly at: string; readonly earlier: true }
  /** On a halt: the failed devices with what they reported (a bounded number). */
  readonly failedTasks: readonly OtaTask[]
  readonly health?: HealthVerdict
  /** What this run did or found, in a sentence, when the result alone does not say it. */
  readonly message?: string
  /** Tasks retried (retry-failed) or confirmed (confirm). */
  readonly acted?: number
}

/** What a run adds to the plan it read. */
export type RunFacts = Omit<PlanOutcome, 'plan' | 'stageCount' | 'current' | 'stages' | 'totals' | 'nextStageAfter' | 'fleet' | 'failureClasses'>

function gateOf(
  ctx: PlanContext,
  state: PlanState,
  stage: number,
  verdict: StageVerdict | undefined,
  completed: boolean,
  now: number,
  minuteMs: number
): { gate: GateState; soakUntil?: string } {
  const record = state.stages[stage - 1]
  if (record === undefined || record.jobs.length === 0) return { gate: 'waiting' }
  if (state.halt && state.halt.stage === stage) return { gate: 'halted' }
  // Below its success share once every task has ended and the job too (tasks may come until then), as the advance judges it.
  if (record.passedAt === undefined) return { gate: verdict && !verdict.passed && verdict.unfinished === 0 && completed ? 'below' : 'running' }
  const until = soakEnd(record.passedAt, ctx.settings.soakMinutes, minuteMs)
  const last = stage === ctx.settings.shares.length
  return !last && until > now && state.current === stage ? { gate: 'soaking', soakUntil: new Date(until).toISOString() } : { gate: 'passed' }
}

/** Every stage as the platform holds it now (one pass over the jobs' counts), and the plan's totals. */
export async function viewPlan(ctx: PlanContext, facts: RunFacts, deps: PlanDeps): Promise<PlanOutcome> {
  const state = await readPlan(ctx, deps)
  const now = deps.clock.now()
  const stages: StageView[] = []
  const totals = zeroCounts()
  for (const record of state.stages) {
    const read = record.jobs.length > 0 ? await stageProgress(record, ctx, deps) : undefined
    const counts = read?.progress.counts ?? zeroCounts()
    for (const status of TASK_STATUSES) totals[status] += counts[status]
    const gate = gateOf(ctx, state, record.stage, read?.verdict, read?.progress.completed === true, now, deps.minuteMs)
    stages.push({
      stage: record.stage,
      share: record.share,
      devices: record.devices,
      jobIds: record.jobs.map((j) => j.jobId),
      earlierJobIds: record.earlier.map((j) => j.jobId),
      gen: record.gen,
      counts,
      verdict: read?.verdict,
      ...gate
    })
  }
  const halt = facts.halt ?? (state.halt ? { ...state.halt, earlier: true as const } : undefined)
  const current = state.stages[state.current - 1]
  // The current stage's failures as they are now (some may fail between a halt's judgement and its cancel).
  const failed = current ? await failedTasks(current.jobs, deps) : []
  return {
    ...facts,
    failedTasks: failed.filter((t) => classifyFailure(t) !== 'busy'),
    failureClasses: countFailureClasses(failed),
    halt,
    plan: ctx.plan,
    stageCount: ctx.settings.shares.length,
    current: state.current,
    stages,
    totals: { succeeded: stages.reduce((n, s) => n + (s.verdict?.succeeded ?? 0), 0), failed: totals.FAILED, canceled: totals.CANCELED },
    fleet: Math.max(0, ...state.stages.map((s) => s.fleet ?? 0)),
    nextStageAfter: stages.find((s) => s.gate === 'soaking')?.soakUntil
  }
}
