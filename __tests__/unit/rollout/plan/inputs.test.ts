import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../../support/action-error.js'
import { CONNECTION, readerOf } from '../../../support/connection.js'
import { ROLLOUT_INPUT } from '../../../../src/contract/names.js'
import { parseRolloutInputs } from '../../../../src/rollout/inputs.js'
import { parseStages } from '../../../../src/rollout/plan/inputs.js'

const NOW = new Date('2026-06-01T00:00:00Z')
const parse = (values: Record<string, string>, connection = CONNECTION) =>
  parseRolloutInputs(readerOf({ 'product-key': 'a1pk', 'firmware-id': 'F', ...values }), connection, NOW)

describe('parseStages', () => {
  it.each([
    ['1, 10, 50, 100', [1, 10, 50, 100]],
    ['1\n10\n100', [1, 10, 100]],
    ['0.001,100', [0.001, 100]],
    ['50', [50]],
    [Array.from({ length: 20 }, (_, i) => 5 * (i + 1)).join(','), Array.from({ length: 20 }, (_, i) => 5 * (i + 1))]
  ])('%j', (raw, shares) => {
    expect(parseStages(raw)).toEqual(shares)
  })

  it.each([
    ['10, 5', /stage 2 \(5\) is not above stage 1 \(10\)/],
    ['10, 10', /not above/],
    ['0, 10', /above 0/],
    ['101', /at most 100/],
    ['1.2345', /3 decimals/],
    ['5%', /"5%"/],
    [Array.from({ length: 21 }, (_, i) => i + 1).join(','), /1 to 20/]
  ])('refuses %j', (raw, message) => {
    const error = actionErrorOf(() => parseStages(raw))
    expect(error.input).toBe(ROLLOUT_INPUT.stages)
    expect(error.message).toMatch(message)
  })
})

describe('plan mode in the rollout inputs', () => {
  it('turns on with stages, with its defaults', () => {
    expect(parse({ stages: '1, 10, 100' }).plan).toEqual({
      shares: [1, 10, 100],
      fleetFile: undefined,
      minSuccessPercent: 95,
      soakMinutes: 60,
      maxFailedDevices: undefined,
      operation: 'advance',
      health: { check: 'none', maxUnhealthyPercent: 5, sample: 200 }
    })
    expect(parse({}).plan).toBeUndefined()
  })

  it.each([
    [{ selection: 'gray' }, ROLLOUT_INPUT.selection],
    [{ 'gray-percent': '5' }, ROLLOUT_INPUT.grayPercent],
    [{ devices: 'device-1' }, ROLLOUT_INPUT.devices],
    [{ 'group-id': 'g1' }, ROLLOUT_INPUT.groupId],
    [{ dynamic: 'true' }, ROLLOUT_INPUT.dynamic],
    [{ 'schedule-time': '2026-06-01T01:00:00Z' }, ROLLOUT_INPUT.scheduleTime],
    [{ 'src-versions': '1.0.0' }, ROLLOUT_INPUT.srcVersions],
    [{ operation: 'pause' }, ROLLOUT_INPUT.operation],
    [{ 'health-check': 'ping' }, ROLLOUT_INPUT.healthCheck],
    [{ 'min-success-percent': '101' }, ROLLOUT_INPUT.minSuccessPercent],
    [{ 'max-failed-devices': '-1' }, ROLLOUT_INPUT.maxFailedDevices],
    [{ 'health-sample': '0' }, ROLLOUT_INPUT.healthSample]
  ])('refuses %j in plan mode, naming the input', (extra, input) => {
    const error = actionErrorOf(() => parse({ stages: '1, 100', ...extra }))
    expect(error.input).toBe(input)
    expect(error.message).toContain(`'${input}'`)
  })

  it('takes selection all as given, and the runner’s declared defaults without stages', () => {
    expect(parse({ stages: '100', selection: 'all' }).plan?.shares).toEqual([100])
    // The runner sets every declared default: dynamic false is no single-job choice.
    expect(parse({ stages: '100', dynamic: 'false', selection: 'all' }).plan?.shares).toEqual([100])
    expect(
      parse({
        'min-success-percent': '95',
        'soak-minutes': '60',
        operation: 'advance',
        'health-check': 'none',
        'max-unhealthy-percent': '5',
        'health-sample': '200'
      }).plan
    ).toBeUndefined()
  })

  it.each([
    [{ 'fleet-file': 'fleet.txt' }, ROLLOUT_INPUT.fleetFile],
    [{ 'max-failed-devices': '3' }, ROLLOUT_INPUT.maxFailedDevices],
    [{ operation: 'halt' }, ROLLOUT_INPUT.operation],
    [{ 'health-check': 'online' }, ROLLOUT_INPUT.healthCheck]
  ])('refuses the plan input %j without stages', (extra, input) => {
    expect(actionErrorOf(() => parse(extra)).input).toBe(input)
  })

  it('is refused on a marketplace instance, whose gateway takes no job tags, before any request', () => {
    const error = actionErrorOf(() => parse({ stages: '1, 100' }, { ...CONNECTION, apiVariant: 'marketplace' }))
    expect(error.input).toBe(ROLLOUT_INPUT.stages)
    expect(error.message).toMatch(/job tags, which marketplace instances .* do not take/)
  })
})
