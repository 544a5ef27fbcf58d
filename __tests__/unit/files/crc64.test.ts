import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { Crc64, crc64 } from '../../../src/files/crc64.js'

/** The bit-by-bit definition (reflected ECMA-182, all-ones initial value and final XOR), for comparison. */
function reference(data: Uint8Array): string {
  let crc = 0xffffffffffffffffn
  for (const byte of data) {
    crc ^= BigInt(byte)
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ 0xc96c5795d7870f42n : crc >> 1n
  }
  return (crc ^ 0xffffffffffffffffn).toString()
}

describe('crc64', () => {
  it('matches the CRC-64/XZ check value (what OSS calls crc64ecma)', () => {
    expect(BigInt(crc64(Buffer.from('123456789'))).toString(16)).toBe('995dc9bbdf1939fa')
  })

  it('is 0 for no bytes', () => {
    expect(crc64(new Uint8Array(0))).toBe('0')
  })

  it('agrees with the bit-by-bit definition, whatever the chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(200), (data, cut) => {
        const at = Math.min(cut, data.length)
        const crc = new Crc64()
        crc.update(data.subarray(0, at))
        crc.update(data.subarray(at))
        expect(crc.digest()).toBe(reference(data))
      })
    )
  })
})
