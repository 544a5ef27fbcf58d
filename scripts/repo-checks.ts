/**
 * Checks of repository files that actionlint does not read, on their text: cheap line-level checks,
 * not YAML schemas. Used by scripts/lint-workflows.ts.
 */

const ECOSYSTEMS = ['npm', 'github-actions']
/** The Marketplace refuses descriptions of 125 characters or more. */
const MAX_DESCRIPTION_CHARS = 124

/** What dependabot.yml lacks: version 2, and an entry per ecosystem with a directory and a schedule. */
export function dependabotProblems(text: string): string[] {
  const problems = /^version: 2$/m.test(text) ? [] : ['no "version: 2"']
  const entries = text.split(/^ {2}- /m).slice(1)
  for (const ecosystem of ECOSYSTEMS) {
    const entry = entries.find((e) => new RegExp(`^package-ecosystem: ['"]?${ecosystem}['"]?$`, 'm').test(e))
    if (!entry) problems.push(`no update entry for package-ecosystem ${ecosystem}`)
    else if (!/^ {4}directory: \S/m.test(entry) || !/^ {6}interval: (daily|weekly|monthly)/m.test(entry)) {
      problems.push(`the ${ecosystem} entry needs a directory and a schedule interval (daily, weekly or monthly)`)
    }
  }
  return problems
}

/** A top-level scalar, unquoted; undefined when missing. */
function topLevel(text: string, key: string): string | undefined {
  const value = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(text)?.[1]?.trim()
  return value === undefined ? undefined : value.replace(/^(['"])(.*)\1$/, '$2')
}

const hasBranding = (text: string, key: string): boolean => new RegExp(`^branding:\\n(?: {2}.*\\n)*? {2}${key}: \\S`, 'm').test(text)

/** What the Marketplace needs of each action.yml: a name no other action here has, a short one-line description, branding. */
export function metadataProblems(actions: readonly { path: string; text: string }[]): string[] {
  const problems: string[] = []
  const names = new Map<string, string>()
  for (const { path, text } of actions) {
    const name = topLevel(text, 'name')
    const description = topLevel(text, 'description')
    if (!name) problems.push(`${path}: no name`)
    else if (names.has(name)) problems.push(`${path}: name "${name}" is also the name of ${names.get(name)}`)
    else names.set(name, path)
    if (!description || /^[>|]/.test(description)) problems.push(`${path}: needs a one-line description`)
    else if (description.length > MAX_DESCRIPTION_CHARS)
      problems.push(`${path}: description is ${description.length} characters, at most ${MAX_DESCRIPTION_CHARS}`)
    if (!hasBranding(text, 'icon') || !hasBranding(text, 'color')) problems.push(`${path}: needs branding with icon and color`)
  }
  return problems
}
