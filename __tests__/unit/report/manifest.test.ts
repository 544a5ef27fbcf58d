import { describe, expect, it } from '@jest/globals'
import { manifestPath, renderManifest } from '../../../src/report/manifest.js'

describe('the manifest', () => {
  it.each([
    [undefined, '/tmp/r', 'wifi', '/tmp/r/ota-manifest-wifi.json'],
    [undefined, '/tmp/r', 'default', '/tmp/r/ota-manifest-default.json'],
    [undefined, '/tmp/r', 'a/b c', '/tmp/r/ota-manifest-a_b_c.json'],
    ['/x/m.json', '/tmp/r', 'wifi', '/x/m.json']
  ])('manifestPath(%s, %s, %j) = %s', (explicit, temp, module, expected) => {
    expect(manifestPath(explicit, temp, module)).toBe(expected)
  })

  it('leaves empty fields out of the manifest', () => {
    expect(JSON.parse(renderManifest({ schema: 1, result: 'failed', firmwareId: '', message: 'x' }))).toEqual({ schema: 1, result: 'failed', message: 'x' })
  })
})
