import { jobErrors } from './errors.js'

/** The decoded parameters of one RPC call (query and form merged); an empty value counts as absent. */
export class JobParams {
  constructor(private readonly values: Readonly<Record<string, string>>) {}

  optional(name: string): string | undefined {
    const value = this.values[name]
    return value === undefined || value === '' ? undefined : value
  }

  required(name: string): string {
    const value = this.optional(name)
    if (value === undefined) throw jobErrors.missing(name)
    return value
  }

  integer(name: string): number | undefined {
    const value = this.optional(name)
    if (value === undefined) return undefined
    if (!/^-?\d{1,15}$/.test(value)) throw jobErrors.invalidFormat(name, value)
    return Number(value)
  }

  boolean(name: string): boolean | undefined {
    const value = this.optional(name)
    if (value === undefined) return undefined
    const lower = value.toLowerCase()
    if (lower !== 'true' && lower !== 'false') throw jobErrors.invalidFormat(name, value)
    return lower === 'true'
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
      if (value === undefined) throw jobErrors.invalidFormat(`${name}.N`, `index ${i} is missing`)
      values.push(value)
    }
    return values
  }

  /** `Tag.N.Key` / `Tag.N.Value` pairs. */
  tags(): { Key: string; Value: string }[] {
    const keys = this.list('Tag', '.Key')
    const values = this.list('Tag', '.Value')
    if (keys.length !== values.length) throw jobErrors.illegal('Tag.N.Key and Tag.N.Value must be sent in pairs.')
    return keys.map((Key, i) => ({ Key, Value: values[i] ?? '' }))
  }
}
