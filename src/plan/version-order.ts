/** Version ordering: SemVer precedence, extended to the loose format's 1 to 4 parts and dates. */

/** A version with its numeric core, as read from a tag. */
export interface OrderedVersion {
  readonly core: readonly string[]
  readonly prerelease?: string
}

/** SemVer precedence, extended to 1–4 parts (missing parts are 0) and dates (year, month, day). */
export function comparePrecedence(a: OrderedVersion, b: OrderedVersion): number {
  const length = Math.max(a.core.length, b.core.length)
  for (let i = 0; i < length; i++) {
    const order = compareNumeric(a.core[i] ?? '0', b.core[i] ?? '0')
    if (order !== 0) return order
  }
  const pa = a.prerelease
  const pb = b.prerelease
  if (pa === undefined || pb === undefined) return pa === pb ? 0 : pa === undefined ? 1 : -1
  const ia = pa.split('.')
  const ib = pb.split('.')
  for (let i = 0; i < Math.min(ia.length, ib.length); i++) {
    const x = ia[i] ?? ''
    const y = ib[i] ?? ''
    const xNum = /^\d+$/.test(x)
    const yNum = /^\d+$/.test(y)
    const order = xNum && yNum ? compareNumeric(x, y) : xNum ? -1 : yNum ? 1 : compareStrings(x, y)
    if (order !== 0) return order
  }
  return Math.sign(ia.length - ib.length)
}

/** Numeric strings of any length, without converting (parts can exceed 2^53). */
function compareNumeric(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, '')
  const y = b.replace(/^0+(?=\d)/, '')
  return Math.sign(x.length - y.length) || compareStrings(x, y)
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
