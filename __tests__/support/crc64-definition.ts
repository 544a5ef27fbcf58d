/**
 * CRC-64 as OSS's `x-oss-hash-crc64ecma` is defined, one bit at a time with BigInt: too slow for
 * large files, but short enough to check by eye against its parameters (the CRC catalogue's
 * CRC-64/XZ: ECMA-182 polynomial 0x42F0E1EBA9EA3693, reflected in and out, so shifted right through
 * its mirror image 0xC96C5795D7870F42; initial value and final XOR all ones). Tests compare the
 * table-driven implementations with it, and it with published values.
 */
const ALL_ONES = 0xffff_ffff_ffff_ffffn
const ECMA_182_REFLECTED = 0xc96c_5795_d787_0f42n

export function crc64ByDefinition(data: Uint8Array): string {
  let crc = ALL_ONES
  for (const byte of data) {
    crc ^= BigInt(byte)
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ ECMA_182_REFLECTED : crc >> 1n
  }
  return (crc ^ ALL_ONES).toString(10)
}

/**
 * Published values: the CRC catalogue's check value of CRC-64/XZ ("123456789"), and the vectors of
 * Alibaba Cloud's OSS SDK for Java (v2), `CRC64Test`, whose CRC64 is the one OSS reports.
 */
export const PUBLISHED_CRC64: readonly (readonly [string, bigint])[] = [
  ['', 0n],
  ['123456789', 0x995d_c9bb_df19_39fan],
  ['This is a test of the emergency broadcast system.', 0x27db_187f_c15b_bc72n],
  ['IHATEMATH', 0x3920_e0f6_6b6e_e0c8n],
  ['123456789This is a test of the emergency broadcast system.', 7672622622872733320n]
]
