import { cell, progressBar, table } from '../report/markdown.js'
import { JOB_OUTPUT } from '../contract/names.js'
import { TASK_STATUSES } from '../platform/job-rules.js'
import type { RolloutScope } from './inputs.js'
import { finishedOf } from './progress.js'
import { rolloutFailure, type RolloutOutcome } from './rollout-package.js'
import { withJson, type Report } from '../report/report.js'

/** Failed devices listed in the summary; the rest are counted. */
const FAILED_ROWS_SHOWN = 50

/** `gray 5% of the devices on 1.0.0, static job`. */
export function describeSelection(scope: RolloutScope): string {
  const what = {
    all: 'all devices',
    gray: `gray ${scope.grayPercent ?? '?'}% of the devices`,
    devices: `${scope.devices.length} named device(s)`,
    group: `group ${scope.groupId ?? '?'}`
  }[scope.selection]
  const versions = scope.srcVersions.length > 0 ? ` on ${scope.srcVersions.join(', ')}` : ''
  return `${what}${versions}, ${scope.dynamic ? 'dynamic job (devices that qualify later join)' : 'static job'}`
}

function haltSection(outcome: RolloutOutcome, maxFailurePercent: number | undefined): string {
  const b = outcome.budget
  let text = `**Halted:** ${b ? `${b.failed} of ${b.finished} finished devices failed (${b.failedPercent.toFixed(1)}%)` : 'the failure budget was exceeded'}, over the budget of ${maxFailurePercent ?? '?'}%`
  text += b && b.excluded > 0 ? ` (${b.excluded} device(s) busy in another batch not counted).\n` : '.\n'
  if (outcome.cancelled.length > 0) text += `\nCancelled, as the platform confirms: ${outcome.cancelled.map(cell).join('; ')}.\n`
  if (outcome.stillRunningCount > 0) {
    const named = outcome.stillRunning.map((t) => `${cell(t.DeviceName)} (${t.TaskStatus})`).join(', ')
    text += `\n**Still running:** ${outcome.stillRunningCount} task(s) could not be cancelled and may still upgrade: ${named}. Cancel them in the console (or CancelOTATaskByDevice).\n`
  }
  return text
}

function failedSection(outcome: RolloutOutcome): string {
  if (outcome.failedTasks.length === 0) return ''
  const shown = outcome.failedTasks.slice(0, FAILED_ROWS_SHOWN)
  const more = outcome.counts.FAILED - shown.length
  let text = `\n**Failed devices**${more > 0 ? ` (the first ${shown.length}; ${more} more)` : ''}:\n\n`
  text += table(
    ['Device', 'Version', 'Progress', 'Message'],
    shown.map((t) => [t.DeviceName, `${t.SrcVersion ?? '?'} → ${t.DestVersion ?? '?'}`, `${t.Progress}%`, t.TaskDesc ?? ''])
  )
  return text
}

/** The job summary of one rollout run: selection, job, counts per status with a bar, and a halt's details. */
export function renderRolloutSummary(firmwareId: string, scope: RolloutScope, maxFailurePercent: number | undefined, outcome: RolloutOutcome): string {
  let text = `### OTA rollout of package ${cell(firmwareId)}: ${outcome.result}\n\n`
  text += `Selection: ${cell(describeSelection(scope))}. Job \`${outcome.jobId}\`, ${outcome.origin === 'created' ? 'created by this run' : 'started earlier with the same selection, followed'}`
  text += outcome.jobStatus ? ` (${outcome.jobStatus}).\n\n` : '.\n\n'
  if (outcome.result === 'started') return text + 'Started; not followed (`wait-minutes: 0`). The platform carries it on.\n'
  const finished = finishedOf(outcome.counts)
  text += `${progressBar(finished, outcome.total)} ${finished} of ${outcome.total} device(s) finished\n\n`
  text += table(
    ['Status', 'Devices'],
    TASK_STATUSES.filter((s) => outcome.counts[s] > 0).map((s) => [s, String(outcome.counts[s])])
  )
  if (outcome.result === 'halted') text += '\n' + haltSection(outcome, maxFailurePercent)
  if (outcome.result === 'following-ended') text += '\nFollowing ended (`wait-minutes`); the job carries on. Offline devices keep a static job in progress.\n'
  return text + failedSection(outcome)
}

/** The step outputs, as strings (the `json` output holds all of them and every status count). */
export function buildRolloutOutputs(outcome: RolloutOutcome): Record<string, string> {
  const values: Record<string, string> = {
    [JOB_OUTPUT.jobId]: outcome.jobId,
    [JOB_OUTPUT.result]: outcome.result,
    [JOB_OUTPUT.succeeded]: String(outcome.counts.SUCCEEDED),
    [JOB_OUTPUT.failed]: String(outcome.counts.FAILED),
    [JOB_OUTPUT.canceled]: String(outcome.counts.CANCELED)
  }
  return withJson(values, { jobStatus: outcome.jobStatus ?? '', total: outcome.total, counts: outcome.counts })
}

/** Everything a rollout run reports. */
export function rolloutReport(outcome: RolloutOutcome, inputs: RolloutScope & { firmwareId: string; maxFailurePercent?: number }): Report {
  return {
    result: outcome.result,
    outputs: buildRolloutOutputs(outcome),
    summary: renderRolloutSummary(inputs.firmwareId, inputs, inputs.maxFailurePercent, outcome),
    failure: rolloutFailure(outcome),
    notice: { title: 'OTA rollout', message: `Upgrade job ${outcome.jobId} for ${outcome.total} device(s): ${outcome.result}.` }
  }
}
