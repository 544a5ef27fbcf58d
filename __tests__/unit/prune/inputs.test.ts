import { describe, expect, it } from '@jest/globals'
import { describePolicy, parsePruneInputs } from '../../../src/prune/inputs.js'
import { actionErrorOf } from '../../support/action-error.js'
import { CONNECTION, readerOf } from '../../support/connection.js'

const REQUIRED = { 'product-key': 'a1uctKe1234', 'keep-last': '5' }
const parse = (values: Record<string, string>) => parsePruneInputs(readerOf({ ...REQUIRED, ...values }), CONNECTION)

describe('parsePruneInputs', () => {
  it('reads the defaults', () => {
    expect(parse({})).toEqual({
      connection: CONNECTION,
      productKey: 'a1uctKe1234',
      moduleName: undefined,
      policy: { keepLast: 5, keepDays: undefined, prereleases: 'keep-last', protect: new Set() },
      maxDeletions: 50,
      dryRun: false
    })
  })

  it('reads every input', () => {
    const inputs = parse({
      'module-name': 'wifi',
      'keep-last': '1',
      'keep-days': '30',
      prereleases: 'Prune-First',
      protect: 'Zf8nOgRX8D8aXykFBehUGS0100,\nfw-2, fw_3',
      'max-deletions': '500',
      'dry-run': 'true'
    })
    expect(inputs).toMatchObject({ moduleName: 'wifi', maxDeletions: 500, dryRun: true })
    expect(inputs.policy).toEqual({ keepLast: 1, keepDays: 30, prereleases: 'prune-first', protect: new Set(['Zf8nOgRX8D8aXykFBehUGS0100', 'fw-2', 'fw_3']) })
  })

  it.each([
    ['product-key', { 'product-key': '' }, 'is required'],
    ['product-key', { 'product-key': 'a1 uct' }, '1 to 64 letters'],
    ['keep-last', { 'keep-last': '' }, "Input 'keep-last' is required: how many packages of each module to keep"],
    ['keep-last', { 'keep-last': '0' }, 'is "0": must be a whole number from 1 to 10000'],
    ['keep-last', { 'keep-last': '2.5' }, 'whole number'],
    ['keep-last', { 'keep-last': 'all' }, 'whole number'],
    ['keep-days', { 'keep-days': '0' }, 'whole number from 1 to 3650'],
    ['keep-days', { 'keep-days': '7d' }, 'whole number'],
    ['prereleases', { prereleases: 'first' }, 'allowed values are keep-last, prune-first'],
    ['protect', { protect: 'fw 1' }, 'must be a FirmwareId'],
    ['protect', { protect: 'fw1,fw1' }, 'listed twice'],
    ['protect', { protect: 'fw1,,fw2' }, 'entry 2 is empty'],
    ['max-deletions', { 'max-deletions': '0' }, 'whole number from 1 to 500'],
    ['max-deletions', { 'max-deletions': '501' }, 'whole number from 1 to 500'],
    ['module-name', { 'module-name': 'wi fi' }, 'OTA module name'],
    ['dry-run', { 'dry-run': 'yes' }, 'true and false']
  ])('refuses a bad %s (%j), naming it', (input, values, fragment) => {
    const error = actionErrorOf(() => parse(values))
    expect(error.input).toBe(input)
    expect(error.message).toContain(`Input '${input}'`)
    expect(error.message).toContain(fragment)
  })
})

describe('describePolicy', () => {
  it.each([
    [{}, "keep the newest 5 of each module; never a package a job still uses, each module's rollback target; at most 50 deletion(s) a run"],
    [
      { 'module-name': 'wifi', 'keep-days': '30', prereleases: 'prune-first', protect: 'a,b', 'max-deletions': '10' },
      "keep the newest 5 of module wifi (releases before prereleases: prereleases go first), and every package created within the last 30 day(s); never a package a job still uses, each module's rollback target, the 2 protected; at most 10 deletion(s) a run"
    ]
  ])('%j', (values, said) => {
    expect(describePolicy(parse(values))).toBe(said)
  })
})
