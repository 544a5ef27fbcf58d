import { afterAll, beforeAll, beforeEach, expect } from '@jest/globals'
import { DEFAULT_ACCOUNT, Emulator, EmulatorOptions, startEmulator } from '../emulator/index.js'
import { removeScratch } from '../scripts/local-runner.js'

/**
 * One emulator for a test file, reset before each test; the file's scratch folders go with it.
 * Returns a getter because the emulator only exists once beforeAll has run.
 */
export function useEmulator(options: EmulatorOptions = {}): () => Emulator {
  let emu: Emulator | undefined
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, ...options })
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

/** The action's inputs for a publish against `emu` with its default account. */
export function actionInputs(emu: Emulator, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
    'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
    endpoint: emu.url,
    'product-key': 'a1uctKe1234',
    files: 'build/*.bin',
    ...overrides
  }
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
