/** What a plan run reports: its outputs, the job summary (a row a stage), and the error that fails the step. */
import { ActionError } from '../../contract/action-error.js'
import { JOB_OUTPUT, ROLLOUT_INPUT } from '../../contract/names.js'
import { TAG } from './tags.js'
import { FAILURE_CLASS_TEXT, FAILURE_CLASSES } from '../../jobs/failure-class.js'
import { cell, progressBar, table } from '../../report/markdown.js'
import { withJson, type Report } from '../../report/report.js'
import type { PlanOperation } from './inputs.js'
import type { PlanOutcome, StageView } from './outcome.js'

/** Failed devices and unhealthy devices listed in the summary; the rest are counted. */
const ROWS_SHOWN = 50

function gateText(stage: StageView): string {
  switch (stage.gate) {
    case 'soaking':
      return `passed, soaking until ${(stage.soakUntil ?? '').replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z')}`
    case 'below':
      return `finished below the success share (${(stage.verdict?.successPercent ?? 0).toFixed(1)}%)`
    default:
      return stage.gate
  }
}

function stageRows(outcome: PlanOutcome): string[][] {
  return outcome.stages.map((s) => {
    const running = s.counts.CONFIRM + s.counts.QUEUED + s.counts.NOTIFIED + s.counts.IN_PROGRESS
    return [
      String(s.stage),
      `${s.share}%`,
      s.jobIds.length > 0 ? String(s.devices) : '',
      String(s.verdict?.succeeded ?? 0),
      String(s.counts.FAILED),
      String(running),
      gateText(s)
    ]
  })
}

function haltSection(outcome: PlanOutcome): string {
  const h = outcome.halt
  if (h === undefined) return ''
  let text = `\n**Halted** at stage ${h.stage} on ${cell(h.at)}: ${cell(h.reason)}\n`
  if ('stopped' in h) {
    if (h.stopped.length > 0) text += `\nCancelled, as the platform confirms:\n\n${h.stopped.map((line) => `- ${cell(line)}`).join('\n')}\n`
    if (h.stillRunningCount > 0)
      text += `\n**Still running:** ${h.stillRunningCount} task(s) could not be cancelled: ${h.stillRunning.map((t) => cell(t.DeviceName)).join(', ')}.\n`
    text += `\nRecorded on the platform as job \`${h.markerJobId}\` (tagged \`${TAG.kind}=halt\`): later runs find it and change nothing until \`${ROLLOUT_INPUT.operation}: resume\`.\n`
  }
  return text
}

function healthSection(outcome: PlanOutcome): string {
  const v = outcome.health
  if (v === undefined) return ''
  let text = `\n**Health** (${v.check}): ${v.cohort.percent.toFixed(1)}% of ${v.cohort.checked} upgraded devices unhealthy, ${v.control.percent.toFixed(1)}% of ${v.control.checked} in the control group (not upgraded yet): ${v.excess.toFixed(1)} points apart.\n`
  const shown = v.cohort.unhealthy.slice(0, ROWS_SHOWN)
  if (shown.length > 0)
    text += `\nUnhealthy upgraded devices${v.cohort.unhealthy.length > shown.length ? ` (the first ${shown.length})` : ''}: ${shown.map((d) => `${cell(d.name)} (${cell(d.why)})`).join(', ')}.\n`
  return text
}

function failedSection(outcome: PlanOutcome): string {
  const classes = FAILURE_CLASSES.filter((c) => outcome.failureClasses[c] > 0)
  if (classes.length === 0) return ''
  let text = `\n**Failures of stage ${outcome.current}** by what the devices reported:\n\n${table(
    ['Class', 'Devices'],
    classes.map((c) => [FAILURE_CLASS_TEXT[c], String(outcome.failureClasses[c])])
  )}`
  const shown = outcome.failedTasks.slice(0, ROWS_SHOWN)
  if (shown.length > 0)
    text += `\n${table(
      ['Device', 'Progress', 'Message'],
      shown.map((t) => [t.DeviceName, `${t.Progress}%`, t.TaskDesc ?? ''])
    )}`
  return text
}

export function renderPlanSummary(firmwareId: string, outcome: PlanOutcome): string {
  const shares = outcome.stages.map((s) => `${s.share}%`).join(', ')
  let text = `### OTA rollout plan of package ${cell(firmwareId)}: ${outcome.result}\n\n`
  text += `Plan \`${outcome.plan}\`: stages ${shares}; stage ${outcome.current} of ${outcome.stageCount}${outcome.fleet > 0 ? ` on a fleet of ${outcome.fleet}` : ''}.\n\n`
  if (outcome.fleet > 0)
    text += `${progressBar(outcome.totals.succeeded, outcome.fleet)} ${outcome.totals.succeeded} of ${outcome.fleet} device(s) upgraded\n\n`
  text += table(['Stage', 'Share', 'Devices', 'Succeeded', 'Failed', 'Running', 'Gate'], stageRows(outcome))
  if (outcome.message) text += `\n${cell(outcome.message)}\n`
  if (outcome.nextStageAfter) text += `\nThe next stage may start after ${outcome.nextStageAfter}.\n`
  return text + haltSection(outcome) + healthSection(outcome) + failedSection(outcome)
}

/** The step outputs (the `json` output holds them all, every stage and the failure classes). */
export function buildPlanOutputs(outcome: PlanOutcome): Record<string, string> {
  const current = outcome.stages[outcome.current - 1]
  const values: Record<string, string> = {
    [JOB_OUTPUT.result]: outcome.result,
    [JOB_OUTPUT.stage]: String(outcome.current),
    [JOB_OUTPUT.stages]: String(outcome.stageCount),
    [JOB_OUTPUT.jobId]: current?.jobIds[0] ?? '',
    [JOB_OUTPUT.jobIds]: JSON.stringify(outcome.stages.flatMap((s) => [...s.earlierJobIds, ...s.jobIds])),
    [JOB_OUTPUT.succeeded]: String(outcome.totals.succeeded),
    [JOB_OUTPUT.failed]: String(outcome.totals.failed),
    [JOB_OUTPUT.canceled]: String(outcome.totals.canceled),
    [JOB_OUTPUT.nextStageAfter]: outcome.nextStageAfter ?? '',
    [JOB_OUTPUT.unhealthyPercent]: outcome.health ? outcome.health.cohort.percent.toFixed(1) : '',
    [JOB_OUTPUT.controlUnhealthyPercent]: outcome.health ? outcome.health.control.percent.toFixed(1) : ''
  }
  const stages = outcome.stages.map((s) => ({ stage: s.stage, share: s.share, devices: s.devices, jobIds: s.jobIds, gate: s.gate, counts: s.counts }))
  return withJson(values, { plan: outcome.plan, stages, failureClasses: outcome.failureClasses })
}

/** The error that fails the step: a halt a gate made, an advance on a halted plan, or a stage that cannot pass. A halt asked for is a success. */
export function planFailure(outcome: PlanOutcome, operation: PlanOperation): ActionError | undefined {
  const h = outcome.halt
  if (outcome.result === 'halted' && h && 'stopped' in h && operation !== 'halt') {
    const left = h.stillRunningCount > 0 ? ` ${h.stillRunningCount} task(s) could not be cancelled.` : ''
    return new ActionError(`Rollout plan halted at stage ${h.stage}: ${h.reason}${left}`, {
      hint: `The job summary lists what the devices reported. Fix the cause, then run with '${ROLLOUT_INPUT.operation}: resume'.`
    })
  }
  if (outcome.result === 'failed')
    return new ActionError(outcome.message ?? 'The rollout plan cannot go on.', { input: ROLLOUT_INPUT.operation, hint: failedHint(outcome) })
  return undefined
}

function failedHint(outcome: PlanOutcome): string {
  return outcome.halt
    ? `Fix the cause, then run with '${ROLLOUT_INPUT.operation}: resume'.`
    : `Retry the failed devices ('${ROLLOUT_INPUT.operation}: retry-failed'), or halt the plan ('${ROLLOUT_INPUT.operation}: halt').`
}

export function planReport(outcome: PlanOutcome, firmwareId: string, operation: PlanOperation): Report {
  return {
    result: outcome.result,
    outputs: buildPlanOutputs(outcome),
    summary: renderPlanSummary(firmwareId, outcome),
    failure: planFailure(outcome, operation),
    notice: { title: 'OTA rollout', message: `Rollout plan ${outcome.plan}: ${outcome.result}, stage ${outcome.current} of ${outcome.stageCount}.` },
    message: outcome.message
  }
}
