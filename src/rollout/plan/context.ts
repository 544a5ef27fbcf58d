/** What every part of a plan's run needs to know: the plan, its package, its gates and job settings. */
import type { JobDeps } from '../../jobs/deps.js'
import type { StaticJobParams } from '../../platform/models.js'
import type { RolloutInputs } from '../inputs.js'
import { batchSettings } from '../rollout-package.js'
import type { StageGates } from './gates.js'
import type { PlanSettings } from './inputs.js'
import { planId } from './tags.js'

export interface PlanContext {
  /** The plan's identity (package and stage list), the value of its `ota.plan` tag. */
  readonly plan: string
  readonly firmwareId: string
  readonly productKey: string
  readonly settings: PlanSettings
  readonly gates: StageGates
  /** The settings every stage job takes (timeout, push, confirm, protocol, pace, retries, overwrite). */
  readonly job: Omit<StaticJobParams, 'TargetSelection'>
  readonly waitMinutes: number
  /** Plan-wide cap on failed devices; undefined: none. */
  readonly maxFailedDevices?: number
}

export function planContext(inputs: Omit<RolloutInputs, 'connection'> & { plan: PlanSettings }): PlanContext {
  const settings = inputs.plan
  const budget =
    inputs.maxFailurePercent === undefined ? undefined : { maxFailurePercent: inputs.maxFailurePercent, minFinishedDevices: inputs.minFinishedDevices }
  return {
    plan: planId(inputs.firmwareId, settings.shares),
    firmwareId: inputs.firmwareId,
    productKey: inputs.productKey,
    settings,
    gates: { minSuccessPercent: settings.minSuccessPercent, budget },
    job: batchSettings(inputs),
    waitMinutes: inputs.waitMinutes,
    maxFailedDevices: settings.maxFailedDevices
  }
}

export type PlanDeps = JobDeps
