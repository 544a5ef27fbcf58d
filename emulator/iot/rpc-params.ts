import { BusinessError, gatewayErrors } from '../server/responses.js'

/** The platform's answer to a value it cannot read (bad number, bad format). */
export function invalidFormat(name: string, value: string): BusinessError {
  return new BusinessError('iot.check.InvalidFormattedParameter', `The value of ${name} is not valid: ${JSON.stringify(value)}.`)
}

/** An RPC call's parameters (query and form body merged). An empty value counts as absent, as on the platform. */
export class RpcParams {
  constructor(private readonly values: Readonly<Record<string, string>>) {}

  /** Every parameter as sent, for handlers that read their own. */
  all(): Readonly<Record<string, string>> {
    return this.values
  }

  optional(name: string): string | undefined {
    const value = this.values[name]
    return value === undefined || value === '' ? undefined : value
  }

  /** A parameter the API declares required: its absence is a gateway error (Missing{Name}). */
  required(name: string): string {
    const value = this.optional(name)
    if (value === undefined) throw gatewayErrors.missing(name)
    return value
  }

  integer(name: string): number | undefined {
    const value = this.optional(name)
    if (value === undefined) return undefined
    if (!/^-?\d{1,15}$/.test(value)) throw invalidFormat(name, value)
    return Number(value)
  }

  boolean(name: string): boolean | undefined {
    const value = this.optional(name)
    if (value === undefined) return undefined
    const lower = value.toLowerCase()
    if (lower !== 'true' && lower !== 'false') throw invalidFormat(name, value)
    return lower === 'true'
  }

  /** The indices (1-based, ascending) of a flattened list such as `MultiFiles.1.Name`, `MultiFiles.2.Name`. */
  listIndices(name: string): number[] {
    const pattern = new RegExp(`^${name}\\.(\\d+)\\.`)
    const indices = new Set<number>()
    for (const key of Object.keys(this.values)) {
      const match = pattern.exec(key)
      if (match) indices.add(Number(match[1]))
    }
    return [...indices].sort((a, b) => a - b)
  }
}
