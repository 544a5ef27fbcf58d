/**
 * The inputs of the rollout action's plan mode (`stages`): read once, validated before any
 * request, each error naming the input, the value and what is allowed.
 */
import { ActionError, invalidInput } from '../../contract/action-error.js'
import { JOB_DEFAULTS, ROLLOUT_INPUT as NAME } from '../../contract/names.js'
import type { InputReader } from '../../config/readers.js'
import { optional, readEnum, readOptionalNumber } from '../../config/readers.js'
import type { ApiVariant } from '../../config/connection.js'

/** At most this many stages: enough for 1, 2, 5, 10, … 100, few enough to read at a glance. */
export const STAGES_MAX = 20
const SHARE_PATTERN = /^\d{1,3}(\.\d{1,3})?$/

export const OPERATIONS = ['advance', 'status', 'halt', 'resume', 'retry-failed', 'confirm'] as const
export type PlanOperation = (typeof OPERATIONS)[number]

export const HEALTH_CHECKS = ['none', 'online', 'online,version'] as const
export type HealthCheck = (typeof HEALTH_CHECKS)[number]

/** The health gate: the upgraded cohort against the devices not upgraded yet. */
export interface HealthSettings {
  readonly check: HealthCheck
  /** Points the cohort's unhealthy share may exceed the control group's. */
  readonly maxUnhealthyPercent: number
  /** Devices checked in each group. */
  readonly sample: number
}

/** What plan mode adds to the rollout inputs. */
export interface PlanSettings {
  /** Cumulative shares of the fleet, percent, strictly increasing. */
  readonly shares: readonly number[]
  /** A workspace file of DeviceNames that is the fleet; undefined: every device of the product. */
  readonly fleetFile?: string
  readonly minSuccessPercent: number
  readonly soakMinutes: number
  /** Failed devices the whole plan may have before it halts; undefined: no cap. */
  readonly maxFailedDevices?: number
  readonly operation: PlanOperation
  readonly health: HealthSettings
}

/** `1, 10, 50, 100`: cumulative percentages, comma or newline separated. */
export function parseStages(raw: string): number[] {
  const entries = raw
    .split(/[,\n]/)
    .map((e) => e.trim())
    .filter((e) => e !== '')
  const allowed = `cumulative percentages of the fleet, strictly increasing, each above 0 and at most 100 with at most 3 decimals, 1 to ${STAGES_MAX} of them (e.g. 1, 10, 50, 100)`
  if (entries.length === 0 || entries.length > STAGES_MAX) throw invalidInput(NAME.stages, raw, `give ${allowed}`)
  const shares = entries.map((entry) => {
    const share = Number(entry)
    if (!SHARE_PATTERN.test(entry) || share <= 0 || share > 100)
      throw invalidInput(NAME.stages, entry, `each stage must be a percentage above 0 and at most 100 with at most 3 decimals; give ${allowed}`)
    return share
  })
  const back = shares.findIndex((share, i) => i > 0 && share <= (shares[i - 1] as number))
  if (back > 0) throw invalidInput(NAME.stages, raw, `stage ${back + 1} (${shares[back]}) is not above stage ${back} (${shares[back - 1]}): give ${allowed}`)
  return shares
}

/**
 * Inputs that choose devices or timing themselves, which a plan decides: refused in plan mode. The
 * runner hands in `dynamic`'s declared default (false) as if it were set: only true is refused.
 */
const NOT_IN_PLAN: readonly (readonly [string, string | undefined])[] = [
  [NAME.grayPercent, undefined],
  [NAME.devices, undefined],
  [NAME.groupId, undefined],
  [NAME.groupType, undefined],
  [NAME.srcVersions, undefined],
  [NAME.dynamic, String(JOB_DEFAULTS.dynamic)],
  [NAME.scheduleTime, undefined]
]

function refuseSingleJobInputs(read: InputReader): void {
  const selection = optional(read, NAME.selection)
  if (selection !== undefined && selection.toLowerCase() !== 'all') {
    throw invalidInput(
      NAME.selection,
      selection,
      `a plan ('${NAME.stages}') takes its devices stage by stage from the whole fleet: leave '${NAME.selection}' at all`
    )
  }
  for (const [name, fallback] of NOT_IN_PLAN) {
    const value = optional(read, name)
    if (value !== undefined && value.toLowerCase() !== fallback) {
      throw new ActionError(`Input '${name}' is ${JSON.stringify(value)}, but a plan ('${NAME.stages}') chooses its devices and times itself.`, {
        input: name,
        hint: `Remove '${name}', or remove '${NAME.stages}' to start a single job.`
      })
    }
  }
}

function readHealth(read: InputReader): HealthSettings {
  return {
    check: readEnum<HealthCheck>(read, NAME.healthCheck, HEALTH_CHECKS, JOB_DEFAULTS.healthCheck),
    maxUnhealthyPercent: readOptionalNumber(read, NAME.maxUnhealthyPercent, 0, 100, false) ?? JOB_DEFAULTS.maxUnhealthyPercent,
    sample: readOptionalNumber(read, NAME.healthSample, 1, 10_000, true) ?? JOB_DEFAULTS.healthSample
  }
}

/**
 * Plan-mode inputs set without `stages`: a mistake worth stopping for. The runner hands every
 * declared default in as if it were set, so an input with a default counts only at another value.
 */
const PLAN_ONLY: readonly (readonly [string, string | undefined])[] = [
  [NAME.fleetFile, undefined],
  [NAME.maxFailedDevices, undefined],
  [NAME.operation, JOB_DEFAULTS.operation],
  [NAME.healthCheck, JOB_DEFAULTS.healthCheck]
]

/**
 * The plan settings when `stages` is set, else undefined (a single job). Refuses what a plan does
 * not take, plan-only inputs without a plan, and plan mode on the marketplace, whose gateway takes
 * no job tags (where the plan keeps its state).
 */
export function readPlanSettings(read: InputReader, apiVariant: ApiVariant): PlanSettings | undefined {
  const raw = optional(read, NAME.stages)
  if (raw === undefined) {
    const stray = PLAN_ONLY.find(([name, fallback]) => ![undefined, fallback].includes(optional(read, name)))?.[0]
    if (stray !== undefined)
      throw new ActionError(`Input '${stray}' is only used with '${NAME.stages}' (a rollout plan).`, {
        input: stray,
        hint: `Set '${NAME.stages}', e.g. \`stages: 1, 10, 50, 100\`, or remove '${stray}'.`
      })
    return undefined
  }
  if (apiVariant === 'marketplace') {
    throw invalidInput(
      NAME.stages,
      raw,
      "a rollout plan keeps its state in job tags, which marketplace instances ('api-variant: marketplace') do not take",
      `Remove '${NAME.stages}' and roll out stage by stage with 'selection: gray'.`
    )
  }
  refuseSingleJobInputs(read)
  return {
    shares: parseStages(raw),
    fleetFile: optional(read, NAME.fleetFile),
    minSuccessPercent: readOptionalNumber(read, NAME.minSuccessPercent, 0, 100, false) ?? JOB_DEFAULTS.minSuccessPercent,
    soakMinutes: readOptionalNumber(read, NAME.soakMinutes, 0, 43_200, false) ?? JOB_DEFAULTS.soakMinutes,
    maxFailedDevices: readOptionalNumber(read, NAME.maxFailedDevices, 0, 10_000_000, true),
    operation: readEnum<PlanOperation>(read, NAME.operation, OPERATIONS, JOB_DEFAULTS.operation),
    health: readHealth(read)
  }
}
