import path from 'node:path'
import type { PathApi } from '../files/paths.js'

/** One run's record, written to a file so a later job can merge the legs of a matrix. */
export interface Manifest {
  /** Bumped when a field changes meaning. */
  schema: 1
  result: string
  productKey?: string
  moduleName?: string
  destVersion?: string
  firmwareName?: string
  firmwareId?: string
  utcCreate?: string
  firmwareUrl?: string
  file?: string
  size?: number
  signMethod?: string
  sign?: string
  /** A package of several files: each one (name in the package, path as matched, bytes, digest by signMethod, URL). */
  files?: readonly { name: string; path: string; size: number; sign: string; url: string }[]
  tag?: string
  isPrerelease?: boolean
  needToVerify?: boolean
  /** Why the run failed or was skipped. */
  message?: string
  repository?: string
  sha?: string
  runId?: string
}

/**
 * Where the manifest goes: the `manifest-path` input, else `ota-manifest-<module>.json` in
 * RUNNER_TEMP, so matrix legs on one runner never overwrite each other.
 */
export function manifestPath(explicit: string | undefined, runnerTemp: string, moduleName: string, p: Pick<PathApi, 'join'> = path): string {
  if (explicit) return explicit
  const safe = moduleName.replace(/[^A-Za-z0-9._-]/g, '_')
  return p.join(runnerTemp, `ota-manifest-${safe}.json`)
}

/** Drops empty fields so a merged manifest stays readable. */
export function renderManifest(manifest: Manifest): string {
  const compact = Object.fromEntries(Object.entries(manifest).filter(([, v]) => v !== undefined && v !== ''))
  return `${JSON.stringify(compact, null, 2)}\n`
}
