import type { SignMethod } from '../platform/rules.js'
import type { Artifact } from '../files/artifact.js'
import type { Digests } from '../files/digest.js'
import type { IotApi } from '../platform/client.js'
import type { FirmwareDetail, FirmwareSummary } from '../platform/models.js'
import type { Plan } from '../plan/plan.js'
import type { PublishDeps, PublishResult } from './publish.js'
import { baseParams } from './params.js'
import { refuseOrSkip } from './version-conflict.js'

/** What is known of the local file: by digest when at hand, or as the inputs declare it (`url` mode). */
export interface LocalFingerprint {
  size?: number
  digests: Digests
}

const methodOf = (row: { SignMethod?: string }): SignMethod => (row.SignMethod ?? 'MD5').toUpperCase() as SignMethod

export function sameModule(row: FirmwareSummary, plan: Plan): boolean {
  return row.ModuleName === plan.moduleName
}

/** Undefined when the local side has no digest by the row's method (`url` mode without a file). */
function sameContent(row: { FirmwareSign?: string; FirmwareSize?: number; SignMethod?: string }, local: LocalFingerprint): boolean | undefined {
  const digest = local.digests[methodOf(row)]
  if (digest === undefined) return undefined
  return row.FirmwareSign?.toLowerCase() === digest && (local.size === undefined || Number(row.FirmwareSize) === local.size)
}

/** QueryOTAFirmware hands out its URLs signed: compare without the query. */
function sameUrl(a: string | undefined, b: string): boolean {
  return a !== undefined && a.split('?')[0] === b.split('?')[0]
}

/**
 * Every package of this product, version and module; QueryOTAFirmware fills in what the list leaves
 * out (`always`: for every package, as a package of several files needs its MultiFiles).
 */
export async function findSamePackages(api: IotApi, plan: Plan, always = false): Promise<FirmwareDetail[]> {
  const rows = (await api.listFirmware(plan.productKey, plan.destVersion)).filter((row) => sameModule(row, plan))
  return Promise.all(
    rows.map(async (row) => (!always && row.FirmwareSign && row.FirmwareSize !== undefined ? row : { ...row, ...(await api.queryFirmware(row.FirmwareId)) }))
  )
}

/** Digests the file by every method the existing packages use; without a file, what the inputs declare. */
export async function localFingerprint(
  plan: Plan,
  artifact: Artifact | undefined,
  existing: readonly FirmwareSummary[],
  deps: Pick<PublishDeps, 'digestFile' | 'uploader'>
): Promise<LocalFingerprint | undefined> {
  const methods = new Set<SignMethod>([plan.signMethod, ...existing.map(methodOf)])
  return artifact ? deps.digestFile(artifact.path, [...methods]) : deps.uploader?.declared
}

interface Existing {
  iot: IotApi
  plan: Plan
  artifact: Artifact | undefined
  existing: readonly FirmwareDetail[]
  local: LocalFingerprint
  deps: Pick<PublishDeps, 'uploader' | 'log' | 'dryRun' | 'onVersionConflict'>
}

/** The package that already holds this file: by digest, or without one by the same registered URL. */
async function findMatch({ iot, existing, local, deps }: Existing): Promise<FirmwareSummary | undefined> {
  const match = existing.find((row) => sameContent(row, local) === true)
  const firmwareUrl = deps.uploader?.firmwareUrl
  if (match || firmwareUrl === undefined) return match
  for (const row of existing.filter((r) => sameContent(r, local) === undefined)) {
    const detail = await iot.queryFirmware(row.FirmwareId)
    if (sameUrl(detail.FirmwareUrl, firmwareUrl)) return { ...row, ...detail }
  }
  return undefined
}

/**
 * A re-run: reuse the package that holds this file; another file under the same version is a
 * conflict (skipped or refused by `on-version-conflict`). Undefined: nothing here decides.
 */
export async function decideOnExisting(ctx: Existing): Promise<PublishResult | undefined> {
  const { plan, local, deps } = ctx
  const match = await findMatch(ctx)
  if (match) {
    deps.log.info(`Package ${match.FirmwareId} (${match.FirmwareName}) already holds this file for ${plan.destVersion}; reusing it.`)
    const size = local.size ?? Number(match.FirmwareSize ?? 0)
    const sign = local.digests[plan.signMethod] ?? match.FirmwareSign?.toLowerCase() ?? ''
    return {
      result: deps.dryRun ? 'dry-run' : 'reused',
      firmwareId: match.FirmwareId,
      utcCreate: match.UtcCreate,
      size,
      sign,
      signMethod: plan.signMethod,
      createParams: { ...baseParams(plan), FirmwareUrl: deps.uploader?.firmwareUrl, FirmwareSign: sign, FirmwareSize: size },
      message: `reused ${match.FirmwareId}`
    }
  }
  return conflict(ctx)
}

/** What the other package holds: its one file's digest and size, or its files' names. */
function contentOf(other: FirmwareDetail, method: SignMethod): string {
  const files = other.MultiFiles
  if (files !== undefined) return `it is a package of ${files.length} files (${files.map((f) => f.Name).join(', ')})`
  return `it has ${method} ${other.FirmwareSign ?? '?'} and ${other.FirmwareSize ?? '?'} bytes`
}

function conflict({ plan, artifact, existing, local, deps }: Existing): PublishResult {
  const other = existing[0] as FirmwareDetail
  const otherMethod = methodOf(other)
  const message =
    `DestVersion ${plan.destVersion} of module ${plan.moduleName} already has package ${other.FirmwareId} (${other.FirmwareName}) ` +
    `with other content: ${contentOf(other, otherMethod)}, ` +
    `${artifact?.displayPath ?? deps.uploader?.firmwareUrl ?? 'the file'} has ${otherMethod} ${local.digests[otherMethod] ?? '?'} and ${local.size ?? '?'} bytes.`
  refuseOrSkip(message, deps)
  return {
    result: 'skipped',
    firmwareId: other.FirmwareId,
    utcCreate: other.UtcCreate,
    size: local.size ?? 0,
    sign: local.digests[plan.signMethod] ?? '',
    signMethod: plan.signMethod,
    message
  }
}
