import type { Artifact } from '../files/artifact.js'
import type { Plan } from '../plan/plan.js'
import type { LocalFingerprint } from './existing.js'
import type { PublishDeps, PublishResult } from './publish.js'
import { baseParams } from './params.js'
import { describePlatformUpload } from '../upload/platform/uploader.js'

/** What the read-only lookups found; `moduleCheck` is set only when the platform could be asked. */
interface DryRunFindings {
  local: LocalFingerprint | undefined
  existingCount: number
  moduleCheck?: string
}

/** What a dry run reports: the parameters CreateOTAFirmware would get, and what the read-only probe found. */
export async function dryRunResult(
  plan: Plan,
  artifact: Artifact | undefined,
  found: DryRunFindings,
  deps: Pick<PublishDeps, 'uploader'>
): Promise<PublishResult> {
  const { local, existingCount, moduleCheck } = found
  const sign = local?.digests[plan.signMethod] ?? ''
  const size = artifact?.size ?? local?.size
  return {
    result: 'dry-run',
    probe:
      moduleCheck === undefined
        ? undefined
        : `ListOTAFirmware for product ${plan.productKey} succeeded: the credentials can read OTA packages (${existingCount} for DestVersion ${plan.destVersion}, module ${plan.moduleName}). ${moduleCheck}`,
    // Without credentials the platform mode has no uploader; the others always have one.
    uploadPlan: deps.uploader ? await deps.uploader.describe(artifact) : describePlatformUpload(artifact),
    size: size ?? 0,
    sign,
    signMethod: plan.signMethod,
    createParams: { ...baseParams(plan), FirmwareUrl: deps.uploader?.firmwareUrl, FirmwareSign: sign, FirmwareSize: size }
  }
}
