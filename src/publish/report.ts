/** What a publish run reports: outputs, the job summary, the notice, and its manifest. */
import type { Artifact } from '../files/artifact.js'
import type { Plan } from '../plan/plan.js'
import type { Inputs } from '../config/inputs.js'
import { buildOutputs } from './outputs.js'
import type { Manifest } from '../report/manifest.js'
import type { Report } from '../report/report.js'
import { renderSkipSummary, renderSummary } from './summary.js'
import type { PublishResult } from './publish.js'
import { unsignedUrl } from '../report/format.js'

/** What a publish run knew when it ended, for the manifest and the failure summary. */
export interface PublishState {
  inputs?: Inputs
  plan?: Plan
  artifact?: Artifact
  result?: PublishResult
}

/** The outcome of a run: a package published (created, reused, dry run), or nothing on purpose. */
export type PublishRun =
  | { readonly kind: 'published'; readonly plan: Plan; readonly artifact?: Artifact; readonly result: PublishResult }
  | { readonly kind: 'skipped'; readonly plan: Plan; readonly reason: string }

function publishedReport(plan: Plan, artifact: Artifact | undefined, result: PublishResult): Report {
  const lines =
    result.result === 'dry-run' && result.createParams
      ? [result.probe, result.uploadPlan, `Would call CreateOTAFirmware with ${JSON.stringify(result.createParams, null, 2)}`].filter((l) => l !== undefined)
      : []
  return {
    result: result.result,
    lines,
    outputs: buildOutputs(plan, result, artifact),
    summary: renderSummary(plan, artifact, result),
    notice: result.firmwareId
      ? { title: 'OTA package', message: `FirmwareId ${result.firmwareId} (${plan.firmwareName}, DestVersion ${plan.destVersion}): ${result.result}` }
      : undefined,
    message: result.message
  }
}

export function publishReport(outcome: PublishRun): Report {
  const { plan } = outcome
  if (outcome.kind === 'published') return publishedReport(plan, outcome.artifact, outcome.result)
  return {
    result: 'skipped',
    outputs: buildOutputs(plan, { result: 'skipped' }),
    summary: renderSkipSummary(plan, outcome.reason),
    notice: { title: 'OTA publish skipped', message: outcome.reason },
    message: outcome.reason
  }
}

/** Where the run comes from, for the manifest. */
export interface ManifestOrigin {
  readonly repository?: string
  readonly sha?: string
  readonly runId?: string
}

/** The run's record for a later job that merges the legs of a matrix. */
export function buildManifest(state: PublishState, moduleName: string, end: { result: string; message?: string }, origin: ManifestOrigin): Manifest {
  const { inputs, plan, artifact, result } = state
  return {
    schema: 1,
    result: end.result,
    productKey: inputs?.productKey,
    moduleName,
    destVersion: plan?.destVersion,
    firmwareName: plan?.firmwareName,
    firmwareId: result?.firmwareId,
    utcCreate: result?.utcCreate,
    firmwareUrl: result?.firmwareUrl,
    file: artifact?.displayPath,
    size: result?.size ?? artifact?.size,
    signMethod: plan?.signMethod,
    sign: result?.sign,
    files: result?.files?.map(({ name, path, size, sign, url }) => ({ name, path, size, sign, url: unsignedUrl(url) })),
    tag: plan?.version.tag,
    isPrerelease: plan?.version.isPrerelease,
    needToVerify: plan?.needToVerify,
    message: end.message ?? result?.message,
    ...origin
  }
}
