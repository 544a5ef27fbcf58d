import type { Remediation } from '../src/platform/remediations.js'

/** The README's troubleshooting table: the platform codes and the hint the action prints for each. */
export function renderTroubleshooting(remediations: readonly Remediation[]): string {
  const rows = remediations.map((r) => {
    const codes = r.codes.map((c) => `\`${c}\``).join(', ')
    return `| ${codes} | ${r.meaning} | ${r.hint.replaceAll('|', '\\|')} |`
  })
  return ['| Code | Meaning | What to do (as the action says it) |', '| --- | --- | --- |', ...rows].join('\n')
}
