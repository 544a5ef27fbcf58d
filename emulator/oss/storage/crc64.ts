/**
 * The CRC-64 OSS reports in `x-oss-hash-crc64ecma`: the ECMA-182 polynomial, input and output
 * reflected, initial value and final XOR all ones (the parameters the CRC catalogue lists as
 * CRC-64/XZ, check value 0x995dc9bbdf1939fa), printed as an unsigned decimal number.
 *
 * The emulator's own, not the action's: a check that used the client's code on both sides would
 * prove nothing. It is tested against published values (OSS's SDK, the catalogue), not against the
 * client's. The register is kept as two 32-bit halves (BigInt per byte would take minutes for a
 * 1,000 MB upload), and eight tables consume eight bytes a step, read as two little-endian words.
 */

/** ECMA-182's generator polynomial, in the normal (most significant bit first) form the standard prints. */
const ECMA_182 = 0x42f0e1eba9ea3693n

/** Bit-reversed: the reflected CRC shifts right, so it divides by the mirrored polynomial. */
function reflect64(value: bigint): bigint {
  let mirrored = 0n
  for (let bit = 0; bit < 64; bit++) mirrored = (mirrored << 1n) | ((value >> BigInt(bit)) & 1n)
  return mirrored
}

const SLICES = 8

/**
 * Table k maps a byte to the register's change after that byte and k zero bytes: slice 0 is the
 * classic byte table, the others let eight bytes be folded in with eight independent lookups.
 */
function buildTables(): { lo: Int32Array; hi: Int32Array } {
  const poly = reflect64(ECMA_182)
  const byByte: bigint[] = []
  for (let n = 0; n < 256; n++) {
    let crc = BigInt(n)
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n
    byByte.push(crc)
  }
  const lo = new Int32Array(SLICES * 256)
  const hi = new Int32Array(SLICES * 256)
  let slice = byByte
  for (let k = 0; k < SLICES; k++) {
    slice.forEach((crc, n) => {
      lo[k * 256 + n] = Number(BigInt.asIntN(32, crc))
      hi[k * 256 + n] = Number(BigInt.asIntN(32, crc >> 32n))
    })
    slice = slice.map((crc) => (crc >> 8n) ^ (byByte[Number(crc & 0xffn)] as bigint))
  }
  return { lo, hi }
}

let tables: { lo: Int32Array; hi: Int32Array } | undefined

/** Word reads assume little-endian memory; elsewhere every byte takes the one-byte path. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const EMPTY = new Int32Array(0)

/** CRC-64 fed chunk by chunk, so it runs in the same pass as the upload's other digests. */
export class Crc64 {
  // The register, all ones to start; kept as signed 32-bit halves, which the tables hold too.
  private lo = -1
  private hi = -1

  update(chunk: Uint8Array): void {
    const { lo: L, hi: H } = (tables ??= buildTables())
    let lo = this.lo
    let hi = this.hi
    let i = 0
    // One byte at a time up to a 4-byte boundary, so that the rest can be read as 32-bit words.
    // (Inlined, not a helper: a closure over lo and hi would slow the word loop down.)
    for (; i < chunk.length && (chunk.byteOffset + i) % 4 !== 0; i++) {
      const x = (lo ^ (chunk[i] as number)) & 0xff
      lo = ((lo >>> 8) | (hi << 24)) ^ (L[x] as number)
      hi = (hi >>> 8) ^ (H[x] as number)
    }
    const words = LITTLE_ENDIAN ? ((chunk.length - i) >>> 3) * 2 : 0
    // No view when there are no words: a short chunk may end before it reaches a boundary.
    const view = words > 0 ? new Int32Array(chunk.buffer, chunk.byteOffset + i, words) : EMPTY
    for (let w = 0; w < words; w += 2) {
      const a = lo ^ (view[w] as number)
      const b = hi ^ (view[w + 1] as number)
      const i7 = 7 * 256 + (a & 0xff)
      const i6 = 6 * 256 + ((a >>> 8) & 0xff)
      const i5 = 5 * 256 + ((a >>> 16) & 0xff)
      const i4 = 4 * 256 + (a >>> 24)
      const i3 = 3 * 256 + (b & 0xff)
      const i2 = 2 * 256 + ((b >>> 8) & 0xff)
      const i1 = 256 + ((b >>> 16) & 0xff)
      const i0 = b >>> 24
      lo =
        (L[i7] as number) ^
        (L[i6] as number) ^
        (L[i5] as number) ^
        (L[i4] as number) ^
        (L[i3] as number) ^
        (L[i2] as number) ^
        (L[i1] as number) ^
        (L[i0] as number)
      hi =
        (H[i7] as number) ^
        (H[i6] as number) ^
        (H[i5] as number) ^
        (H[i4] as number) ^
        (H[i3] as number) ^
        (H[i2] as number) ^
        (H[i1] as number) ^
        (H[i0] as number)
    }
    for (i += words * 4; i < chunk.length; i++) {
      const x = (lo ^ (chunk[i] as number)) & 0xff
      lo = ((lo >>> 8) | (hi << 24)) ^ (L[x] as number)
      hi = (hi >>> 8) ^ (H[x] as number)
    }
    this.lo = lo
    this.hi = hi
  }

  /** The CRC so far (final XOR applied) as OSS prints it: an unsigned decimal number. */
  digest(): string {
    return ((BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0)).toString(10)
  }
}

/** The CRC-64 of one buffer, as a decimal string. */
export function crc64(data: Uint8Array): string {
  const crc = new Crc64()
  crc.update(data)
  return crc.digest()
}
