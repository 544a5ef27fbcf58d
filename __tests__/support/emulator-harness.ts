import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals'
import { DEFAULT_ACCOUNT, Emulator, EmulatorOptions, startEmulator } from '../../emulator/index.js'
import { removeScratch, type RunResult } from './local-runner.js'
import { createOtaModules } from './ota-modules.js'

/** The product every publish against the emulator uses unless a test says otherwise. */
const PRODUCT_KEY = 'a1uctKe1234'

/**
 * One emulator for a test file, reset before each test; the file's scratch folders go with it.
 * Returns a getter because the emulator only exists once beforeAll has run. Options given as a
 * function are read then, so they may use what an earlier beforeAll made (certificates).
 */
export function useEmulator(options: EmulatorOptions | (() => EmulatorOptions) = {}): () => Emulator {
  let emu: Emulator | undefined
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, ...(typeof options === 'function' ? options() : options) })
  })
  afterAll(async () => {
    await emu?.close()
    removeScratch()
  })
  beforeEach(() => emu?.reset())
  return () => {
    if (!emu) throw new Error('the emulator is not running (use it inside a test)')
    return emu
  }
}

/** Runs `body` against an emulator of its own with these options, closed afterwards. */
export async function withEmulator(options: EmulatorOptions, body: (other: Emulator) => Promise<void>): Promise<void> {
  const other = await startEmulator(options)
  try {
    await body(other)
  } finally {
    await other.close()
  }
}

/** The action's inputs for a publish against `emu` with its default account. */
export function actionInputs(emu: Emulator, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
    'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
    endpoint: emu.url,
    'product-key': PRODUCT_KEY,
    files: 'build/*.bin',
    ...overrides
  }
}

/** Gives the product these OTA modules (CreateOTAModule), as a user does before publishing to them. */
export function createModules(emu: Emulator, names: readonly string[], productKey = PRODUCT_KEY): Promise<void> {
  return createOtaModules(emu, productKey, names)
}

/** Nothing reached the platform that uploads or registers. */
export function expectNothingPublished(emu: Emulator): void {
  const actions = emu.state.requests().map((r) => r.action)
  expect(actions).not.toContain('GenerateOTAUploadURL')
  expect(actions).not.toContain('PostObject')
  expect(actions).not.toContain('CreateOTAFirmware')
  expect(emu.state.firmwares()).toHaveLength(0)
  expect(emu.state.objects()).toHaveLength(0)
}

/**
 * Nothing a person can see (log lines, stderr, summary, outputs) holds a secret, a token or a
 * request or policy signature. The runner consumes ::add-mask:: commands (they carry the value to
 * hide) and never shows them, so those lines are the one place the values may appear.
 */
export function expectNoSecretsShown(run: RunResult, secrets: readonly string[]): void {
  for (const secret of secrets) expect(run.stdout).toContain(`::add-mask::${secret}`)
  const shown = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))
  const everything = [...shown, run.stderr, run.summary, JSON.stringify(run.outputs)].join('\n')
  for (const secret of secrets) expect(everything).not.toContain(secret)
  expect(everything).not.toMatch(/Signature=[0-9a-f]{64}/)
  expect(everything).not.toMatch(/(ACS3-HMAC-SHA256|OSS4-HMAC-SHA256) Credential/)
  expect(everything).not.toMatch(/OSS [A-Za-z0-9.]+:[A-Za-z0-9+/]{27}=/)
  expect(everything).not.toMatch(/"?Signature"?\s*[:=]\s*"?[A-Za-z0-9+/]{27}=/)
  expect(everything).not.toMatch(/"?[Pp]olicy"?\s*[:=]\s*"?eyJ/)
}
