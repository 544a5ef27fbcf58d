import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from '../../emulator/index.js'
import { acceptsMethod, DECLARED_METHODS } from '../../emulator/iot/http-methods.js'
import { OPERATIONS } from '../../emulator/iot/rpc-operations.js'
import { withEmulator } from '../support/emulator-harness.js'
import { rawRpc } from '../support/rpc-call.js'

/** The official SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default

/**
 * The HTTP method the official SDK declares for each action: every `<op>WithOptions` builds
 * `new $OpenApi.Params({ action: "…", …, method: "POST" | "GET", … })`.
 */
function sdkMethods(): Map<string, string> {
  const source = readFileSync(createRequire(import.meta.url).resolve('@alicloud/iot20180120'), 'utf8')
  const methods = new Map<string, string>()
  for (const [, block] of source.matchAll(/new \$OpenApi\.Params\(\{([^}]*)\}\)/g)) {
    const action = /action: "(\w+)"/.exec(block ?? '')?.[1]
    const method = /method: "(\w+)"/.exec(block ?? '')?.[1]
    if (action && method) methods.set(action, method)
  }
  return methods
}

let emulator: Emulator

beforeAll(async () => {
  emulator = await startEmulator({ qpsLimit: 0 })
})
afterAll(async () => {
  await emulator.close()
})

function sdk(signatureAlgorithm?: 'v2'): InstanceType<typeof IotClient> {
  return new IotClient(
    new $OpenApi.Config({
      accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
      accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret,
      endpoint: `127.0.0.1:${emulator.port}`,
      protocol: 'http',
      signatureAlgorithm
    })
  )
}

describe("the emulator's method table against the official SDK's declarations", () => {
  const declared = sdkMethods()

  it('reads a method for hundreds of SDK actions (the parse works)', () => {
    expect(declared.size).toBeGreaterThan(300)
    expect(declared.get('ListOTAModuleByProduct')).toBe('GET')
    expect(declared.get('CreateOTAFirmware')).toBe('POST')
  })

  it.each([...OPERATIONS.keys()])('%s: the SDK declares it, and its method is one the emulator accepts', (action) => {
    const method = declared.get(action)
    expect(method).toBeDefined()
    expect(acceptsMethod(action, method ?? '')).toBe(true)
  })

  it('agrees with the SDK on every operation of the table the SDK has (served or not)', () => {
    const disagreements = [...DECLARED_METHODS.keys()].filter((action) => declared.has(action) && !acceptsMethod(action, declared.get(action) ?? ''))
    expect(disagreements).toEqual([])
    // The metadata has these two; SDK 3.0.11 has no method for them.
    expect([...DECLARED_METHODS.keys()].filter((action) => !declared.has(action)).sort()).toEqual(['ModifyOTAFirmware', 'UpdateOTAJob'])
  })
})

describe('refusing a method the metadata does not declare', () => {
  it.each<['V2' | 'V3', string, 'GET' | 'POST', Record<string, string>]>([
    ['V2', 'ListOTAModuleByProduct', 'POST', { ProductKey: 'a1pk' }],
    ['V3', 'ListOTAModuleByProduct', 'POST', { ProductKey: 'a1pk' }],
    ['V3', 'CreateOTAModule', 'GET', { ProductKey: 'a1pk', ModuleName: 'wifi' }],
    ['V2', 'CreateOTAModule', 'GET', { ProductKey: 'a1pk', ModuleName: 'wifi' }]
  ])('%s: %s sent as %s is 400 UnsupportedHTTPMethod in the gateway shape, and nothing is done', async (scheme, action, method, params) => {
    const before = emulator.state.requests().length
    const answer = await rawRpc(emulator, action, params, { scheme, method })
    expect(answer.status).toBe(400)
    expect(answer.json).toEqual({
      RequestId: expect.any(String),
      HostId: expect.any(String),
      Code: 'UnsupportedHTTPMethod',
      Message: 'This http method is not supported.',
      Recommend: expect.stringContaining('UnsupportedHTTPMethod')
    })
    expect(emulator.state.requests().slice(before)).toEqual([expect.objectContaining({ action, method, status: 400, code: 'UnsupportedHTTPMethod' })])
  })

  it.each<['GET' | 'POST', string, Record<string, string>]>([
    ['GET', 'ListOTAModuleByProduct', { ProductKey: 'a1pk' }],
    ['POST', 'CreateOTAModule', { ProductKey: 'a1methods', ModuleName: 'wifi' }],
    ['GET', 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10' }],
    ['POST', 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10' }]
  ])('takes %s for %s', async (method, action, params) => {
    expect((await rawRpc(emulator, action, params, { method })).json).toMatchObject({ Success: true })
  })

  it('names every operation it serves in the table; an unknown action stays InvalidApi.NotFound whatever the method', async () => {
    expect([...OPERATIONS.keys()].filter((action) => !DECLARED_METHODS.has(action))).toEqual([])
    expect((await rawRpc(emulator, 'DescribeRegions', {}, { method: 'GET' })).json.Code).toBe('InvalidApi.NotFound')
  })

  it('httpMethods "any" takes either method for every operation', async () => {
    await withEmulator({ httpMethods: 'any' }, async (lenient) => {
      expect((await rawRpc(lenient, 'ListOTAModuleByProduct', { ProductKey: 'a1pk' }, { method: 'POST' })).json).toMatchObject({ Success: true })
      expect((await rawRpc(lenient, 'CreateOTAModule', { ProductKey: 'a1pk', ModuleName: 'wifi' }, { method: 'GET' })).json).toMatchObject({ Success: true })
    })
  })

  it('the marketplace gateway takes GET for everything, the post-only CreateOTAModule too, and refuses POST', async () => {
    await withEmulator({ apiVariant: 'marketplace' }, async (market) => {
      const get = (action: string, params: Record<string, string>) => rawRpc(market, action, params, { method: 'GET', marketplace: true })
      expect((await get('CreateOTAModule', { ProductKey: 'a1pk', ModuleName: 'wifi' })).json).toMatchObject({ success: true, code: '' })
      expect((await get('ListOTAModuleByProduct', { ProductKey: 'a1pk' })).json).toMatchObject({ success: true })
      const post = await rawRpc(market, 'ListOTAFirmware', { CurrentPage: '1', PageSize: '10' }, { method: 'POST', marketplace: true })
      expect(post.status).toBe(400)
      expect(post.json).toMatchObject({ code: 'UnsupportedHTTPMethod', success: false })
    })
  })
})

describe('the official SDK drives each operation with its own method', () => {
  it.each([undefined, 'v2' as const])('ListOTAModuleByProduct goes out as a GET and is answered (signature %s)', async (algorithm) => {
    const before = emulator.state.requests().length
    const answer = await sdk(algorithm).listOTAModuleByProduct(new $Iot.ListOTAModuleByProductRequest({ productKey: 'a1sdkget' }))
    expect(answer.body?.data?.map((m) => m.moduleName)).toEqual(['default'])
    const [record] = emulator.state.requests().slice(before)
    expect(record).toMatchObject({ action: 'ListOTAModuleByProduct', method: 'GET', status: 200, signature: algorithm ? 'HMAC-SHA1' : 'ACS3-HMAC-SHA256' })
  })

  it('CreateOTAModule goes out as a POST and is answered', async () => {
    const before = emulator.state.requests().length
    const answer = await sdk().createOTAModule(new $Iot.CreateOTAModuleRequest({ productKey: 'a1sdkpost', moduleName: 'mcu' }))
    expect(answer.body?.success).toBe(true)
    expect(emulator.state.requests().slice(before)).toEqual([expect.objectContaining({ action: 'CreateOTAModule', method: 'POST', status: 200 })])
  })
})
