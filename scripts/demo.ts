/**
 * The demo: starts the local emulator and plays a release as a workflow would, running the bundled
 * actions exactly as the GitHub runner does: dist/publish for the tag v1.2.3, dist/verify on the
 * two emulated test devices, then dist/rollout as a plan of three stages (10 %, 50 %, 100 % of the
 * emulated fleet, each soaked and health-checked) advanced by two runs, as a release workflow and a
 * scheduled one would. Each step's log, outputs and job summary are printed. `--api-variant
 * marketplace` plays a marketplace instance instead, whose gateway takes no job tags and so no plan:
 * its rollout goes in two jobs (gray 10 %, then all).
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { DEFAULT_ACCOUNT, startEmulator } from '../emulator/index.js'
import { ACTION_ENTRY, makeWorkspace, ROLLOUT_ENTRY, runAction, RUNNER_NODE, VERIFY_ENTRY, type RunResult } from '../__tests__/support/local-runner.js'
import { createOtaModules } from '../__tests__/support/ota-modules.js'

/** One OTA minute of the emulator's devices, and of the verify and rollout steps (OTA_EMULATOR_MINUTE_MS). */
const MINUTE_MS = 200
const PRODUCT_KEY = 'a1demoProduct'

type Step = [title: string, entry: string, inputs: Record<string, string>]

/** The plan's inputs, the same in every run: its state is on the platform, in the jobs' tags. */
const PLAN = { stages: '10, 50, 100', 'soak-minutes': '10', 'health-check': 'online', 'max-failure-percent': '10' }
const planSteps: Step[] = [
  // The release workflow starts the plan and leaves (wait-minutes 0) ...
  ['rollout plan, run 1 (release workflow): starts stage 1 (dist/rollout)', ROLLOUT_ENTRY, { ...PLAN, 'wait-minutes': '0' }],
  // ... a scheduled run picks it up from the platform and advances it, soak and health gate between stages.
  ['rollout plan, run 2 (scheduled): advances it to the end (dist/rollout)', ROLLOUT_ENTRY, { ...PLAN, 'wait-minutes': '180' }]
]
const grayThenAll: Step[] = [
  [
    'rollout stage 1: gray 10 % of the fleet (dist/rollout)',
    ROLLOUT_ENTRY,
    { selection: 'gray', 'gray-percent': '10', 'wait-minutes': '30', 'max-failure-percent': '10' }
  ],
  ['rollout stage 2: all devices (dist/rollout)', ROLLOUT_ENTRY, { selection: 'all', 'wait-minutes': '30', 'max-failure-percent': '10' }]
]

function print(title: string, run: RunResult): void {
  const log = run.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::debug::') && !line.startsWith('::add-mask::'))
    .join('\n')
  console.log(`\n=== ${title} (exit code ${run.code}) ===\n--- action log ---`)
  console.log(log.trimEnd())
  if (run.stderr.trim() !== '') console.log(`--- stderr ---\n${run.stderr.trimEnd()}`)
  console.log('--- step outputs ---')
  for (const [name, value] of Object.entries(run.outputs)) if (name !== 'json') console.log(`${name}=${value}`)
  console.log('--- job summary ---')
  console.log(run.summary.trimEnd())
}

const { values } = parseArgs({ options: { 'api-variant': { type: 'string', default: 'alibaba' } } })
const apiVariant = values['api-variant']
if (apiVariant !== 'alibaba' && apiVariant !== 'marketplace') throw new Error(`--api-variant must be alibaba or marketplace, got ${JSON.stringify(apiVariant)}`)

// The official SDK speaks only Alibaba's dialect: a marketplace emulator gets the module as configuration.
const emulator = await startEmulator({
  port: 0,
  minuteMs: MINUTE_MS,
  apiVariant,
  ...(apiVariant === 'marketplace' && { modules: { [PRODUCT_KEY]: ['wifi'] } })
})
try {
  const workspace = await makeWorkspace({ 'build/app.bin': 256 * 1024 })
  // A product's custom modules exist before packages are published to them.
  if (apiVariant === 'alibaba') await createOtaModules(emulator, PRODUCT_KEY, ['wifi'])
  console.log(`Emulator (${apiVariant} variant) on ${emulator.url} (one OTA minute = ${MINUTE_MS} ms); workspace ${workspace} with build/app.bin (256 KiB)`)
  console.log(`Running the bundled actions with ${RUNNER_NODE} for GITHUB_REF=refs/tags/v1.2.3`)
  const connection = {
    'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
    'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
    endpoint: emulator.url,
    'api-variant': apiVariant,
    'product-key': PRODUCT_KEY
  }
  const env = { OTA_EMULATOR_MINUTE_MS: String(MINUTE_MS) }
  const run = (entry: string, inputs: Record<string, string>) =>
    runAction({ entry, workspace, ref: 'refs/tags/v1.2.3', inputs: { ...connection, ...inputs }, env, timeoutMs: 120_000 })

  const publish = await run(ACTION_ENTRY, { 'module-name': 'wifi', files: 'build/*.bin' })
  print('publish (dist/publish)', publish)
  const manifest = publish.outputs['manifest-path']
  if (manifest) console.log(`--- manifest (removed with the scratch folder when the demo ends) ---\n${(await readFile(manifest, 'utf8')).trimEnd()}`)
  const firmwareId = publish.outputs['firmware-id'] ?? ''

  const verify: Step = ['verify on test-device-1 and test-device-2 (dist/verify)', VERIFY_ENTRY, { devices: 'test-device-1, test-device-2' }]
  const steps: Step[] = apiVariant === 'alibaba' ? [verify, ...planSteps] : [verify, ...grayThenAll]
  let failed = publish.code !== 0 || firmwareId === ''
  for (const [title, entry, inputs] of steps) {
    if (failed) break
    const step = await run(entry, { 'firmware-id': firmwareId, ...inputs })
    print(title, step)
    failed = step.code !== 0
  }
  if (failed) {
    console.error('\nA step failed: the release stops there.')
    process.exitCode = 1
  } else {
    console.log(
      `\nFirmwareId ${firmwareId}: published, verified, rolled out to the emulated fleet in ${apiVariant === 'alibaba' ? 'a plan of three stages' : 'two stages'}.`
    )
  }
} finally {
  await emulator.close()
}
