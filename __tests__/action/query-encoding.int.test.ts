import { describe, expect, it } from '@jest/globals'
import { actionInputs, useEmulator } from '../support/emulator-harness.js'
import { makeWorkspace, runAction } from '../support/local-runner.js'

/**
 * Issue 13.1: the wire carries the query that was signed. The emulator reads the query under
 * RFC 3986 (a '+' is a plus), so a client that signs `%20` but sends `+` fails here.
 */
const DESC = 'a b+c&d=e 100% *~ 固件 {"k":[1,2]}'
const UDI = '{"ota_notice":"Reboot after update + check & report = 100%","list":["a b","c+d"],"note":"*~ 升级说明"}'

describe.each([
  ['alibaba', {}],
  ['marketplace', { apiVariant: 'marketplace' as const }]
])('firmware-desc and udi arrive exactly as given (%s)', (variant, options) => {
  const emulator = useEmulator(options)
  it('with spaces, +, &, =, %, *, ~, Chinese text and JSON', async () => {
    const run = await runAction({
      inputs: actionInputs(emulator(), { 'api-variant': variant, 'firmware-desc': DESC, udi: UDI }),
      workspace: await makeWorkspace()
    })
    expect(run.code).toBe(0)
    const [fw] = emulator().state.firmwares()
    expect(fw?.FirmwareDesc).toBe(DESC)
    expect(fw?.Udi).toBe(UDI)
  })
})
