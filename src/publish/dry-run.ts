import { DEFAULT_MODULE } from '../platform/rules.js'
import type { Artifact } from '../files/artifact.js'
import type { Plan } from '../plan/plan.js'
import type { LocalFingerprint } from './existing.js'
import type { PublishDeps, PublishResult } from './publish.js'
import { baseParams } from './params.js'

/** What a dry run reports: the parameters CreateOTAFirmware would get, and what the read-only probe found. */
export function dryRunResult(
  plan: Plan,
  artifact: Artifact | undefined,
  local: LocalFingerprint | undefined,
  existingCount: number,
  deps: Pick<PublishDeps, 'uploader'>,
  probed: boolean
): PublishResult {
  const sign = local?.digests[plan.signMethod] ?? ''
  const size = artifact?.size ?? local?.size
  return {
    result: 'dry-run',
    probe: probed
      ? `ListOTAFirmware for product ${plan.productKey} succeeded: the credentials can read OTA packages (${existingCount} for DestVersion ${plan.destVersion}, module ${plan.moduleName || DEFAULT_MODULE}).`
      : undefined,
    size: size ?? 0,
    sign,
    signMethod: plan.signMethod,
    createParams: { ...baseParams(plan), FirmwareUrl: deps.uploader?.firmwareUrl, FirmwareSign: sign, FirmwareSize: size }
  }
}
