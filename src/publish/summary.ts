import type { Artifact } from '../files/artifact.js'
import type { Plan } from '../plan/plan.js'
import { formatBytes } from '../report/format.js'
import type { PublishResult } from './publish.js'
import { cell, code } from '../report/markdown.js'

/** What a person looks for first: the outcome, the package's id, its version; each leg of a matrix writes its own. */
const KEY_COLUMNS = ['Result', 'FirmwareId', 'DestVersion', 'Module', 'NeedToVerify'] as const

function versionCell(plan: Plan): string {
  return plan.version.tag ? `${cell(plan.destVersion)} (tag ${cell(plan.version.tag)})` : cell(plan.destVersion)
}

/** The one-row table of key facts, narrow enough for the summary pane (digests and times go in the list below). */
function keyTable(plan: Plan, result: string, firmwareId: string | undefined): string {
  const row = [`**${result}**`, firmwareId ? code(firmwareId) : '', versionCell(plan), cell(plan.moduleName), String(plan.needToVerify)]
  return `| ${KEY_COLUMNS.join(' | ')} |\n|${KEY_COLUMNS.map(() => '---').join('|')}|\n| ${row.join(' | ')} |\n`
}

/** `256.0 KiB (262144 bytes)`; small sizes in bytes only. */
function sizeText(bytes: number): string {
  return bytes < 1024 ? `${bytes} byte${bytes === 1 ? '' : 's'}` : `${formatBytes(bytes)} (${bytes} bytes)`
}

/** Each file of a package of several: its name in the package, where it was found, size and digest. */
function fileLines(result: PublishResult): string[] {
  return (result.files ?? []).map(
    (file) =>
      `File ${code(file.name)}${file.path === file.name ? '' : ` (${code(file.path)})`}, ${sizeText(file.size)}${file.sign ? `, ${result.signMethod} ${code(file.sign)}` : ''}`
  )
}

/** File, size, digest and creation time: a list, which wraps where a table would run off the pane. */
function details(artifact: Artifact | undefined, result: PublishResult): string {
  const lines = [
    ...fileLines(result),
    artifact ? `File ${code(artifact.displayPath)}${result.size ? `, ${sizeText(result.size)}` : ''}` : undefined,
    !artifact && result.firmwareUrl ? `FirmwareUrl ${code(result.firmwareUrl.split('?')[0] ?? '')}` : undefined,
    result.sign ? `${result.signMethod} ${code(result.sign)}` : undefined,
    result.utcCreate ? `UtcCreate ${cell(result.utcCreate)}` : undefined
  ].filter((line) => line !== undefined)
  return lines.length > 0 ? `\n${lines.map((line) => `- ${line}`).join('\n')}\n` : ''
}

function heading(plan: Plan, result: string): string {
  return `### OTA package ${cell(plan.firmwareName)} (${cell(plan.productKey)}): ${result}\n\n`
}

function dryRunSection(result: PublishResult): string {
  let text = '\nDry run: nothing was uploaded or registered.\n'
  text += result.probe
    ? `\n**Permission probe:** ${cell(result.probe)} Upload and create rights cannot be checked without writing; the RAM policy in the README lists them.\n`
    : '\n**Permission probe:** skipped, no credentials were given.\n'
  if (result.firmwareId) {
    text += `\nWould reuse package \`${result.firmwareId}\`, which already holds ${result.files ? 'these files' : 'this file'}: nothing would be uploaded or registered.\n`
  } else if (result.createParams) {
    const params = result.createParams.MultiFiles
      ? result.createParams
      : { ...result.createParams, FirmwareUrl: result.createParams.FirmwareUrl ?? '(from GenerateOTAUploadURL)' }
    text += `\n**Upload:** ${cell(result.uploadPlan ?? '')}\n\nThen CreateOTAFirmware with:\n\n\`\`\`json\n${JSON.stringify(params, null, 2)}\n\`\`\`\n`
  }
  return text
}

/** One run's summary: the key facts first, then the file's details and what to do next. */
export function renderSummary(plan: Plan, artifact: Artifact | undefined, result: PublishResult): string {
  let text = heading(plan, result.result) + keyTable(plan, result.result, result.firmwareId) + details(artifact, result)
  if (result.result === 'created' || result.result === 'reused') {
    text += plan.needToVerify
      ? '\nNext: verify the package on a few devices (the verify action, or CreateOTAVerifyJob), then roll it out.\n'
      : '\nNext: roll it out (the rollout action, or CreateOTAStaticUpgradeJob).\n'
  }
  if (result.result === 'dry-run') text += dryRunSection(result)
  if (result.message && result.result === 'skipped') text += `\n${cell(result.message)}\n`
  return text
}

/** A leg that published nothing on purpose (module guard, prerelease policy). */
export function renderSkipSummary(plan: Plan, reason: string): string {
  return heading(plan, 'skipped') + keyTable(plan, 'skipped', undefined) + `\n${cell(reason)}\n`
}
