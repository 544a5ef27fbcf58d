/**
 * A prune run. Every delete is decided on the package list read right before it and on the
 * package's jobs read right before it, and the policy is asked again each time: a package another
 * run (or a person) deleted meanwhile shrinks what this run may delete, so two runs at once never
 * delete more than the policy allows between them.
 */
import { describeError } from '../contract/action-error.js'
import { PRUNE_INPUT } from '../contract/names.js'
import type { Logger } from '../contract/logger.js'
import type { IotApi } from '../platform/client.js'
import type { FirmwareSummary, JobSummary } from '../platform/models.js'
import { deletePackage } from './delete.js'
import { emptyKnowledge, learnJobs, type Knowledge } from './facts.js'
import { describePolicy, type PruneInputs } from './inputs.js'
import { planPrune, type Decision, type PrunePlan } from './policy.js'

export interface PruneDeps {
  /** The one client: paced, retried by kind; a delete whose answer was lost is looked up before it is sent again. */
  readonly api: IotApi
  readonly log: Logger
  readonly now: () => number
}

/** A package this run deleted: `gone` when another run or a person was first, `dry-run` when it only would have. */
export interface Deletion {
  readonly decision: Decision
  readonly how: 'deleted' | 'gone' | 'dry-run'
}

/** What a run has done so far, kept for the report of a failure partway. */
export interface PruneProgress {
  readonly deletions: Deletion[]
  /** Packages that disappeared before this run got to them (another run, a person). */
  readonly vanished: FirmwareSummary[]
}

export interface PruneOutcome {
  readonly dryRun: boolean
  /** Packages in scope (the product, or its module) when the run started. */
  readonly before: number
  readonly deletions: readonly Deletion[]
  readonly vanished: readonly FirmwareSummary[]
  /** The policy over what is left: why each package stays, and what a later run would delete (`max-deletions`). */
  readonly plan: PrunePlan
  /** The job that keeps each package in use, of those whose jobs were read. */
  readonly running: ReadonlyMap<string, JobSummary>
  /** The account's package count after the run; undefined when it could not be read. */
  readonly accountPackages?: number
}

export const newProgress = (): PruneProgress => ({ deletions: [], vanished: [] })

/** The next thing to do: read jobs a decision depends on, or delete. */
type Step = { readonly read: string; readonly candidate?: Decision } | { readonly delete: Decision }

function nextStep(plan: PrunePlan, known: Knowledge): Step | undefined {
  for (const d of plan.queue) {
    if (d.confirmTarget !== undefined) return { read: d.confirmTarget }
    if (d.keep.length > 0) continue
    // Its jobs are read right before its delete: a job started since keeps it.
    return known.fresh.has(d.pkg.FirmwareId) ? { delete: d } : { read: d.pkg.FirmwareId, candidate: d }
  }
  return undefined
}

/**
 * The packages in scope: the product's, or its module's. One this run deleted, or found gone, stays
 * out even if a list read right after a delete still shows it.
 */
async function readScope(inputs: PruneInputs, api: IotApi, progress: PruneProgress): Promise<FirmwareSummary[]> {
  const done = new Set([...progress.deletions.map((d) => d.decision.pkg.FirmwareId), ...progress.vanished.map((p) => p.FirmwareId)])
  const rows = await api.listProductFirmware(inputs.productKey)
  return rows.filter((row) => (inputs.moduleName === undefined || row.ModuleName === inputs.moduleName) && !done.has(row.FirmwareId))
}

export const describePackage = (pkg: FirmwareSummary): string =>
  `${pkg.FirmwareId} (module ${pkg.ModuleName}, DestVersion ${pkg.DestVersion}, created ${pkg.UtcCreate ?? 'at an unknown time'})`

/** Reads the jobs a step needs; a package found gone leaves the list. */
async function readStep(step: { read: string; candidate?: Decision }, rows: FirmwareSummary[], known: Knowledge, deps: PruneDeps, progress: PruneProgress) {
  const found = await learnJobs(step.read, known, deps.api)
  const pkg = rows.find((row) => row.FirmwareId === step.read)
  if (found === 'gone') {
    if (pkg) progress.vanished.push(pkg)
    deps.log.info(`${pkg ? describePackage(pkg) : step.read} is gone already: another run or a person deleted it.`)
    return rows.filter((row) => row.FirmwareId !== step.read)
  }
  const job = known.running.get(step.read)
  if (step.candidate && job) deps.log.info(`Keeping ${describePackage(step.candidate.pkg)}: its job ${job.JobId} is ${job.JobStatus || 'of an unknown state'}.`)
  return rows
}

/** Deletes (or, in a dry run, does not) the package a step names; false when a job started meanwhile keeps it. */
async function deleteStep(d: Decision, inputs: PruneInputs, known: Knowledge, deps: PruneDeps, progress: PruneProgress): Promise<boolean> {
  const how = inputs.dryRun ? 'dry-run' : await deletePackage(d.pkg.FirmwareId, known, deps.api)
  if (how === 'running') {
    deps.log.info(`Keeping ${describePackage(d.pkg)}: a job started using it before the delete.`)
    return false
  }
  progress.deletions.push({ decision: d, how })
  const what = describePackage(d.pkg)
  const said = {
    deleted: `Deleted ${what}.`,
    gone: `${what} was gone already (another run or a person deleted it first): counted as deleted.`,
    'dry-run': `Would delete ${what}.`
  }[how]
  deps.log.info(said)
  return true
}

/** The account's count after the run; a failure to read it is a warning, not a failed prune. */
async function countAfter(deps: PruneDeps): Promise<number | undefined> {
  try {
    return await deps.api.countFirmware()
  } catch (error) {
    deps.log.warning(`Could not read how many packages the account holds: ${describeError(error)}`)
    return undefined
  }
}

/** What the run did; at `max-deletions`, what the next run goes on with. */
async function finish(plan: PrunePlan, before: number, known: Knowledge, inputs: PruneInputs, deps: PruneDeps, progress: PruneProgress): Promise<PruneOutcome> {
  const left = leftForLater(plan).length
  if (left > 0)
    deps.log.info(`Stopped at '${PRUNE_INPUT.maxDeletions}' (${inputs.maxDeletions}): the policy would delete ${left} more, which the next run does.`)
  const { deletions, vanished } = progress
  return { dryRun: inputs.dryRun, before, deletions, vanished, plan, running: known.running, accountPackages: await countAfter(deps) }
}

/** Packages the policy would still delete once a run stopped at `max-deletions` (a rollback target not confirmed yet among them). */
export function leftForLater(plan: PrunePlan): Decision[] {
  return plan.queue.filter((d) => d.keep.length === 0 || d.confirmTarget !== undefined)
}

/** Applies the retention policy to the product's packages; `progress` records each delete as it happens. */
export async function prunePackages(inputs: PruneInputs, deps: PruneDeps, progress: PruneProgress): Promise<PruneOutcome> {
  const known = emptyKnowledge()
  let rows = await readScope(inputs, deps.api, progress)
  const before = rows.length
  deps.log.info(
    `${before} package(s) of product ${inputs.productKey}${inputs.moduleName ? `, module ${inputs.moduleName}` : ''}. Policy: ${describePolicy(inputs)}.`
  )
  let stale = false
  for (;;) {
    const full = progress.deletions.length >= inputs.maxDeletions
    if (stale && !full) {
      rows = await readScope(inputs, deps.api, progress)
      known.fresh.clear()
      stale = false
    }
    const plan = planPrune(rows, inputs.policy, known, deps.now())
    const step = full ? undefined : nextStep(plan, known)
    if (step === undefined) return finish(plan, before, known, inputs, deps, progress)
    if ('read' in step) {
      rows = await readStep(step, rows, known, deps, progress)
    } else if (await deleteStep(step.delete, inputs, known, deps, progress)) {
      rows = rows.filter((row) => row.FirmwareId !== step.delete.pkg.FirmwareId)
      // What others did meanwhile is read before the next delete; a dry run changes nothing.
      stale = !inputs.dryRun
    }
  }
}
