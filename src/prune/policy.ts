/**
 * The retention policy, pure: which packages of a product stay, which go and in what order, from the
 * package list and what is known of their jobs. prune.ts around it reads the list again before each
 * delete, and the jobs a decision depends on, then asks again.
 */
import { isPlanMarker } from '../rollout/plan/tags.js'
import type { FirmwareSummary, JobSummary } from '../platform/models.js'
import { FIRMWARE_STATUS, JOB_TYPE } from '../platform/job-rules.js'
import { BUILD_SEPARATOR, LOOSE_VERSION } from '../plan/version-grammar.js'

/** `keep-last`: prereleases count like the rest; `prune-first`: they go before any release. */
export const PRERELEASE_MODES = ['keep-last', 'prune-first'] as const
export type PrereleaseMode = (typeof PRERELEASE_MODES)[number]

export interface RetentionPolicy {
  /** Packages kept per module, newest by UtcCreate (releases first with `prune-first`). */
  readonly keepLast: number
  /** Packages created within this many days are kept too. */
  readonly keepDays?: number
  readonly prereleases: PrereleaseMode
  /** FirmwareIds never deleted. */
  readonly protect: ReadonlySet<string>
}

/** What the run has read of the packages' jobs (ListOTAJobByFirmware). */
export interface JobFacts {
  /** Packages whose jobs were read. */
  readonly read: ReadonlySet<string>
  /** Packages that had a batch upgrade job (any job but a verification). */
  readonly rolledOut: ReadonlySet<string>
  /** A job of the package that is neither COMPLETED nor CANCELED. */
  readonly running: ReadonlyMap<string, JobSummary>
}

/**
 * Why a package stays: among the `keep-last` newest of its module, created within `keep-days`,
 * listed in `protect`, its module's rollback target, or in use by a job.
 */
export type KeepReason = 'newest' | 'recent' | 'protected' | 'rollback-target' | 'running-job'

export interface Decision {
  readonly pkg: FirmwareSummary
  /** UtcCreate in epoch ms; a package without one counts as created now (never old enough to go). */
  readonly created: number
  readonly prerelease: boolean
  /** Empty: the package goes. */
  readonly keep: readonly KeepReason[]
  /**
   * Kept as its module's rollback target only because this newer package's jobs are unread (it may
   * have been rolled out since): read them before deciding.
   */
  readonly confirmTarget?: string
}

export interface ModulePlan {
  readonly moduleName: string
  /** Newest first. */
  readonly decisions: readonly Decision[]
  /** The newest package verified or rolled out, as far as the facts tell. */
  readonly rollbackTarget?: string
}

export interface PrunePlan {
  readonly modules: readonly ModulePlan[]
  /** Every package the policy alone would delete, in the order they go; a guard may still keep one. */
  readonly queue: readonly Decision[]
}

const DAY_MS = 86_400_000
/** Job states after which a package is no longer in use (ListOTAJobByFirmware's JobStatus). */
export const FINISHED_JOB_STATUSES: readonly string[] = ['COMPLETED', 'CANCELED']

/** Whether DestVersion has a prerelease part: `1.2.3-rc.1`, `v2-beta`; not a date (`2024-11-20`) nor `1.2.3_build.7`. */
export function isPrerelease(destVersion: string): boolean {
  const version = destVersion.replace(/^[vV](?=\d)/, '').split(BUILD_SEPARATOR)[0] ?? ''
  return LOOSE_VERSION.exec(version)?.groups?.prerelease !== undefined
}

/** What a package's jobs say: whether it was rolled out (a rollout plan's markers upgrade nothing), and a job still in use, if any. */
export function readJobs(jobs: readonly JobSummary[]): { rolledOut: boolean; running?: JobSummary } {
  return {
    rolledOut: jobs.some((job) => job.JobType !== JOB_TYPE.verify && !isPlanMarker(job)),
    running: jobs.find((job) => !FINISHED_JOB_STATUSES.includes(job.JobStatus))
  }
}

const newestFirst = (a: Decision, b: Decision): number => b.created - a.created || (a.pkg.FirmwareId < b.pkg.FirmwareId ? 1 : -1)

function isTargetKind(pkg: FirmwareSummary, facts: JobFacts): boolean {
  return pkg.Status === FIRMWARE_STATUS.verified || facts.rolledOut.has(pkg.FirmwareId)
}

function isKnown(pkg: FirmwareSummary, facts: JobFacts): boolean {
  return pkg.Status === FIRMWARE_STATUS.verified || facts.read.has(pkg.FirmwareId)
}

/** One module's packages, newest first, each with the reasons it stays. */
function planModule(moduleName: string, packages: readonly Decision[], policy: RetentionPolicy, facts: JobFacts, now: number): ModulePlan {
  const sorted = [...packages].sort(newestFirst)
  // With prune-first, releases take the keep-last places before any prerelease does.
  const ranked = policy.prereleases === 'prune-first' ? [...sorted.filter((d) => !d.prerelease), ...sorted.filter((d) => d.prerelease)] : sorted
  const newest = new Set(ranked.slice(0, policy.keepLast).map((d) => d.pkg.FirmwareId))
  const targetAt = sorted.findIndex((d) => isTargetKind(d.pkg, facts))
  const target = targetAt < 0 ? undefined : sorted[targetAt]?.pkg.FirmwareId
  const decisions = sorted.map((d): Decision => {
    const id = d.pkg.FirmwareId
    const keep: KeepReason[] = []
    if (newest.has(id)) keep.push('newest')
    if (policy.keepDays !== undefined && now - d.created < policy.keepDays * DAY_MS) keep.push('recent')
    if (policy.protect.has(id)) keep.push('protected')
    if (id === target) keep.push('rollback-target')
    if (facts.running.has(id)) keep.push('running-job')
    const onlyTarget = keep.length === 1 && keep[0] === 'rollback-target'
    const unread = onlyTarget ? sorted.slice(0, targetAt).find((newer) => !isKnown(newer.pkg, facts)) : undefined
    return { ...d, keep, confirmTarget: unread?.pkg.FirmwareId }
  })
  return { moduleName, decisions, rollbackTarget: target }
}

/** The order packages go in: prereleases first with `prune-first`, then the oldest first. */
function deletionOrder(policy: RetentionPolicy): (a: Decision, b: Decision) => number {
  const first = (d: Decision): number => (policy.prereleases === 'prune-first' && d.prerelease ? 0 : 1)
  return (a, b) => first(a) - first(b) || -newestFirst(a, b)
}

/** What the policy keeps and deletes of these packages (one product), given what is known of their jobs at `now`. */
export function planPrune(rows: readonly FirmwareSummary[], policy: RetentionPolicy, facts: JobFacts, now: number): PrunePlan {
  const byModule = new Map<string, Decision[]>()
  for (const pkg of rows) {
    const parsed = Date.parse(pkg.UtcCreate ?? '')
    const decision: Decision = { pkg, created: Number.isNaN(parsed) ? now : parsed, prerelease: isPrerelease(pkg.DestVersion), keep: [] }
    const list = byModule.get(pkg.ModuleName)
    if (list) list.push(decision)
    else byModule.set(pkg.ModuleName, [decision])
  }
  const modules = [...byModule.keys()].sort().map((name) => planModule(name, byModule.get(name) ?? [], policy, facts, now))
  const queue = modules
    .flatMap((m) => m.decisions)
    .filter((d) => !d.keep.includes('newest') && !d.keep.includes('recent'))
    .sort(deletionOrder(policy))
  return { modules, queue }
}
