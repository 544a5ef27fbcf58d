import { OUTPUT } from '../contract/names.js'
import type { Artifact } from '../files/artifact.js'
import { fileName } from '../files/paths.js'
import type { Plan } from '../plan/plan.js'
import { unsignedUrl } from '../report/format.js'
import type { PublishOutcome, PublishResult } from './publish.js'
import { withJson } from '../report/report.js'

/** One entry of the `files` output. */
interface OutputFile {
  name: string
  size: number
  sign: string
  url: string
}

/** Every local file of the package: a package's own list, or the one file; never a signed URL. */
function filesOf(p: Partial<PublishResult>, artifact: Artifact | undefined): OutputFile[] | undefined {
  if (p.files) return p.files.map(({ name, size, sign, url }) => ({ name, size, sign, url: unsignedUrl(url) }))
  if (artifact === undefined || p.size === undefined) return undefined
  return [{ name: fileName(artifact.path), size: p.size, sign: p.sign ?? '', url: unsignedUrl(p.firmwareUrl) }]
}

/** The step outputs, as strings, in one object (also the value of the `json` output, where `files` is the list itself). */
export function buildOutputs(plan: Plan, published: PublishResult | { result: PublishOutcome }, artifact?: Artifact): Record<string, string> {
  const p = published as Partial<PublishResult>
  const v = plan.version
  const files = filesOf(p, artifact)
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
    [OUTPUT.files]: files === undefined ? '' : JSON.stringify(files),
    [OUTPUT.result]: published.result,
    [OUTPUT.tag]: v.tag ?? '',
    [OUTPUT.tagModule]: v.tagModule ?? '',
    [OUTPUT.versionMajor]: v.major ?? '',
    [OUTPUT.versionMinor]: v.minor ?? '',
    [OUTPUT.versionPatch]: v.patch ?? '',
    [OUTPUT.versionPrerelease]: v.prerelease ?? '',
    [OUTPUT.isPrerelease]: String(v.isPrerelease)
  }
  return withJson(values, files === undefined ? {} : { [OUTPUT.files]: files })
}
