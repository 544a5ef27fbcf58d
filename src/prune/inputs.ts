import { ActionError, invalidInput } from '../contract/action-error.js'
import { PRUNE_DEFAULTS, PRUNE_INPUT as NAME } from '../contract/names.js'
import type { Connection } from '../config/connection.js'
import { type InputReader, optional, readBoolean, readEnum, readId, readList, readNumber, readOptionalNumber } from '../config/readers.js'
import { isValidModuleName } from '../platform/rules.js'
import { PRERELEASE_MODES, type PrereleaseMode, type RetentionPolicy } from './policy.js'

/** Far more than an account holds (500): a larger value would keep everything anyway. */
const KEEP_LAST_MAX = 10_000
/** Ten years. */
const KEEP_DAYS_MAX = 3650
/** An account holds 500 packages: a list of more ids to protect is a mistake. */
const PROTECT_MAX = 500
const DELETIONS_MAX = 500
const FIRMWARE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** `keep the newest 3 of each module, and …`: the policy in a sentence. */
export function describePolicy(inputs: Pick<PruneInputs, 'policy' | 'maxDeletions' | 'moduleName'>): string {
  const { keepLast, keepDays, prereleases, protect } = inputs.policy
  const scope = inputs.moduleName === undefined ? 'of each module' : `of module ${inputs.moduleName}`
  const parts = [`keep the newest ${keepLast} ${scope}${prereleases === 'prune-first' ? ' (releases before prereleases: prereleases go first)' : ''}`]
  if (keepDays !== undefined) parts.push(`every package created within the last ${keepDays} day(s)`)
  const never = ['a package a job still uses', "each module's rollback target", ...(protect.size > 0 ? [`the ${protect.size} protected`] : [])]
  return `${parts.join(', and ')}; never ${never.join(', ')}; at most ${inputs.maxDeletions} deletion(s) a run`
}

/** Everything the prune action was asked to do, read once and validated. */
export interface PruneInputs {
  readonly connection: Connection
  readonly productKey: string
  /** Undefined: every module of the product. */
  readonly moduleName?: string
  readonly policy: RetentionPolicy
  /** Deletions this run makes at most; the rest wait for the next run. */
  readonly maxDeletions: number
  /** Decide and report, delete nothing. */
  readonly dryRun: boolean
}

function readKeepLast(read: InputReader): number {
  const keepLast = readOptionalNumber(read, NAME.keepLast, 1, KEEP_LAST_MAX, true)
  if (keepLast === undefined) {
    throw new ActionError(`Input '${NAME.keepLast}' is required: how many packages of each module to keep, newest first (1 or more).`, {
      input: NAME.keepLast,
      hint: `For example \`${NAME.keepLast}: 5\`: the five newest packages of every module stay, whatever their age.`
    })
  }
  return keepLast
}

function readModule(read: InputReader): string | undefined {
  const moduleName = optional(read, NAME.moduleName)
  if (moduleName !== undefined && !isValidModuleName(moduleName)) {
    throw invalidInput(NAME.moduleName, moduleName, 'must be an OTA module name: 1 to 64 letters, digits, ".", "-" or "_" (empty: every module)')
  }
  return moduleName
}

function readPolicy(read: InputReader): RetentionPolicy {
  const protect = readList(read, NAME.protect, {
    max: PROTECT_MAX,
    pattern: FIRMWARE_ID_PATTERN,
    what: 'FirmwareIds',
    allowed: 'must be a FirmwareId: 1 to 64 letters, digits, "_" or "-"',
    required: false
  })
  return {
    keepLast: readKeepLast(read),
    keepDays: readOptionalNumber(read, NAME.keepDays, 1, KEEP_DAYS_MAX, true),
    prereleases: readEnum<PrereleaseMode>(read, NAME.prereleases, PRERELEASE_MODES, PRUNE_DEFAULTS.prereleases),
    protect: new Set(protect)
  }
}

/**
 * Reads and validates the prune inputs (the connection comes parsed). Throws an ActionError naming
 * the input, the value and what is allowed, before any request.
 */
export function parsePruneInputs(read: InputReader, connection: Connection): PruneInputs {
  return {
    connection,
    productKey: readId(read, NAME.productKey, 'the ProductKey whose packages to prune'),
    moduleName: readModule(read),
    policy: readPolicy(read),
    maxDeletions: readNumber(read, NAME.maxDeletions, PRUNE_DEFAULTS.maxDeletions, 1, DELETIONS_MAX, true),
    dryRun: readBoolean(read, NAME.dryRun, PRUNE_DEFAULTS.dryRun)
  }
}
