import { describe, expect, it } from '@jest/globals'
import { makePlan } from '../../support/plan.js'
import { ActionError } from '../../../src/contract/action-error.js'
import { ApiError } from '../../../src/net/api-error.js'
import type { OtaModule } from '../../../src/platform/models.js'
import { createRetrier } from '../../../src/platform/retrier.js'
import { checkModule } from '../../../src/publish/module-check.js'
import { clientOver } from '../../support/iot-client.js'

const policy = {
  maxAttempts: 2,
  baseDelayMs: 1,
  maxDelayMs: 1,
  deadline: Number.POSITIVE_INFINITY,
  now: () => 0,
  sleep: async () => undefined,
  random: () => 0
}

/** The real client with the run's retry; only ListOTAModuleByProduct answers, anything else the check must not call. */
async function check(plan: ReturnType<typeof makePlan>, answer: () => Promise<OtaModule[]>) {
  const warnings: string[] = []
  const log = { warning: (m: string) => void warnings.push(m) }
  const { api, sent } = clientOver(
    async (action) => {
      if (action !== 'ListOTAModuleByProduct') throw new Error(`not expected: ${action}`)
      return { Data: await answer() }
    },
    { retry: createRetrier(policy, log) }
  )
  const asked = () => sent.map((c) => c.query.ProductKey)
  const outcome = await checkModule(api, plan, log).then(
    (line) => ({ line, error: undefined }),
    (error: unknown) => ({ line: undefined, error: error as ActionError })
  )
  return { ...outcome, warnings, asked: asked() }
}

const MODULES = async (): Promise<OtaModule[]> => [{ ModuleName: 'default' }, { ModuleName: 'wifi' }, { ModuleName: 'ble' }]
const fromTag = makePlan({
  moduleName: 'firmware',
  moduleSource: 'tag',
  version: { destVersion: '1.2.3', source: 'ref', tag: 'firmware-v1.2.3', tagModule: 'firmware', isPrerelease: false, notes: [] }
})
const fromInput = makePlan({ moduleName: 'mcu', moduleSource: 'input' })

describe('checkModule', () => {
  it.each([
    ['the default module (none named)', makePlan({ moduleName: 'default', moduleSource: undefined })],
    ["the default module by name ('default')", makePlan({ moduleName: 'default', moduleSource: 'input' })]
  ])('does not ask for %s: every product has it', async (_label, plan) => {
    const { line, asked } = await check(plan, MODULES)
    expect(asked).toEqual([])
    expect(line).toContain('every product has it')
  })

  it('passes a module the product has, and says so for the probe', async () => {
    const { line, error, asked } = await check(makePlan({ moduleName: 'wifi', moduleSource: 'input' }), MODULES)
    expect(error).toBeUndefined()
    expect(asked).toEqual(['a1pk'])
    expect(line).toBe('ListOTAModuleByProduct: module wifi exists in product a1pk.')
  })

  it.each([
    [
      'a tag prefix',
      fromTag,
      "OTA module 'firmware' (from the tag firmware-v1.2.3) does not exist in product a1pk, which has: default, wifi, ble.",
      'tag-pattern',
      ['Tag without it (e.g. v1.2.3)', "'module-name'", "'tag-pattern'", 'create module firmware', 'CreateOTAModule']
    ],
    [
      "input 'module-name'",
      fromInput,
      "OTA module 'mcu' (input 'module-name') does not exist in product a1pk, which has: default, wifi, ble.",
      'module-name',
      ["Set 'module-name' to one of the product's modules", 'create module mcu', 'CreateOTAModule']
    ]
  ])('fails for a module from %s that the product lacks, naming it, its source, the modules and the fixes', async (_label, plan, message, input, hints) => {
    const { error } = await check(plan, MODULES)
    expect(error).toBeInstanceOf(ActionError)
    expect(error?.message).toBe(`${message} Nothing was uploaded.`)
    expect(error?.input).toBe(input)
    for (const hint of hints) expect(error?.hint).toContain(hint)
  })

  it('matches names exactly', async () => {
    const { error } = await check(makePlan({ moduleName: 'WiFi', moduleSource: 'input' }), MODULES)
    expect(error?.message).toContain("OTA module 'WiFi'")
  })

  it.each([
    ['Forbidden.RAM', 403],
    ['iot.common.RamActionPermissionDeny', 200]
  ])('warns and goes on when listing modules is not permitted (%s)', async (code, status) => {
    const denied = async (): Promise<OtaModule[]> => Promise.reject(new ApiError('ListOTAModuleByProduct', code, 'User not authorized', status))
    const { line, error, warnings } = await check(fromInput, denied)
    expect(error).toBeUndefined()
    expect(warnings).toEqual([line])
    expect(line).toContain(`Could not check that module mcu exists: ListOTAModuleByProduct was refused (${code})`)
    expect(line).toContain('iot:ListOTAModuleByProduct')
  })

  it('fails on other errors, explained', async () => {
    const broken = async (): Promise<OtaModule[]> =>
      Promise.reject(new ApiError('ListOTAModuleByProduct', 'iot.prod.NotExistedProduct', 'no such product', 200))
    const { error, warnings } = await check(fromInput, broken)
    expect(error).toMatchObject({ code: 'iot.prod.NotExistedProduct' })
    expect(error?.hint).toContain("'product-key'")
    expect(warnings).toEqual([])
  })
})
