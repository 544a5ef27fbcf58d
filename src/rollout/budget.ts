import type { StatusCounts } from '../jobs/tasks.js'

/** `max-failure-percent` and `min-finished-devices`. */
export interface Budget {
  readonly maxFailurePercent: number
  readonly minFinishedDevices: number
}

export interface BudgetCheck {
  /** Devices done with the package: succeeded, or failed for a reason of their own. */
  readonly finished: number
  readonly failed: number
  /** Failed because the device was busy in another batch: not the package's fault, not counted. */
  readonly excluded: number
  /** Finished devices needed before the budget applies: the minimum, or every countable device if fewer. */
  readonly needed: number
  readonly failedPercent: number
  readonly exceeded: boolean
}

/**
 * The failure budget: once `needed` devices have finished, a failure rate above the budget halts
 * the rollout. Cancelled tasks and devices busy in another batch count neither way.
 */
export function checkBudget(counts: StatusCounts, total: number, busyElsewhere: number, budget: Budget): BudgetCheck {
  const excluded = Math.min(busyElsewhere, counts.FAILED)
  const failed = counts.FAILED - excluded
  const finished = counts.SUCCEEDED + failed
  const countable = Math.max(1, total - excluded - counts.CANCELED)
  const needed = Math.min(budget.minFinishedDevices, countable)
  const failedPercent = finished === 0 ? 0 : (failed / finished) * 100
  return { finished, failed, excluded, needed, failedPercent, exceeded: finished >= needed && failedPercent > budget.maxFailurePercent }
}
