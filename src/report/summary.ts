import type { Artifact } from '../files/artifact.js'
import type { Plan } from '../plan/plan.js'
import { formatBytes } from './format.js'
import type { PublishResult } from '../publish/publish.js'
import { cell, code } from './markdown.js'

const HEADER =
  '| Module | Tag → DestVersion | File | Size | Digest | FirmwareId | UtcCreate | Result | NeedToVerify |\n' + '|---|---|---|---|---|---|---|---|---|\n'

function tagCell(plan: Plan): string {
  return plan.version.tag ? `${plan.version.tag} → ${plan.destVersion}` : plan.destVersion
}

/** One run's table: matrix legs each write their own into the same job summary. */
export function renderSummary(plan: Plan, artifact: Artifact | undefined, result: PublishResult): string {
  const row = [
    cell(plan.moduleName),
    cell(tagCell(plan)),
    artifact ? code(artifact.displayPath) : '',
    result.size ? formatBytes(result.size) : '',
    result.sign ? `${result.signMethod} ${code(result.sign)}` : '',
    result.firmwareId ? code(result.firmwareId) : '',
    cell(result.utcCreate ?? ''),
    result.result,
    String(plan.needToVerify)
  ]
  let text = `### OTA package ${cell(plan.firmwareName)} (${cell(plan.productKey)})\n\n${HEADER}| ${row.join(' | ')} |\n`
  if (result.result === 'created' || result.result === 'reused') {
    text += plan.needToVerify
      ? '\nNext: verify the package on a few devices (CreateOTAVerifyJob or the console), then start a batch upgrade.\n'
      : '\nNext: start a batch upgrade for the devices (CreateOTAStaticUpgradeJob or the console).\n'
  }
  if (result.result === 'dry-run') {
    text += '\nDry run: nothing was uploaded or registered.\n'
    text += result.probe
      ? `\n**Permission probe:** ${cell(result.probe)} Upload and create rights cannot be checked without writing; the RAM policy in the README lists them.\n`
      : '\n**Permission probe:** skipped, no credentials were given.\n'
    if (result.firmwareId) {
      text += `\nWould reuse package \`${result.firmwareId}\`, which already holds this file: nothing would be uploaded or registered.\n`
    } else if (result.createParams) {
      const params = { ...result.createParams, FirmwareUrl: result.createParams.FirmwareUrl ?? '(from GenerateOTAUploadURL)' }
      text += `\n**Upload:** ${cell(result.uploadPlan ?? '')}\n\nThen CreateOTAFirmware with:\n\n\`\`\`json\n${JSON.stringify(params, null, 2)}\n\`\`\`\n`
    }
  }
  if (result.message && result.result === 'skipped') text += `\n${cell(result.message)}\n`
  return text
}

/** A leg that published nothing on purpose (module guard, prerelease policy). */
export function renderSkipSummary(plan: Plan, reason: string): string {
  return (
    `### OTA package ${cell(plan.firmwareName)} (${cell(plan.productKey)}): skipped\n\n${HEADER}` +
    `| ${[plan.moduleName, tagCell(plan), '', '', '', '', '', 'skipped', String(plan.needToVerify)].map(cell).join(' | ')} |\n\n${cell(reason)}\n`
  )
}

/** What failed and what to do, for the job summary of a failed run. */
export function renderFailureSummary(
  message: string,
  hint: string | undefined,
  context: { action?: string; module?: string; version?: string; input?: string; code?: string }
): string {
  const where = [
    context.module ? `module ${context.module}` : undefined,
    context.version ? `DestVersion ${context.version}` : undefined,
    context.input ? `input \`${context.input}\`` : undefined,
    context.code ? `code \`${context.code}\`` : undefined
  ].filter((x) => x !== undefined)
  return (
    `### ${context.action ?? 'OTA publish'} failed${where.length ? ` (${where.join(', ')})` : ''}\n\n${cell(message)}\n` +
    (hint ? `\n**What to do:** ${cell(hint)}\n` : '')
  )
}
