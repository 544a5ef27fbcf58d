import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../support/action-error.js'
import fc from 'fast-check'
import { FIRMWARE_NAME_MAX, charCount, isValidFirmwareName } from '../../../src/platform/rules.js'
import { DEFAULT_FIRMWARE_NAME_TEMPLATE, FIRMWARE_NAME_PLACEHOLDERS, renderFirmwareName, type NameVariables } from '../../../src/plan/firmware-name.js'

const PRODUCT = 'a1B2c3D4e5F'
const base: NameVariables = { product: PRODUCT, module: '', version: '1.2.3' }

describe('default template', () => {
  it.each<[Partial<NameVariables>, string]>([
    [{}, 'a1B2c3D4e5F-default-1_2_3'],
    [{ module: 'default' }, 'a1B2c3D4e5F-default-1_2_3'],
    [{ module: 'wifi' }, 'a1B2c3D4e5F-wifi-1_2_3'],
    [{ module: 'wifi', version: '1.2.3-rc.1' }, 'a1B2c3D4e5F-wifi-1_2_3-rc_1'],
    [{ module: 'wifi.main', version: '2024-11-20' }, 'a1B2c3D4e5F-wifi_main-2024-11-20'],
    [{ product: '温湿度传感器', module: 'wifi' }, '温湿度传感器-wifi-1_2_3']
  ])('%j -> %s', (vars, expected) => {
    expect(renderFirmwareName(undefined, { ...base, ...vars })).toEqual({ name: expected, notes: [] })
  })

  it('treats an empty or spelled-out default template as the default', () => {
    const name = renderFirmwareName(undefined, base)
    expect(renderFirmwareName('', base)).toEqual(name)
    expect(renderFirmwareName(DEFAULT_FIRMWARE_NAME_TEMPLATE, base)).toEqual(name)
  })

  it('adds a hash when the readable name could be another one', () => {
    const dashed = renderFirmwareName(undefined, { ...base, module: 'esp32-c3' }).name
    expect(dashed).toMatch(/^a1B2c3D4e5F-esp32-c3-1_2_3-[0-9a-f]{8}$/)
    // Same readable part, different values.
    expect(renderFirmwareName(undefined, { ...base, module: 'esp32', version: 'c3-1.2.3' }).name).not.toBe(dashed)
    const underscore = renderFirmwareName(undefined, { ...base, version: '1_2_3' }).name
    expect(underscore).toMatch(/^a1B2c3D4e5F-default-1_2_3-[0-9a-f]{8}$/)
  })

  it('shortens a long name with a hash, and says so', () => {
    const vars = { ...base, module: 'bluetooth-low-energy', version: '10.20.30-beta.4' }
    const { name, notes } = renderFirmwareName(undefined, vars)
    expect(charCount(name)).toBeLessThanOrEqual(FIRMWARE_NAME_MAX)
    expect(name).toMatch(/^a1B2c3D4e5F-bluetooth-low-energ-[0-9a-f]{8}$/)
    expect(isValidFirmwareName(name)).toBe(true)
    expect(notes).toHaveLength(1)
    expect(notes[0]).toContain('a1B2c3D4e5F-bluetooth-low-energy-10_20_30-beta_4')
    expect(renderFirmwareName(undefined, { ...vars, version: '10.20.30-beta.5' }).name).not.toBe(name)
    expect(renderFirmwareName(undefined, vars)).toEqual({ name, notes })
  })

  it('fixes a name that would start with something other than a letter or digit', () => {
    const { name } = renderFirmwareName(undefined, { ...base, product: '_x' })
    expect(name).toMatch(/^x-default-1_2_3-[0-9a-f]{8}$/)
    expect(isValidFirmwareName(renderFirmwareName(undefined, { product: '', module: '', version: '' }).name)).toBe(true)
  })
})

describe('isValidFirmwareName', () => {
  // The documented set: Chinese, English letters, Japanese, digits, '-', '_', '(' and ')'.
  it.each([
    ['ファームウェア', true],
    ['ーfw', true],
    ['固件(a)_1-2', true],
    ['fw・a', false],
    ['fw゛', false],
    ['fw.1', false]
  ])('%j: %s', (name, valid) => {
    expect(isValidFirmwareName(name)).toBe(valid)
  })
})

describe('explicit template', () => {
  const vars: NameVariables = {
    product: PRODUCT,
    module: 'wifi',
    version: '1.2.3-rc.1',
    tag: 'wifi/v1.2.3-rc.1',
    sha: '0123456789abcdef0123456789abcdef01234567',
    major: '1',
    minor: '2',
    patch: '3',
    prerelease: 'rc.1'
  }

  it.each([
    ['{module}-v{version}', 'wifi-v1_2_3-rc_1'],
    ['fw({module})-{major}_{minor}_{patch}', 'fw(wifi)-1_2_3'],
    ['{tag}', 'wifi_v1_2_3-rc_1'],
    ['{module}-{sha}', 'wifi-0123456'],
    ['{module}-{prerelease}', 'wifi-rc_1'],
    ['固件-{module}', '固件-wifi'],
    // ー (U+30FC) is Japanese though Unicode gives it no script: it must not turn into `_`.
    ['ファームウェア-{module}', 'ファームウェア-wifi'],
    ['{product}', PRODUCT]
  ])('%s -> %s', (template, expected) => {
    expect(renderFirmwareName(template, vars)).toEqual({ name: expected, notes: [] })
  })

  it('uses empty text for values that are not there', () => {
    expect(renderFirmwareName('fw-{module}{prerelease}{tag}{sha}', { product: PRODUCT, module: '', version: '1' }).name).toBe('fw-default')
  })

  it('lists the known placeholders for an unknown one', () => {
    const error = actionErrorOf(() => renderFirmwareName('{product}-{ver}-{Module}', vars))
    expect(error.input).toBe('firmware-name')
    expect(error.message).toContain('{ver}, {Module}')
    for (const name of FIRMWARE_NAME_PLACEHOLDERS) expect(error.hint).toContain(`{${name}}`)
  })

  it('reports characters in the text that a name cannot hold', () => {
    const error = actionErrorOf(() => renderFirmwareName('fw v{version}.bin {module', vars))
    expect(error.input).toBe('firmware-name')
    expect(error.message).toContain("' ' (space), '.', '{'")
  })

  it('refuses a name that is too long, showing it and its length', () => {
    const error = actionErrorOf(() => renderFirmwareName('{product}-{module}-{tag}-{sha}', vars))
    expect(error.input).toBe('firmware-name')
    expect(error.message).toContain("'a1B2c3D4e5F-wifi-wifi_v1_2_3-rc_1-0123456'")
    expect(error.message).toContain('41 characters')
  })

  // Templates as a workflow writes them, for the default module and DestVersion 1.2.3.
  it.each([
    ['fw.{version}', ["Input 'firmware-name' is \"fw.{version}\": its text contains '.'"], 'Placeholders'],
    [
      'firmware-for-the-main-board-{module}-{version}',
      ["renders 'firmware-for-the-main-board-default-1_2_3': 41 characters, over the 40 allowed"],
      "leave 'firmware-name' unset"
    ]
  ])('refuses %j, naming the input', (template, fragments, hint) => {
    const error = actionErrorOf(() => renderFirmwareName(template, base))
    expect(error.input).toBe('firmware-name')
    for (const fragment of fragments) expect(error.message).toContain(fragment)
    expect(error.hint).toContain(hint)
  })

  it('refuses text that starts with something other than a letter or digit', () => {
    expect(actionErrorOf(() => renderFirmwareName('-{module}', vars)).message).toContain('must start with a letter or digit')
  })

  it('drops leading characters that came from a value, with a note', () => {
    expect(renderFirmwareName('{prerelease}-fw', { ...vars, prerelease: '_x' })).toEqual({
      name: 'x-fw',
      notes: ["Firmware name '_x-fw' starts with '_'; using 'x-fw'."]
    })
    expect(actionErrorOf(() => renderFirmwareName('{prerelease}', { ...vars, prerelease: '' })).message).toContain('empty')
  })
})

describe('properties of the default template', () => {
  const product = fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{11}$/), fc.string({ maxLength: 30 }))
  const module = fc.oneof(fc.constant(''), fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/), fc.string({ unit: 'binary', maxLength: 10 }))
  const version = fc.oneof(
    fc.stringMatching(/^[A-Za-z0-9._-]{1,64}$/),
    fc.tuple(fc.nat(99), fc.nat(99), fc.nat(99)).map((parts) => parts.join('.')),
    fc.string({ unit: 'binary', maxLength: 20 })
  )
  const triple = fc.record({ product, module, version })
  /** The platform's unnamed module is `default`: the two are the same firmware. */
  const key = (t: NameVariables): string => JSON.stringify([t.product, t.module === '' ? 'default' : t.module, t.version])

  it('always gives a valid name', () => {
    fc.assert(
      fc.property(triple, (vars) => {
        expect(isValidFirmwareName(renderFirmwareName(undefined, vars).name)).toBe(true)
      }),
      { numRuns: 1000 }
    )
  })

  it('gives different names to different (product, module, version)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(triple, { selector: key, minLength: 2, maxLength: 40 }), (triples) => {
        const names = triples.map((vars) => renderFirmwareName(undefined, vars).name)
        expect(new Set(names).size).toBe(names.length)
      }),
      { numRuns: 300 }
    )
  })

  it('keeps apart triples made to look alike', () => {
    // Moving a '-' segment between fields, or '.' against '_', gives the same readable text.
    const lookalikes = fc.tuple(
      fc.stringMatching(/^[a-z0-9]{1,6}$/),
      fc.stringMatching(/^[a-z0-9]{1,6}$/),
      fc.stringMatching(/^[a-z0-9]{1,6}$/),
      fc.stringMatching(/^[a-z0-9]{1,6}$/)
    )
    fc.assert(
      fc.property(lookalikes, ([a, b, c, d]) => {
        const variants: NameVariables[] = [
          { product: a, module: b, version: `${c}-${d}` },
          { product: a, module: `${b}-${c}`, version: d },
          { product: `${a}-${b}`, module: c, version: d },
          { product: a, module: b, version: `${c}.${d}` },
          { product: a, module: b, version: `${c}_${d}` },
          { product: a, module: `${b}.${c}`, version: d },
          { product: a, module: `${b}_${c}`, version: d }
        ]
        const names = variants.map((vars) => renderFirmwareName(undefined, vars).name)
        expect(new Set(names).size).toBe(variants.length)
      })
    )
  })
})
