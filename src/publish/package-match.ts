/** Whether a package of several files on the platform holds the local files. Pure. */
import type { Digests } from '../files/digest.js'
import type { FirmwareFile } from '../platform/models.js'
import type { SignMethod } from '../platform/rules.js'

/** A local file of the package, digested (MD5 always, for FileMd5; the package's sign method too). */
export interface LocalFile {
  readonly name: string
  readonly size: number
  readonly digests: Digests
}

const hex = (value: string | undefined): string | undefined => value?.toLowerCase()

/** How a file is shown in a difference: bytes and the digest the package has for it. */
function described(size: number | undefined, digest: string | undefined, method: string): string {
  return `${size ?? '?'} bytes, ${method} ${digest ?? '?'}`
}

/**
 * One line per file that differs (by name, size and digest: FileMd5 and SignValue, whichever the
 * package has; a file without either cannot be told the same); none: the package holds these files.
 * `method` is the package's SignMethod.
 */
export function fileDifferences(remote: readonly FirmwareFile[] | undefined, local: readonly LocalFile[], method: SignMethod): string[] {
  if (remote === undefined) return [`it is a package of one file (FirmwareUrl), this publish has ${local.length}`]
  const byName = new Map(remote.map((file) => [file.Name, file]))
  const differences: string[] = []
  for (const file of local) {
    const there = byName.get(file.name)
    byName.delete(file.name)
    if (there === undefined) {
      differences.push(`${file.name} is not in it`)
      continue
    }
    const md5Same = there.FileMd5 === undefined || hex(there.FileMd5) === file.digests.MD5
    const signSame = there.SignValue === undefined || hex(there.SignValue) === file.digests[method]
    const known = there.FileMd5 !== undefined || there.SignValue !== undefined
    if (Number(there.Size) !== file.size || !md5Same || !signSame || !known) {
      const [shown, value]: [SignMethod, string | undefined] = there.SignValue !== undefined ? [method, there.SignValue] : ['MD5', there.FileMd5]
      differences.push(`${file.name} has ${described(there.Size, hex(value), shown)} there, ${described(file.size, file.digests[shown], shown)} here`)
    }
  }
  for (const name of byName.keys()) differences.push(`${name} is only in the package`)
  return differences
}
