import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { comparePrecedence } from '../../../src/plan/version-order.js'

const v = (text: string) => {
  const [core = '', prerelease] = text.split(/-(.*)/s)
  return { core: core.split('.'), prerelease }
}

describe('comparePrecedence', () => {
  // Each row is in ascending precedence, as semver.org lists them, plus the loose format's shapes.
  it.each([
    ['1.0.0-alpha', '1.0.0-alpha.1'],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta'],
    ['1.0.0-alpha.beta', '1.0.0-beta'],
    ['1.0.0-beta.2', '1.0.0-beta.11'],
    ['1.0.0-rc.1', '1.0.0'],
    ['1.9.0', '1.10.0'],
    ['1.2', '1.2.1'],
    ['1.2.3', '1.2.3.1'],
    ['99999999999999999999.0.0', '100000000000000000000.0.0']
  ])('%s < %s', (lower, higher) => {
    expect(comparePrecedence(v(lower), v(higher))).toBe(-1)
    expect(comparePrecedence(v(higher), v(lower))).toBe(1)
  })

  it.each([
    ['1.2', '1.2.0'],
    ['01.2.3', '1.2.3']
  ])('%s = %s', (a, b) => {
    expect(comparePrecedence(v(a), v(b))).toBe(0)
  })

  it('is antisymmetric and reflexive for any versions (property)', () => {
    const part = fc.stringMatching(/^\d{1,4}$/)
    const pre = fc.option(fc.stringMatching(/^[0-9A-Za-z-]{1,5}(\.[0-9A-Za-z-]{1,5}){0,2}$/), { nil: undefined })
    const version = fc.record({ core: fc.array(part, { minLength: 1, maxLength: 4 }), prerelease: pre })
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(comparePrecedence(a, a)).toBe(0)
        expect(comparePrecedence(a, b)).toBe(-comparePrecedence(b, a))
      })
    )
  })
})
