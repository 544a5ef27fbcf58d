import * as core from '@actions/core'
import * as github from '@actions/github'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { type Artifact, findArtifact, recheckArtifact } from '../files/artifact.js'
import { INPUT, OUTPUT } from '../contract/names.js'
import { digestFile } from '../files/digest.js'
import { tagsPointingAt } from '../git/tags.js'
import type { Inputs } from '../config/inputs.js'
import { type Manifest, manifestPath, renderManifest } from '../report/manifest.js'
import { postObject } from '../upload/platform/post-object.js'
import { buildOutputs } from '../report/outputs.js'
import { buildPlan, type Plan, type RunContext } from '../plan/plan.js'
import { DEFAULT_MODULE } from '../platform/rules.js'
import { createProgressReporter } from '../report/progress.js'
import { formatBytes } from '../report/format.js'
import { type PublishResult, publishFirmware } from '../publish/publish.js'
import { renderFailureSummary, renderSkipSummary, renderSummary } from '../report/summary.js'
import { createUploader } from '../upload/select.js'
import type { PlatformUploadDeps } from '../upload/platform/uploader.js'
import { failStep, log, runContext, setOutputs, writeSummary } from './runner.js'
import { createIot, now, retryPolicy, runDeadline, send } from './wiring.js'

/** What this run knew when it ended, for the manifest and the failure summary. */
export interface RunState {
  inputs?: Inputs
  plan?: Plan
  artifact?: Artifact
  result?: PublishResult
}

const workspace = (): string => process.env.GITHUB_WORKSPACE || process.cwd()

/** The tags at the commit; what kept git from telling goes to the debug log (it matters only without another version source). */
async function commitTags(sha: string): Promise<Pick<RunContext, 'tagsAtSha' | 'tagLookupProblem'>> {
  const { tags, problem } = await tagsPointingAt(sha, workspace())
  if (problem) core.debug(`${INPUT.tagFromSha}: ${problem.reason}`)
  return { tagsAtSha: tags, tagLookupProblem: problem }
}

export async function resolvePlan(inputs: Inputs): Promise<Plan> {
  const context = runContext()
  return core.group('Resolve version', async () => {
    const ctx: RunContext = inputs.tagFromSha && context.sha ? { ...context, ...(await commitTags(context.sha)) } : context
    const p = buildPlan(inputs, ctx)
    core.info(
      `DestVersion ${p.destVersion} (from ${p.version.source}${p.version.tag ? ` ${p.version.tag}` : ''}), module ${p.moduleName || DEFAULT_MODULE}, FirmwareName ${p.firmwareName}`
    )
    for (const note of p.notes) core.warning(note, { title: 'OTA publish' })
    return p
  })
}

/** With `upload-mode: url` the file is optional: it only supplies the size and digest. */
export async function findFirmware(inputs: Inputs): Promise<Artifact | undefined> {
  if (inputs.files.length === 0) return undefined
  return core.group('Find the firmware file', async () => {
    const a = await findArtifact(inputs.files, workspace())
    core.info(`${a.displayPath}: ${formatBytes(a.size)} (${a.size} bytes), uploaded as .${a.suffix}`)
    return a
  })
}

/** Wires the client, the uploader and the retry policy for one run, bounded by `timeout-minutes`. */
export async function publish(inputs: Inputs, plan: Plan, artifact: Artifact | undefined, startedAt: number): Promise<PublishResult> {
  const deadline = runDeadline(inputs.timeoutMs)
  const { signal } = deadline
  const { credentials } = inputs
  const iot = credentials && createIot({ ...inputs, credentials }, signal, core.debug)
  try {
    const post: PlatformUploadDeps['post'] = (ticket, file, methods) =>
      postObject(ticket, file, {
        signMethods: methods,
        idleTimeoutMs: inputs.requestTimeoutMs,
        signal,
        send,
        onProgress: createProgressReporter(file.size, now, (line) => core.info(line))
      })
    const uploader = createUploader(inputs, plan, artifact, { sha: github.context.sha ?? '', signal, now, log, digestFile, platform: iot && { iot, post } })
    return await publishFirmware(plan, artifact, {
      iot,
      uploader,
      digestFile,
      recheck: recheckArtifact,
      retry: retryPolicy(inputs.maxAttempts, startedAt + inputs.timeoutMs),
      log,
      dryRun: inputs.dryRun,
      onVersionConflict: inputs.onVersionConflict
    })
  } finally {
    deadline.dispose()
  }
}

/** The module as best known: the plan's, the parsed input's, or the input as written. */
function moduleOf(state: RunState): string | undefined {
  return state.plan?.moduleName || state.inputs?.moduleName || core.getInput(INPUT.moduleName).trim() || undefined
}

/** Writes the manifest; a run that cannot write it still reports its own result. */
async function writeManifest(state: RunState, outcome: { result: string; message?: string }): Promise<void> {
  const { inputs, plan, artifact, result } = state
  const moduleName = moduleOf(state) || DEFAULT_MODULE
  const path = manifestPath(inputs?.manifestPath, process.env.RUNNER_TEMP || tmpdir(), moduleName)
  const manifest: Manifest = {
    schema: 1,
    result: outcome.result,
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
    tag: plan?.version.tag,
    isPrerelease: plan?.version.isPrerelease,
    needToVerify: plan?.needToVerify,
    message: outcome.message ?? result?.message,
    repository: process.env.GITHUB_REPOSITORY,
    sha: process.env.GITHUB_SHA,
    runId: process.env.GITHUB_RUN_ID
  }
  try {
    await writeFile(path, renderManifest(manifest))
    core.setOutput(OUTPUT.manifestPath, path)
  } catch (err) {
    core.warning(`Could not write the manifest to ${path}: ${err instanceof Error ? err.message : String(err)}`, { title: 'OTA manifest' })
  }
}

export async function reportSkipped(state: RunState & { plan: Plan }, reason: string): Promise<void> {
  core.notice(reason, { title: 'OTA publish skipped' })
  setOutputs(buildOutputs(state.plan, { result: 'skipped' }))
  await writeSummary(renderSkipSummary(state.plan, reason))
  await writeManifest(state, { result: 'skipped', message: reason })
}

export async function reportPublished(state: RunState & { plan: Plan; result: PublishResult }): Promise<void> {
  const { plan, artifact, result } = state
  if (result.result === 'dry-run' && result.createParams) {
    if (result.probe) core.info(result.probe)
    if (result.uploadPlan) core.info(result.uploadPlan)
    core.info(`Would call CreateOTAFirmware with ${JSON.stringify(result.createParams, null, 2)}`)
  }
  setOutputs(buildOutputs(plan, result))
  await writeSummary(renderSummary(plan, artifact, result))
  await writeManifest(state, { result: result.result })
  if (result.firmwareId) {
    core.notice(`FirmwareId ${result.firmwareId} (${plan.firmwareName}, DestVersion ${plan.destVersion}): ${result.result}`, { title: 'OTA package' })
  }
}

export async function reportFailed(state: RunState, error: unknown): Promise<void> {
  const { message, details } = failStep('OTA publish', error)
  core.setOutput(OUTPUT.result, 'failed')
  const context = { module: moduleOf(state), version: state.plan?.destVersion, input: details?.input, code: details?.code }
  await writeSummary(renderFailureSummary(message, details?.hint, context))
  await writeManifest(state, { result: 'failed', message })
}
