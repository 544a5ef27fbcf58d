import type { SignMethod } from '../platform/rules.js'
import { ApiError, hintForCode, isThrottling, isTransientApiError } from '../platform/api-error.js'
import type { Artifact } from '../files/artifact.js'
import { INPUT } from '../contract/names.js'
import type { Digests } from '../files/digest.js'
import { ActionError } from '../contract/action-error.js'
import { TransportError } from '../net/transport.js'
import type { CreateFirmwareParams, CreatedFirmware, FirmwareSummary, IotApi } from '../platform/client.js'
import type { VersionConflictPolicy } from '../config/inputs.js'
import { DEFAULT_MODULE, Plan } from '../plan/plan.js'
import { RetryPolicy, withRetry } from '../net/retry.js'
import type { FirmwareUploader, UploadedFirmware } from '../upload/uploader.js'

export type PublishOutcome = 'created' | 'reused' | 'dry-run' | 'skipped'

export interface PublishResult {
  readonly result: PublishOutcome
  readonly firmwareId?: string
  readonly utcCreate?: string
  readonly firmwareUrl?: string
  readonly size: number
  readonly sign: string
  readonly signMethod: SignMethod
  /** What was (or, in a dry run, would have been) sent to CreateOTAFirmware. */
  readonly createParams?: Omit<CreateFirmwareParams, 'FirmwareUrl'> & { FirmwareUrl?: string }
  readonly message?: string
  /** Dry run with credentials: what the read-only permission probe found. */
  readonly probe?: string
}

export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Runs one phase inside a collapsible log group. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

export interface PublishDeps {
  /** Absent only in a dry run without credentials: then nothing is looked up. */
  iot: IotApi | undefined
  /** Puts the file in place (`upload-mode`); absent only in a dry run without credentials. */
  uploader: FirmwareUploader | undefined
  digestFile: (path: string, methods: readonly SignMethod[]) => Promise<{ size: number; digests: Digests }>
  /** Fails clearly when the file vanished or changed since it was found (checked before each upload). */
  recheck?: (artifact: Artifact) => Promise<void>
  retry: RetryPolicy
  log: Logger
  dryRun: boolean
  onVersionConflict: VersionConflictPolicy
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/** Failures that another attempt can fix: the network, timeouts, throttling, server errors. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof TransportError) return err.kind !== 'aborted'
  if (err instanceof ApiError) {
    // An upload form outlives its one-minute policy when retries wait; a fresh one fixes that.
    if (err.operation === 'PostObject' && err.code === 'AccessDenied' && /expired/i.test(err.message)) return true
    return isTransientApiError(err)
  }
  return false
}

/**
 * The outcome of the call is unknown: the request left and no answer came back, or the server
 * failed (5xx, iot.system.SystemException) at a point we cannot see. Throttling is refused before
 * the operation runs, so it is not ambiguous.
 */
function isAmbiguous(err: unknown): boolean {
  if (err instanceof TransportError) return err.requestSent || err.kind === 'timeout'
  return err instanceof ApiError && isTransientApiError(err) && !isThrottling(err)
}

/** Turns a final platform failure into an error that says what to do. */
export function explain(err: unknown): unknown {
  if (err instanceof ApiError) {
    return new ActionError(err.message, { code: err.code, hint: hintForCode(err.code), cause: err })
  }
  if (err instanceof TransportError) {
    const hint =
      err.kind === 'aborted'
        ? `Raise '${INPUT.timeoutMinutes}' if the upload needs longer.`
        : `Check the network and the endpoint; '${INPUT.maxAttempts}' and '${INPUT.requestTimeoutSeconds}' control the retries.`
    return new ActionError(err.message, { hint, cause: err })
  }
  return err
}

function sameModule(row: FirmwareSummary, plan: Plan): boolean {
  return (row.ModuleName || DEFAULT_MODULE) === (plan.moduleName || DEFAULT_MODULE)
}

/** Undefined when the local side has no digest by the row's method (`url` mode without a file). */
function sameContent(row: { FirmwareSign?: string; FirmwareSize?: number; SignMethod?: string }, size: number | undefined, digests: Digests): boolean | undefined {
  const method = (row.SignMethod ?? 'MD5').toUpperCase() as SignMethod
  const local = digests[method]
  if (local === undefined) return undefined
  return row.FirmwareSign?.toLowerCase() === local && (size === undefined || Number(row.FirmwareSize) === size)
}

/** QueryOTAFirmware hands out its URLs signed: compare without the query. */
function sameUrl(a: string | undefined, b: string): boolean {
  return a !== undefined && a.split('?')[0] === b.split('?')[0]
}

/**
 * Publishes one firmware file: finds an existing package for the same version (re-runs reuse it),
 * puts the file in place through `deps.uploader` (one call per attempt), and registers it with
 * CreateOTAFirmware, looking again before any repeat so that one publish never makes two packages.
 * An upload whose registration failed for good is discarded when the uploader can (oss mode), or
 * said to be left behind. `artifact` is undefined only in url mode without a file.
 */
export async function publishFirmware(plan: Plan, artifact: Artifact | undefined, deps: PublishDeps): Promise<PublishResult> {
  const { iot, log } = deps
  const retry = <T>(what: string, fn: (attempt: number) => Promise<T>): Promise<T> =>
    withRetry(fn, deps.retry, {
      isRetryable,
      onRetry: ({ attempt, delayMs, error }) =>
        log.warning(`${what}: attempt ${attempt} of ${deps.retry.maxAttempts} failed (${describe(error)}); retrying in ${(delayMs / 1000).toFixed(1)} s.`)
    }).catch((err: unknown) => {
      throw explain(err)
    })

  const listSame = async (api: IotApi): Promise<FirmwareSummary[]> => {
    const rows = (await retry('ListOTAFirmware', () => api.listFirmware(plan.productKey, plan.destVersion))).filter((row) => sameModule(row, plan))
    // Where the list leaves out the digest or size, QueryOTAFirmware has them.
    return Promise.all(
      rows.map(async (row) =>
        row.FirmwareSign && row.FirmwareSize !== undefined ? row : { ...row, ...(await retry('QueryOTAFirmware', () => api.queryFirmware(row.FirmwareId))) }
      )
    )
  }

  const baseParams = {
    ProductKey: plan.productKey,
    DestVersion: plan.destVersion,
    FirmwareName: plan.firmwareName,
    SignMethod: plan.signMethod,
    ModuleName: plan.moduleName || undefined,
    FirmwareDesc: plan.firmwareDesc,
    Udi: plan.udi,
    NeedToVerify: plan.needToVerify,
    Type: plan.type,
    SrcVersion: plan.srcVersion
  }

  // A re-run (or a dry run) needs the digest before deciding; a first run digests while uploading.
  const existing = iot ? await log.group('Look for an existing package', () => listSame(iot)) : []
  // Without a file (`url` mode), what the inputs declare stands in for it.
  let local: { size?: number; digests: Digests } | undefined
  if (existing.length > 0 || deps.dryRun) {
    const methods = new Set<SignMethod>([plan.signMethod])
    for (const row of existing) methods.add((row.SignMethod ?? 'MD5').toUpperCase() as SignMethod)
    local = artifact ? await deps.digestFile(artifact.path, [...methods]) : deps.uploader?.declared
  }
  if (existing.length > 0 && local && iot) {
    const known = local
    let match = existing.find((row) => sameContent(row, known.size, known.digests) === true)
    const firmwareUrl = deps.uploader?.firmwareUrl
    if (!match && firmwareUrl !== undefined) {
      // No digest to compare with: the same URL registered for this version is this file.
      for (const row of existing.filter((r) => sameContent(r, known.size, known.digests) === undefined)) {
        const detail = await retry('QueryOTAFirmware', () => iot.queryFirmware(row.FirmwareId))
        if (sameUrl(detail.FirmwareUrl, firmwareUrl)) match = { ...row, ...detail }
        if (match) break
      }
    }
    if (match) {
      log.info(`Package ${match.FirmwareId} (${match.FirmwareName}) already holds this file for ${plan.destVersion}; reusing it.`)
      const size = local.size ?? Number(match.FirmwareSize ?? 0)
      const sign = local.digests[plan.signMethod] ?? match.FirmwareSign?.toLowerCase() ?? ''
      return {
        result: deps.dryRun ? 'dry-run' : 'reused',
        firmwareId: match.FirmwareId,
        utcCreate: match.UtcCreate,
        size,
        sign,
        signMethod: plan.signMethod,
        createParams: { ...baseParams, FirmwareUrl: firmwareUrl, FirmwareSign: sign, FirmwareSize: size },
        message: `reused ${match.FirmwareId}`
      }
    }
    const other = existing[0] as FirmwareSummary
    const otherMethod = (other.SignMethod ?? 'MD5').toUpperCase() as SignMethod
    const message =
      `DestVersion ${plan.destVersion} of module ${plan.moduleName || DEFAULT_MODULE} already has package ${other.FirmwareId} (${other.FirmwareName}) ` +
      `with other content: it has ${otherMethod} ${other.FirmwareSign ?? '?'} and ${other.FirmwareSize ?? '?'} bytes, ` +
      `${artifact?.displayPath ?? deps.uploader?.firmwareUrl ?? 'the file'} has ${otherMethod} ${local.digests[otherMethod] ?? '?'} and ${local.size ?? '?'} bytes.`
    if (deps.onVersionConflict === 'skip') {
      log.warning(`${message} Nothing published ('${INPUT.onVersionConflict}: skip').`)
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
    throw new ActionError(message, {
      input: INPUT.onVersionConflict,
      hint: `Publish the new build under a new version (tag), delete the old package, or set '${INPUT.onVersionConflict}: skip' to keep the existing one.`
    })
  }

  if (deps.dryRun || !iot) {
    const sign = local?.digests[plan.signMethod] ?? ''
    return {
      result: 'dry-run',
      probe: iot
        ? `ListOTAFirmware for product ${plan.productKey} succeeded: the credentials can read OTA packages (${existing.length} for DestVersion ${plan.destVersion}, module ${plan.moduleName || DEFAULT_MODULE}).`
        : undefined,
      size: artifact?.size ?? local?.size ?? 0,
      sign,
      signMethod: plan.signMethod,
      createParams: { ...baseParams, FirmwareUrl: deps.uploader?.firmwareUrl, FirmwareSign: sign, FirmwareSize: artifact?.size ?? local?.size }
    }
  }

  const { uploader } = deps
  if (!uploader) throw new Error('publishFirmware needs an uploader outside a dry run')
  const uploaded: UploadedFirmware = await log.group(uploader.label, () =>
    retry(uploader.label, async () => {
      if (artifact) await deps.recheck?.(artifact)
      return uploader.upload(artifact, [plan.signMethod])
    })
  )
  // Size and digest unknown (`url` mode without a file) are left out: the platform fills them in.
  const params: CreateFirmwareParams = {
    ...baseParams,
    FirmwareUrl: uploaded.firmwareUrl,
    FirmwareSign: uploaded.digests[plan.signMethod],
    FirmwareSize: uploaded.size
  }

  let unsure = false
  const created = await log.group('Register', () => retry<CreatedFirmware>('CreateOTAFirmware', async () => {
    if (unsure) {
      // The last attempt may have created the package without telling us: adopt it if so.
      const mine = (await iot.listFirmware(plan.productKey, plan.destVersion)).find((row) => row.FirmwareName === plan.firmwareName && sameModule(row, plan))
      if (mine) {
        log.info(`CreateOTAFirmware had created ${mine.FirmwareId} before its answer was lost; adopting it.`)
        return { FirmwareId: mine.FirmwareId, UtcCreate: mine.UtcCreate ?? '' }
      }
    }
    try {
      return await iot.createFirmware(params)
    } catch (err) {
      unsure = unsure || isAmbiguous(err)
      throw err
    }
  })).catch(async (err: unknown) => {
    // Every attempt was answered with a no, so no package refers to the upload: remove it.
    if (uploaded.discard && !unsure) {
      await uploaded.discard().then(
        () => log.info(`Removed ${uploaded.firmwareUrl}, which this run uploaded, since registering it failed.`),
        (discardError: unknown) => log.warning(`Could not remove ${uploaded.firmwareUrl} after the failed registration: ${describe(discardError)}`)
      )
    } else if (uploaded.discard) {
      log.warning(`Kept ${uploaded.firmwareUrl}: a CreateOTAFirmware whose answer was lost may have registered it.`)
    } else if (uploaded.leftBehind) {
      log.warning(uploaded.leftBehind)
    }
    throw err
  })

  let size = uploaded.size
  let sign = uploaded.digests[plan.signMethod]
  if (size === undefined || sign === undefined) {
    // Left to the platform: read back what it registered, for the outputs.
    const row = (await listSame(iot).catch(() => [])).find((r) => r.FirmwareId === created.FirmwareId)
    if (row?.FirmwareSize !== undefined) size ??= Number(row.FirmwareSize)
    sign ??= row?.FirmwareSign?.toLowerCase()
    if (size === undefined || sign === undefined) log.warning(`Could not read back the size and digest the platform registered for ${created.FirmwareId}.`)
  }

  return {
    result: 'created',
    firmwareId: created.FirmwareId,
    utcCreate: created.UtcCreate,
    firmwareUrl: params.FirmwareUrl,
    size: size ?? 0,
    sign: sign ?? '',
    signMethod: plan.signMethod,
    createParams: params
  }
}
