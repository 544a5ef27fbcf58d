import type { Artifact } from './artifact.js'
import type { Plan } from './plan.js'
import { DEFAULT_MODULE } from './plan.js'
import { formatBytes } from './progress.js'
import type { PublishResult } from './publish.js'

function cell(value: string): string {
  return value.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

const HEADER =
  '| Module | Tag → DestVersion | File | Size | Digest | FirmwareId | UtcCreate | Result | NeedToVerify |\n' +
  '|---|---|---|---|---|---|---|---|---|\n'

/** One run's row: matrix legs each write their own table into the same job summary. */
export function renderSummary(plan: Plan, artifact: Artifact | undefined, result: PublishResult): string {
  const tag = plan.version.tag ? `${plan.version.tag} → ${plan.destVersion}` : plan.destVersion
  const row = [
    plan.moduleName || DEFAULT_MODULE,
    tag,
    artifact ? `\`${artifact.displayPath}\`` : '',
    result.size ? formatBytes(result.size) : '',
    result.sign ? `${result.signMethod} \`${result.sign}\`` : '',
    result.firmwareId ? `\`${result.firmwareId}\`` : '',
    result.utcCreate ?? '',
    result.result,
    String(plan.needToVerify)
  ]
  let text = `### OTA package ${cell(plan.firmwareName)} (${cell(plan.productKey)})\n\n${HEADER}| ${row.map(cell).join(' | ')} |\n`
  if (result.result === 'created' || result.result === 'reused') {
    text += plan.needToVerify
      ? '\nNext: verify the package on a few devices (CreateOTAVerifyJob or the console), then start a batch upgrade.\n'
      : '\nNext: start a batch upgrade for the devices (CreateOTAStaticUpgradeJob or the console).\n'
  } else if (result.result === 'dry-run') {
    text += '\nDry run: nothing was uploaded or registered.\n'
  }
  if (result.message && result.result === 'skipped') text += `\n${cell(result.message)}\n`
  return text
}

/** What failed and what to do, for the job summary of a failed run. */
export function renderFailureSummary(message: string, hint: string | undefined): string {
  return `### OTA publish failed\n\n${cell(message)}\n${hint ? `\n**What to do:** ${cell(hint)}\n` : ''}`
}
