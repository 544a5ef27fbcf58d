/**
 * The demo: starts the local emulator, writes a sample firmware into a scratch workspace and runs
 * dist/publish/index.js exactly as the GitHub runner would for the tag v1.2.3, then prints the step
 * outputs and the job summary. `--api-variant marketplace` plays a marketplace instance instead.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { DEFAULT_ACCOUNT, startEmulator } from '../emulator/index.js'
import { makeWorkspace, runAction, RUNNER_NODE } from '../__tests__/support/local-runner.js'
import { createOtaModules } from '../__tests__/support/ota-modules.js'

const { values } = parseArgs({ options: { 'api-variant': { type: 'string', default: 'alibaba' } } })
const apiVariant = values['api-variant']
if (apiVariant !== 'alibaba' && apiVariant !== 'marketplace') throw new Error(`--api-variant must be alibaba or marketplace, got ${JSON.stringify(apiVariant)}`)

// The official SDK speaks only Alibaba's dialect: a marketplace emulator gets the module as configuration.
const emulator = await startEmulator({ port: 0, apiVariant, ...(apiVariant === 'marketplace' && { modules: { a1demoProduct: ['wifi'] } }) })
try {
  const workspace = await makeWorkspace({ 'build/app.bin': 256 * 1024 })
  // A product's custom modules exist before packages are published to them.
  if (apiVariant === 'alibaba') await createOtaModules(emulator, 'a1demoProduct', ['wifi'])
  console.log(`Emulator (${apiVariant} variant) on ${emulator.url}; workspace ${workspace} with build/app.bin (256 KiB)`)
  console.log(`Running dist/publish/index.js with ${RUNNER_NODE} for GITHUB_REF=refs/tags/v1.2.3\n`)
  const run = await runAction({
    workspace,
    ref: 'refs/tags/v1.2.3',
    inputs: {
      'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
      'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
      endpoint: emulator.url,
      'api-variant': apiVariant,
      'product-key': 'a1demoProduct',
      'module-name': 'wifi',
      files: 'build/*.bin'
    }
  })
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::debug::') && !line.startsWith('::add-mask::'))
    .join('\n')
  console.log('--- action log ---')
  console.log(log.trimEnd())
  if (run.stderr.trim() !== '') console.log(`--- stderr ---\n${run.stderr.trimEnd()}`)
  console.log('\n--- step outputs ---')
  for (const [name, value] of Object.entries(run.outputs)) if (name !== 'json') console.log(`${name}=${value}`)
  const manifest = run.outputs['manifest-path']
  if (manifest) console.log(`\n--- manifest (removed with the scratch folder when the demo ends) ---\n${(await readFile(manifest, 'utf8')).trimEnd()}`)
  console.log('\n--- job summary ---')
  console.log(run.summary.trimEnd())
  if (run.code !== 0 || !run.outputs['firmware-id']) {
    console.error(`\nThe action failed (exit code ${run.code}).`)
    process.exitCode = 1
  } else {
    console.log(`\nFirmwareId ${run.outputs['firmware-id']}, UtcCreate ${run.outputs['utc-create']} (from the emulator)`)
  }
} finally {
  await emulator.close()
}
