import { BusinessError, gatewayErrors } from '../server/responses.js'

/** The platform's answer to a value it cannot read (bad number, bad format). */
export function invalidFormat(name: string, value: string): BusinessError {
  return new BusinessError('iot.check.InvalidFormattedParameter', `The value of ${name} is not valid: ${JSON.stringify(value)}.`)
}

/** An RPC call's parameters (query and form body merged). An empty value counts as absent, as on the platform. */
export class RpcParams {
  constructor(private readonly values: Readonly<Record<string, string>>) {}

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

  /** A flattened list `Name.1`, `Name.2`, …: the values by index, which must run 1..N without gaps. */
  list(name: string, suffix = ''): string[] {
    const pattern = new RegExp(`^${name.replace('.', '\\.')}\\.(\\d+)${suffix.replace('.', '\\.')}$`)
    const found = new Map<number, string>()
    for (const [key, value] of Object.entries(this.values)) {
      const match = pattern.exec(key)
      if (match) found.set(Number(match[1]), value)
    }
    const values: string[] = []
    for (let i = 1; i <= found.size; i++) {
      const value = found.get(i)
      if (value === undefined) throw invalidFormat(`${name}.N`, `index ${i} is missing`)
      values.push(value)
    }
    return values
  }

  /** `Tag.N.Key` / `Tag.N.Value` pairs. */
  tags(): { Key: string; Value: string }[] {
    const keys = this.list('Tag', '.Key')
    const values = this.list('Tag', '.Value')
    if (keys.length !== values.length) throw new BusinessError('iot.system.IllegalRequest', 'Tag.N.Key and Tag.N.Value must be sent in pairs.')
    return keys.map((Key, i) => ({ Key, Value: values[i] ?? '' }))
  }
}
