import { JOB_OUTPUT } from '../contract/names.js'
import { formatMinutes } from '../report/format.js'
import { cell, table } from '../report/markdown.js'
import type { DeviceState } from './follow.js'
import { verifyFailure, type VerifyOutcome } from './verify-package.js'
import type { VerifyInputs } from './inputs.js'
import { withJson, type Report } from '../report/report.js'

const FIRMWARE_STATUS_TEXT: Record<number, string> = {
  [-1]: 'no verification needed',
  0: 'not verified',
  1: 'verified',
  2: 'verifying',
  3: 'verification failed'
}

const ORIGIN_TEXT: Record<VerifyOutcome['origin'], string> = {
  created: 'created by this run',
  followed: 'started earlier for this package, followed by this run',
  earlier: 'the verification that verified the package',
  none: ''
}

function versionCell(device: DeviceState): string {
  if (!device.srcVersion && !device.destVersion) return ''
  return `${device.srcVersion ?? '?'} → ${device.destVersion ?? '?'}`
}

function nextStep(outcome: VerifyOutcome): string {
  switch (outcome.result) {
    case 'verified':
    case 'not-needed':
      return 'Next: start a batch upgrade (the rollout action, `uses: <owner>/<repo>/rollout@v1`).'
    case 'started':
      return 'The job runs on without this step (`wait: false`); a later run with `wait: true` follows it.'
    case 'failed':
      return outcome.timedOut && outcome.neverReported.length > 0
        ? `Devices that never reported within ${formatMinutes(outcome.waitMinutes)}: ${outcome.neverReported.join(', ')}. Bring them online or raise \`wait-minutes\`; a re-run follows the same job.`
        : 'Next: look at what the failed devices reported, fix the package, publish a new version and verify it.'
  }
}

/** The job summary of one verify run: the devices' table, the package's verification status, the next step. */
export function renderVerifySummary(productKey: string, outcome: VerifyOutcome): string {
  const firmware = `${outcome.firmware.Status} ${FIRMWARE_STATUS_TEXT[outcome.firmware.Status] ?? ''}`.trim()
  let text = `### OTA verification of package ${cell(outcome.firmwareId)} (${cell(productKey)}): ${outcome.result}\n\n`
  if (outcome.jobId) text += `Verify job \`${outcome.jobId}\`, ${ORIGIN_TEXT[outcome.origin]}.\n`
  text += `Package verification status: **${firmware}** (VerifyProgress ${outcome.firmware.VerifyProgress}%).\n\n`
  if (outcome.devices.length > 0) {
    const rows = outcome.devices.map((d) => [d.name, d.status, `${d.progress}%`, versionCell(d), d.message ?? ''])
    text += table(['Device', 'Status', 'Progress', 'Version', 'Message'], rows) + '\n'
  }
  return text + `${nextStep(outcome)}\n`
}

/** Devices that did not succeed, once the run has followed the job to its end. */
function failedCount(outcome: VerifyOutcome): number {
  if (outcome.result !== 'failed' && outcome.result !== 'verified') return 0
  return outcome.devices.filter((d) => d.status !== 'SUCCEEDED').length
}

/** The step outputs, as strings (the `json` output holds all of them). */
export function buildVerifyOutputs(outcome: VerifyOutcome): Record<string, string> {
  const devices = Object.fromEntries(outcome.devices.map((d) => [d.name, { status: d.status, progress: d.progress, message: d.message ?? '' }]))
  const values: Record<string, string> = {
    [JOB_OUTPUT.jobId]: outcome.jobId ?? '',
    [JOB_OUTPUT.result]: outcome.result,
    [JOB_OUTPUT.succeeded]: String(outcome.devices.filter((d) => d.status === 'SUCCEEDED').length),
    [JOB_OUTPUT.failed]: String(failedCount(outcome)),
    [JOB_OUTPUT.devices]: JSON.stringify(devices)
  }
  return withJson(values, { [JOB_OUTPUT.devices]: devices })
}

/** The notice of a successful run. */
function successLine(o: VerifyOutcome): string {
  return o.result === 'not-needed'
    ? `Package ${o.firmwareId} needs no verification (NeedToVerify=false).`
    : `Package ${o.firmwareId}: ${o.result}${o.jobId ? ` (verify job ${o.jobId})` : ''}.`
}

/** Everything a verify run reports. */
export function verifyReport(outcome: VerifyOutcome, inputs: Pick<VerifyInputs, 'productKey'>): Report {
  return {
    result: outcome.result,
    outputs: buildVerifyOutputs(outcome),
    summary: renderVerifySummary(inputs.productKey, outcome),
    failure: verifyFailure(outcome),
    notice: { title: 'OTA verify', message: successLine(outcome) }
  }
}
