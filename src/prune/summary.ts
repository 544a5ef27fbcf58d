import type { ActionError } from '../contract/action-error.js'
import { DEFAULTS, PRUNE_INPUT, PRUNE_OUTPUT } from '../contract/names.js'
import { FIRMWARE_STATUS } from '../platform/job-rules.js'
import type { FirmwareSummary } from '../platform/models.js'
import { renderFailureSummary } from '../report/failure.js'
import { cell, code, table } from '../report/markdown.js'
import { withJson, type Report } from '../report/report.js'
import { describePolicy, type PruneInputs } from './inputs.js'
import type { Decision, KeepReason, PrunePlan } from './policy.js'
import { leftForLater, type Deletion, type PruneOutcome, type PruneProgress } from './prune.js'

/** Rows of the deleted and kept tables; the rest are counted (the outputs list every one). */
const ROWS_SHOWN = 100

/** What the summary compares the account's count with: the documented limit, publish's `package-quota` default. */
const ACCOUNT_LIMIT = DEFAULTS.packageQuota

const REASON_TEXT: Record<KeepReason, string> = {
  newest: 'newest',
  recent: 'recent',
  protected: 'protected',
  'rollback-target': 'rollback target',
  'running-job': 'in use by a job'
}

/** Why a package the policy alone would delete is kept. */
function whyKept(d: Decision, outcome: PruneOutcome): string {
  if (d.keep.length === 0 || d.confirmTarget !== undefined) return `${LATER} ('${PRUNE_INPUT.maxDeletions}')`
  return d.keep
    .map((reason) => {
      if (reason === 'rollback-target') return `rollback target (${d.pkg.Status === FIRMWARE_STATUS.verified ? 'verified' : 'rolled out'})`
      const job = reason === 'running-job' ? outcome.running.get(d.pkg.FirmwareId) : undefined
      return job ? `job ${code(job.JobId)} ${job.JobStatus || 'unfinished'}` : REASON_TEXT[reason]
    })
    .join(', ')
}

const createdOn = (pkg: FirmwareSummary): string => pkg.UtcCreate?.slice(0, 10) ?? '?'
/** FirmwareId and DestVersion in one cell: it is as wide as the wider of the two, so the table fits the pane. */
const packageCell = (pkg: FirmwareSummary): string => `${code(pkg.FirmwareId)} ${pkg.DestVersion}`

function deletedTable(deletions: readonly Deletion[]): string {
  const rows = deletions
    .slice(0, ROWS_SHOWN)
    .map(({ decision: { pkg }, how }) => [packageCell(pkg), pkg.ModuleName, `${createdOn(pkg)}${how === 'gone' ? ', gone already' : ''}`])
  const more = deletions.length - rows.length
  return table(['Package', 'Module', 'Created'], rows) + (more > 0 ? `\nand ${more} more (output \`deleted-ids\`).\n` : '')
}

const LATER = 'left for a later run'

/** A module's kept packages counted by the first reason each stays for, the policy's first. */
function keptCell(decisions: readonly Decision[]): string {
  const counts = new Map<string, number>([...Object.values(REASON_TEXT), LATER].map((text) => [text, 0]))
  for (const d of decisions) {
    const reason = d.keep[0] === undefined || d.confirmTarget !== undefined ? LATER : REASON_TEXT[d.keep[0]]
    counts.set(reason, (counts.get(reason) ?? 0) + 1)
  }
  return [...counts]
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${n} ${reason}`)
    .join(', ')
}

function modulesTable(outcome: PruneOutcome): string {
  const deletedIn = (name: string) => outcome.deletions.filter((d) => d.decision.pkg.ModuleName === name).length
  const names = [...new Set([...outcome.plan.modules.map((m) => m.moduleName), ...outcome.deletions.map((d) => d.decision.pkg.ModuleName)])].sort()
  const rows = names.map((name) => {
    const decisions = outcome.plan.modules.find((m) => m.moduleName === name)?.decisions ?? []
    return [name, String(deletedIn(name)), String(decisions.length), keptCell(decisions)]
  })
  return table(['Module', outcome.dryRun ? 'Would delete' : 'Deleted', 'Kept', 'Why kept'], rows)
}

/** The packages kept although the policy alone would delete them, and why. */
function keptTable(outcome: PruneOutcome): string {
  const kept = outcome.plan.queue
  if (kept.length === 0) return ''
  const rows = kept.slice(0, ROWS_SHOWN).map((d) => [packageCell(d.pkg), d.pkg.ModuleName, whyKept(d, outcome)])
  const more = kept.length - rows.length
  return `\n**Kept although the policy alone would delete them:**\n\n${table(['Package', 'Module', 'Why kept'], rows)}${more > 0 ? `\nand ${more} more.\n` : ''}`
}

function accountLine(count: number | undefined): string {
  if (count === undefined) return "The account's package count could not be read."
  return `The account holds **${count}** of its ${ACCOUNT_LIMIT} OTA packages (${Math.floor((count * 100) / ACCOUNT_LIMIT)} %).`
}

/** The job summary of a prune run: the policy, per module what went and what stayed, what went, what stayed and why, the account's count. */
export function renderPruneSummary(inputs: Pick<PruneInputs, 'productKey' | 'moduleName' | 'policy' | 'maxDeletions'>, outcome: PruneOutcome): string {
  const n = outcome.deletions.length
  const what = outcome.dryRun ? `dry run, ${n} would be deleted` : `${n} deleted`
  let text = `### OTA prune of product ${cell(inputs.productKey)}${inputs.moduleName ? `, module ${cell(inputs.moduleName)}` : ''}: ${what}\n\n`
  text += `Policy: ${cell(describePolicy(inputs))}.\n\n`
  if (outcome.before === 0) return text + `No packages${inputs.moduleName ? ' of this module' : ''}.\n\n${accountLine(outcome.accountPackages)}\n`
  text += modulesTable(outcome)
  if (n > 0) text += `\n**${outcome.dryRun ? 'Would delete' : 'Deleted'}:**\n\n${deletedTable(outcome.deletions)}`
  text += keptTable(outcome)
  const left = leftForLater(outcome.plan).length
  if (left > 0) text += `\n${left} package(s) the policy deletes are left for the next run ('${PRUNE_INPUT.maxDeletions}': ${inputs.maxDeletions}).\n`
  if (outcome.vanished.length > 0) text += `\n${outcome.vanished.length} package(s) were deleted by another run or a person while this one ran.\n`
  return `${text}\n${accountLine(outcome.accountPackages)}\n`
}

function keptPackages(plan: PrunePlan): { firmwareId: string; moduleName: string; destVersion: string; utcCreate: string; why: string[] }[] {
  return plan.modules.flatMap((m) =>
    m.decisions.map((d) => ({
      firmwareId: d.pkg.FirmwareId,
      moduleName: m.moduleName,
      destVersion: d.pkg.DestVersion,
      utcCreate: d.pkg.UtcCreate ?? '',
      why: d.keep.length === 0 || d.confirmTarget !== undefined ? ['later'] : [...d.keep]
    }))
  )
}

/** The step outputs, as strings; `json` also lists every package kept with its reasons. */
export function buildPruneOutputs(outcome: Pick<PruneOutcome, 'dryRun' | 'deletions' | 'plan' | 'accountPackages'>): Record<string, string> {
  const ids = outcome.deletions.map((d) => d.decision.pkg.FirmwareId)
  const kept = keptPackages(outcome.plan)
  const values: Record<string, string> = {
    [PRUNE_OUTPUT.result]: outcome.dryRun ? 'dry-run' : 'pruned',
    [PRUNE_OUTPUT.deleted]: String(ids.length),
    [PRUNE_OUTPUT.deletedIds]: JSON.stringify(ids),
    [PRUNE_OUTPUT.kept]: String(kept.length),
    [PRUNE_OUTPUT.accountPackages]: outcome.accountPackages === undefined ? '' : String(outcome.accountPackages)
  }
  return withJson(values, { [PRUNE_OUTPUT.deletedIds]: ids, keptPackages: kept })
}

/** Everything a prune run reports. */
export function pruneReport(outcome: PruneOutcome, inputs: Pick<PruneInputs, 'productKey' | 'moduleName' | 'policy' | 'maxDeletions'>): Report {
  const outputs = buildPruneOutputs(outcome)
  const account = outcome.accountPackages === undefined ? '' : `; the account holds ${outcome.accountPackages} of ${ACCOUNT_LIMIT}`
  const did = outcome.dryRun ? 'Would delete' : 'Deleted'
  return {
    result: outputs[PRUNE_OUTPUT.result] ?? '',
    outputs,
    summary: renderPruneSummary(inputs, outcome),
    notice: {
      title: 'OTA prune',
      message: `${did} ${outcome.deletions.length} package(s) of product ${inputs.productKey}, kept ${outputs[PRUNE_OUTPUT.kept]}${account}.`
    }
  }
}

/** A run that failed partway: what it deleted before, in the outputs and the summary; a re-run goes on from the list as it is then. */
export function pruneFailure(message: string, details: ActionError | undefined, progress: PruneProgress): { outputs: Record<string, string>; summary: string } {
  const ids = progress.deletions.map((d) => d.decision.pkg.FirmwareId)
  const outputs = { [PRUNE_OUTPUT.deleted]: String(ids.length), [PRUNE_OUTPUT.deletedIds]: JSON.stringify(ids) }
  let summary = renderFailureSummary(message, details?.hint, { action: 'OTA prune', input: details?.input, code: details?.code })
  if (ids.length > 0) summary += `\n**Deleted before the failure** (${ids.length}):\n\n${deletedTable(progress.deletions)}`
  else summary += '\nNothing was deleted.\n'
  return { outputs, summary: summary + '\nA re-run reads the packages again and goes on where this one stopped.\n' }
}
