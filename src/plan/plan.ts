import { DEFAULT_MODULE, type SignMethod } from '../platform/rules.js'
import { INPUT } from '../contract/names.js'
import { ActionError } from '../contract/action-error.js'
import { renderFirmwareName } from './firmware-name.js'
import type { Inputs } from '../config/inputs.js'
import { type ResolvedVersion, resolveVersion, type VersionSources } from './version.js'

/** Where the run comes from: the parts of the GitHub context that decide the version. */
export interface RunContext {
  eventName: string
  ref: string
  sha: string
  /** `release` events: the release's tag. */
  releaseTagName?: string
  /** Tags pointing at `sha`, looked up only when `tag-from-sha` is on. */
  tagsAtSha?: string[]
  /** Why `tagsAtSha` says nothing (git failed, or the clone has no tags). */
  tagLookupProblem?: VersionSources['tagLookupProblem']
}

/** The package to register, decided before any file is touched. */
export interface Plan {
  readonly productKey: string
  /** The OTA module: `default` unless the input or the tag names another. */
  readonly moduleName: string
  /** Where `moduleName` came from (unset for the default module): input `module-name`, or the tag. */
  readonly moduleSource?: 'input' | 'tag'
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

/** A module in the tag must agree with this leg's module: the `ble` leg of a matrix must not publish a `wifi/v1.2.3` tag. */
function decideModule(inputs: Inputs, version: ResolvedVersion): { moduleName: string; moduleSource?: 'input' | 'tag'; skipReason?: string } {
  const { tagModule } = version
  const moduleName = inputs.moduleName
  if (moduleName === undefined) return tagModule ? { moduleName: tagModule, moduleSource: 'tag' } : { moduleName: DEFAULT_MODULE }
  if (tagModule === undefined || tagModule === moduleName) return { moduleName, moduleSource: 'input' }
  const message = `The tag ${version.tag ?? ''} is for module '${tagModule}', but '${INPUT.moduleName}' is '${moduleName}'.`
  if (inputs.moduleMismatch === 'fail') {
    throw new ActionError(message, {
      input: INPUT.moduleName,
      hint: `In a matrix with one leg per module, set '${INPUT.moduleMismatch}: skip' so other legs pass, or push a tag for '${moduleName}'.`
    })
  }
  return { moduleName, moduleSource: 'input', skipReason: `${message} Skipped ('${INPUT.moduleMismatch}: skip').` }
}

/** What `prerelease` says about a prerelease DestVersion: publish, skip, fail, or force verification. */
function decidePrerelease(inputs: Inputs, version: ResolvedVersion, notes: string[]): { needToVerify: boolean; skipReason?: string } {
  const needToVerify = inputs.needToVerify
  if (!version.isPrerelease) return { needToVerify }
  if (inputs.prerelease === 'fail') {
    throw new ActionError(`DestVersion ${version.destVersion} is a prerelease, and '${INPUT.prerelease}' is fail.`, {
      input: INPUT.prerelease,
      hint: `Push a release tag, or set '${INPUT.prerelease}' to allow, skip or verify.`
    })
  }
  if (inputs.prerelease === 'skip')
    return { needToVerify, skipReason: `DestVersion ${version.destVersion} is a prerelease; skipped ('${INPUT.prerelease}: skip').` }
  if (inputs.prerelease === 'verify' && !needToVerify) {
    notes.push(`NeedToVerify forced to true for prerelease ${version.destVersion} ('${INPUT.prerelease}: verify').`)
    return { needToVerify: true }
  }
  return { needToVerify }
}

function packageType(inputs: Inputs, destVersion: string): 0 | 1 {
  if (inputs.firmwareType !== 'diff') return 0
  if (inputs.srcVersion === destVersion) {
    throw new ActionError(
      `Input '${INPUT.srcVersion}' is ${JSON.stringify(inputs.srcVersion)}, the same as DestVersion: a differential package must upgrade from another version.`,
      {
        input: INPUT.srcVersion
      }
    )
  }
  return 1
}

/**
 * Decides DestVersion, module, FirmwareName and the other CreateOTAFirmware fields from the
 * inputs and the run's context. Pure: no I/O, no clock.
 */
export function buildPlan(inputs: Inputs, context: RunContext): Plan {
  const { destVersion, tagPattern, versionFormat, buildMetadata } = inputs
  const { ref, eventName, releaseTagName, tagsAtSha, tagLookupProblem } = context
  const version = resolveVersion({ destVersion, ref, eventName, releaseTagName, tagsAtSha, tagLookupProblem }, { tagPattern, versionFormat, buildMetadata })
  const notes = [...version.notes]
  const { moduleName, moduleSource, skipReason: mismatch } = decideModule(inputs, version)
  // A leg skipped for its module is not also judged as a prerelease.
  const { needToVerify, skipReason } =
    mismatch === undefined ? decidePrerelease(inputs, version, notes) : { needToVerify: inputs.needToVerify, skipReason: mismatch }
  const type = packageType(inputs, version.destVersion)
  const name = renderFirmwareName(inputs.firmwareName, {
    product: inputs.productKey,
    module: moduleName,
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
    moduleSource,
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
