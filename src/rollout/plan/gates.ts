/**
 * A stage's gates, judged from its task counts alone: the failure budget (busy devices never
 * count), the share of its devices that succeeded, and the soak that must pass before the next
 * stage may start. Pure.
 */
import type { StatusCounts } from '../../jobs/tasks.js'
import { checkBudget, type Budget, type BudgetCheck } from '../budget.js'

/** What a stage's tasks say now. */
export interface StageProgress {
  /** The newest generation's tasks, summed over its parts. */
  readonly counts: StatusCounts
  readonly total: number
  /** SUCCEEDED tasks of earlier generations (a resume skips devices that succeeded then). */
  readonly earlierSucceeded: number
  /** FAILED tasks of the newest generation that failed only because the device was busy in another batch. */
  readonly busy: number
  /** Devices of the stage's cohort. */
  readonly devices: number
  /** Every job of the newest generation is COMPLETED, as the platform reports it: no task is left to come. */
  readonly completed: boolean
}

export interface StageGates {
  /** Share of the cohort that must have SUCCEEDED, percent. */
  readonly minSuccessPercent: number
  readonly budget?: Budget
}

export interface StageVerdict {
  /** Devices that run the package's version: tasks SUCCEEDED now or in an earlier generation, and those the platform skipped. */
  readonly succeeded: number
  /** Devices of the cohort the platform gave no task, as they ran the version already (the verified test devices, say). */
  readonly alreadyUpgraded: number
  /** Of the cohort's devices. */
  readonly successPercent: number
  readonly passed: boolean
  readonly budget?: BudgetCheck
  readonly overBudget: boolean
  /** Tasks not final yet (CONFIRM, QUEUED, NOTIFIED, IN_PROGRESS). */
  readonly unfinished: number
  /** FAILED for reasons of their own (busy devices left out). */
  readonly failed: number
}

export function judgeStage(progress: StageProgress, gates: StageGates): StageVerdict {
  const c = progress.counts
  // The platform skips a device that runs the destination version already: once the jobs are complete, the cohort's devices without a task are those.
  const alreadyUpgraded = progress.completed ? Math.max(0, progress.devices - progress.total - progress.earlierSucceeded) : 0
  const succeeded = c.SUCCEEDED + progress.earlierSucceeded + alreadyUpgraded
  const successPercent = progress.devices === 0 ? 100 : (succeeded / progress.devices) * 100
  const budget = gates.budget ? checkBudget(c, progress.total, progress.busy, gates.budget) : undefined
  return {
    succeeded,
    alreadyUpgraded,
    successPercent,
    passed: successPercent >= gates.minSuccessPercent,
    budget,
    overBudget: budget?.exceeded === true,
    unfinished: c.CONFIRM + c.QUEUED + c.NOTIFIED + c.IN_PROGRESS,
    failed: c.FAILED - Math.min(progress.busy, c.FAILED)
  }
}

/** When a stage that passed at `passedAt` (ISO) has soaked `soakMinutes` of the platform's minutes (epoch ms). */
export function soakEnd(passedAt: string, soakMinutes: number, minuteMs: number): number {
  return Date.parse(passedAt) + soakMinutes * minuteMs
}
