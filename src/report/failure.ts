import { cell } from './markdown.js'

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
