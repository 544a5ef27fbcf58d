import { OUTPUT } from '../contract/names.js'
import type { Plan } from '../plan/plan.js'
import type { PublishOutcome, PublishResult } from './publish.js'
import { withJson } from '../report/report.js'

/** The step outputs, as strings, in one object (also the value of the `json` output). */
export function buildOutputs(plan: Plan, published: PublishResult | { result: PublishOutcome }): Record<string, string> {
  const p = published as Partial<PublishResult>
  const v = plan.version
  const values: Record<string, string> = {
    [OUTPUT.firmwareId]: p.firmwareId ?? '',
    [OUTPUT.utcCreate]: p.utcCreate ?? '',
    [OUTPUT.destVersion]: plan.destVersion,
    [OUTPUT.firmwareName]: plan.firmwareName,
    [OUTPUT.moduleName]: plan.moduleName,
    [OUTPUT.firmwareUrl]: p.firmwareUrl ?? '',
    [OUTPUT.firmwareSize]: p.size === undefined ? '' : String(p.size),
    [OUTPUT.firmwareSign]: p.sign ?? '',
    [OUTPUT.signMethod]: plan.signMethod,
    [OUTPUT.result]: published.result,
    [OUTPUT.tag]: v.tag ?? '',
    [OUTPUT.tagModule]: v.tagModule ?? '',
    [OUTPUT.versionMajor]: v.major ?? '',
    [OUTPUT.versionMinor]: v.minor ?? '',
    [OUTPUT.versionPatch]: v.patch ?? '',
    [OUTPUT.versionPrerelease]: v.prerelease ?? '',
    [OUTPUT.isPrerelease]: String(v.isPrerelease)
  }
  return withJson(values)
}
