import type { SignMethod } from '../platform/rules.js'
import { INPUT } from '../contract/names.js'
import { ActionError } from '../contract/action-error.js'
import { renderFirmwareName } from './firmware-name.js'
import type { Inputs } from '../config/inputs.js'
import { type ResolvedVersion, resolveVersion } from './version.js'

/** Where the run comes from: the parts of the GitHub context that decide the version. */
export interface RunContext {
  eventName: string
  ref: string
  sha: string
  /** `release` events: the release's tag. */
  releaseTagName?: string
  /** Tags pointing at `sha`, looked up only when `tag-from-sha` is on. */
  tagsAtSha?: string[]
}

/** The package to register, decided before any file is touched. */
export interface Plan {
  readonly productKey: string
  /** The module sent as ModuleName; '' means the default module (ModuleName omitted). */
  readonly moduleName: string
  readonly destVersion: string
  readonly firmwareName: string
  readonly firmwareDesc?: string
  readonly udi?: string
  readonly needToVerify: boolean
  readonly signMethod: SignMethod
  readonly type: 0 | 1
  readonly srcVersion?: string
  readonly version: ResolvedVersion
  /** Warnings to show: dropped build metadata, shortened names, forced verification. */
  readonly notes: readonly string[]
  /** Set when this run should publish nothing and still succeed (module guard, prerelease skip). */
  readonly skipReason?: string
}

/** The module name the platform files a package under when ModuleName is omitted. */
export const DEFAULT_MODULE = 'default'

/**
 * Decides DestVersion, module, FirmwareName and the other CreateOTAFirmware fields from the
 * inputs and the run's context. Pure: no I/O, no clock.
 */
export function buildPlan(inputs: Inputs, context: RunContext): Plan {
  const version = resolveVersion(
    {
      destVersion: inputs.destVersion,
      ref: context.ref,
      eventName: context.eventName,
      releaseTagName: context.releaseTagName,
      tagsAtSha: context.tagsAtSha
    },
    {
      tagPattern: inputs.tagPattern,
      versionFormat: inputs.versionFormat,
      buildMetadata: inputs.buildMetadata
    }
  )
  const notes = [...version.notes]
  let skipReason: string | undefined

  // A module in the tag must agree with this leg's module: the `ble` leg of a matrix must not
  // publish a `wifi/v1.2.3` tag.
  const tagModule = version.tagModule
  let moduleName = inputs.moduleName
  if (tagModule !== undefined && moduleName !== '' && tagModule !== moduleName) {
    const message = `The tag ${version.tag ?? ''} is for module '${tagModule}', but '${INPUT.moduleName}' is '${moduleName}'.`
    if (inputs.moduleMismatch === 'fail') {
      throw new ActionError(message, {
        input: INPUT.moduleName,
        hint: `In a matrix with one leg per module, set '${INPUT.moduleMismatch}: skip' so other legs pass, or push a tag for '${moduleName}'.`
      })
    }
    skipReason = `${message} Skipped ('${INPUT.moduleMismatch}: skip').`
  }
  if (moduleName === '' && tagModule !== undefined) moduleName = tagModule

  let needToVerify = inputs.needToVerify
  if (version.isPrerelease && skipReason === undefined) {
    if (inputs.prerelease === 'fail') {
      throw new ActionError(`DestVersion ${version.destVersion} is a prerelease, and '${INPUT.prerelease}' is fail.`, {
        input: INPUT.prerelease,
        hint: `Push a release tag, or set '${INPUT.prerelease}' to allow, skip or verify.`
      })
    }
    if (inputs.prerelease === 'skip') {
      skipReason = `DestVersion ${version.destVersion} is a prerelease; skipped ('${INPUT.prerelease}: skip').`
    }
    if (inputs.prerelease === 'verify' && !needToVerify) {
      needToVerify = true
      notes.push(`NeedToVerify forced to true for prerelease ${version.destVersion} ('${INPUT.prerelease}: verify').`)
    }
  }

  const type = inputs.firmwareType === 'diff' ? 1 : 0
  if (type === 1 && inputs.srcVersion === version.destVersion) {
    throw new ActionError(`Input '${INPUT.srcVersion}' is ${JSON.stringify(inputs.srcVersion)}, the same as DestVersion: a differential package must upgrade from another version.`, {
      input: INPUT.srcVersion
    })
  }

  const name = renderFirmwareName(inputs.firmwareName, {
    product: inputs.productKey,
    module: moduleName === '' ? DEFAULT_MODULE : moduleName,
    version: version.destVersion,
    tag: version.tag,
    sha: context.sha ? context.sha.slice(0, 7) : undefined,
    major: version.major,
    minor: version.minor,
    patch: version.patch,
    prerelease: version.prerelease
  })
  notes.push(...name.notes)

  return {
    productKey: inputs.productKey,
    moduleName,
    destVersion: version.destVersion,
    firmwareName: name.name,
    firmwareDesc: inputs.firmwareDesc,
    udi: inputs.udi,
    needToVerify,
    signMethod: inputs.signMethod,
    type,
    srcVersion: inputs.srcVersion,
    version,
    notes,
    skipReason
  }
}
