import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { Crc64, crc64 } from '../../emulator/oss/storage/crc64.js'
import { crc64ByDefinition, PUBLISHED_CRC64 } from '../support/crc64-definition.js'

describe("the emulator's CRC-64 (x-oss-hash-crc64ecma)", () => {
  it.each(PUBLISHED_CRC64)('gives the published value for %j', (text, value) => {
    expect(crc64(Buffer.from(text, 'latin1'))).toBe(value.toString(10))
    expect(crc64ByDefinition(Buffer.from(text, 'latin1'))).toBe(value.toString(10))
  })

  it('agrees with the definition bit by bit, whatever the chunking and the alignment of the chunks', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), fc.nat(7), (data, cut, shift) => {
        // The same bytes at another offset of a larger buffer: the word reads start unaligned.
        const backing = new Uint8Array(data.length + shift)
        backing.set(data, shift)
        const bytes = backing.subarray(shift)
        const at = Math.min(cut, bytes.length)
        const crc = new Crc64()
        crc.update(bytes.subarray(0, at))
        crc.update(bytes.subarray(at))
        expect(crc.digest()).toBe(crc64ByDefinition(data))
      })
    )
  })

  it('reads a Buffer sliced from a shared pool as its own bytes only', () => {
    const pool = Buffer.from('xx123456789yy', 'latin1')
    expect(crc64(pool.subarray(2, 11))).toBe(0x995dc9bbdf1939fan.toString(10))
  })
})
