/**
 * The plan's operations besides `advance`: `halt` (the kill switch), `resume`, `retry-failed`,
 * `confirm`, and `status`, which writes nothing. Each acts once: a write whose answer was lost is
 * checked against the platform before it is sent again.
 */
import { ActionError } from '../../contract/action-error.js'
import { ROLLOUT_INPUT } from '../../contract/names.js'
import { readTasks } from '../../jobs/tasks.js'
import { isBusyElsewhere } from '../../platform/job-rules.js'
import { DONE } from '../../platform/operations.js'
import type { OtaTask } from '../../platform/models.js'
import { inChunks } from './cohorts.js'
import type { PlanContext, PlanDeps } from './context.js'
import { enforceHalt, haltedPlanError, haltPlan } from './halt-plan.js'
import { cancelOpenMarkers } from './markers.js'
import type { RunFacts } from './outcome.js'
import { failedTasks, readPlan } from './records.js'
import { startStage } from './start-stage.js'
import type { PlanState, StageRecord } from './state.js'

/** ReupgradeOTATask and ConfirmOTATask take at most 10 task ids a call. */
const TASKS_PER_CALL = 10
/** At most this many pages of a job's CONFIRM tasks are released in one run. */
const CONFIRM_PAGES = 10

function currentStage(state: PlanState, what: string): StageRecord {
  const record = state.stages[state.current - 1]
  if (record === undefined)
    throw new ActionError(`The plan has not started: there is no stage to ${what}.`, {
      input: ROLLOUT_INPUT.operation,
      hint: `Start it with '${ROLLOUT_INPUT.operation}: advance'.`
    })
  return record
}

/** The current stage of a running plan: a halted one takes only `resume` (and `halt`, `status`). */
function runningStage(state: PlanState, what: string): StageRecord {
  if (state.halt) throw haltedPlanError(state.halt)
  return currentStage(state, what)
}

export async function haltOnRequest(ctx: PlanContext, firstDevice: () => Promise<string>, deps: PlanDeps): Promise<RunFacts> {
  const state = await readPlan(ctx, deps)
  await cancelOpenMarkers(state.openMarkers, deps)
  if (state.halt) {
    await enforceHalt(ctx, state, deps)
    return {
      result: 'halted',
      halt: { ...state.halt, earlier: true },
      failedTasks: [],
      message: `The plan was halted already, at stage ${state.halt.stage} on ${state.halt.at}: nothing more to do.`
    }
  }
  const halt = await haltPlan(ctx, state, `Halted on request ('${ROLLOUT_INPUT.operation}: halt').`, firstDevice, deps)
  return { result: 'halted', halt, failedTasks: [] }
}

/** Restarts the halted stage as a new generation: the same cohort, of which the platform skips the devices that succeeded. */
export async function resumePlan(ctx: PlanContext, fleetFile: readonly string[] | undefined, deps: PlanDeps): Promise<RunFacts> {
  const state = await readPlan(ctx, deps)
  if (!state.halt)
    throw new ActionError('The plan is not halted: there is nothing to resume.', {
      input: ROLLOUT_INPUT.operation,
      hint: `Use '${ROLLOUT_INPUT.operation}: advance' to go on.`
    })
  const stage = state.halt.stage
  const gen = (state.stages[stage - 1]?.gen ?? 0) + 1
  const started = await startStage(ctx, state, { from: stage, gen, fleetFile }, deps)
  if (started?.haltedMeanwhile) throw haltedPlanError(state.halt)
  if (started === undefined)
    throw new ActionError(`Stage ${stage} has no device left in the fleet to resume: the plan stays halted.`, {
      hint: 'Check the fleet (the product’s devices, or fleet-file), or start a new plan with other stages.'
    })
  const message = `Resumed stage ${stage} (generation ${gen}): ${started.devices} device(s), those that succeeded already are skipped by the platform.`
  return { result: 'stage-started', failedTasks: [], message }
}

/** Pushes again the current stage's FAILED tasks that did not fail for being busy elsewhere, ten a call, each call once. */
export async function retryFailed(ctx: PlanContext, deps: PlanDeps): Promise<RunFacts> {
  const record = runningStage(await readPlan(ctx, deps), 'retry')
  let retried = 0
  for (const job of record.jobs) {
    const own = (await failedTasks([job], deps)).filter((t) => !isBusyElsewhere(t.TaskDesc))
    for (const chunk of inChunks(own, TASKS_PER_CALL)) {
      const ids = chunk.map((t) => t.TaskId)
      // After a lost answer: done when none of them is FAILED any more.
      const lookup = async () => ((await failedTasks([job], deps)).some((t) => ids.includes(t.TaskId)) ? undefined : DONE)
      await deps.api.reupgradeTasks(job.jobId, ids, lookup)
      retried += ids.length
    }
  }
  return { result: 'retried', failedTasks: [], acted: retried, message: `Pushed ${retried} failed task(s) of stage ${record.stage} again.` }
}

/** Releases the current stage's tasks waiting in CONFIRM (jobs made with need-confirm), ten a call, each call once. */
export async function confirmStage(ctx: PlanContext, deps: PlanDeps): Promise<RunFacts> {
  const record = runningStage(await readPlan(ctx, deps), 'confirm')
  let confirmed = 0
  for (const job of record.jobs) {
    const waiting: OtaTask[] = await readTasks(deps, job.jobId, 'CONFIRM', CONFIRM_PAGES)
    for (const chunk of inChunks(waiting, TASKS_PER_CALL)) {
      const ids = chunk.map((t) => t.TaskId)
      const lookup = async () => ((await readTasks(deps, job.jobId, 'CONFIRM', CONFIRM_PAGES)).some((t) => ids.includes(t.TaskId)) ? undefined : DONE)
      await deps.api.confirmTasks(ids, lookup)
      confirmed += ids.length
    }
  }
  return { result: 'confirmed', failedTasks: [], acted: confirmed, message: `Confirmed ${confirmed} task(s) of stage ${record.stage} waiting in CONFIRM.` }
}
