import * as core from '@actions/core'
import * as github from '@actions/github'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { Artifact, findArtifact, recheckArtifact } from './artifact.js'
import { CLIENT_QPS, CREDENTIAL_ENV, INPUT, OUTPUT } from './constants.js'
import { digestFile } from './digest.js'
import { ActionError } from './errors.js'
import { tagsPointingAt } from './git-tags.js'
import { sendRequest } from './http-transport.js'
import { Inputs, parseInputs } from './inputs.js'
import { createIotClient, createRpcCaller } from './iot-client.js'
import { Manifest, manifestPath, renderManifest } from './manifest.js'
import { maskProxyCredentials, withProxy } from './net/proxy.js'
import { postObject } from './oss-post-object.js'
import { buildOutputs } from './outputs.js'
import { createPacer } from './pacer.js'
import { buildPlan, DEFAULT_MODULE, Plan, RunContext } from './plan.js'
import { createProgressReporter, formatBytes } from './progress.js'
import { PublishResult, publishFirmware } from './publish.js'
import { renderFailureSummary, renderSkipSummary, renderSummary } from './summary.js'
import { createUploader } from './upload-mode.js'
import type { PlatformUploadDeps } from './platform-upload.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Masks every credential before anything can print it, from inputs and environment alike. */
function maskCredentials(): void {
  const names = [INPUT.accessKeyId, INPUT.accessKeySecret, INPUT.securityToken]
  const values = names.map((n) => core.getInput(n))
  for (const envNames of Object.values(CREDENTIAL_ENV)) for (const e of envNames) values.push(process.env[e] ?? '')
  for (const value of values) if (value.trim() !== '') core.setSecret(value.trim())
  maskProxyCredentials(core.setSecret)
}

function runContext(): RunContext {
  const { context } = github
  const release = context.payload.release as { tag_name?: unknown } | undefined
  return {
    eventName: context.eventName ?? '',
    ref: context.ref ?? '',
    sha: context.sha ?? '',
    releaseTagName: typeof release?.tag_name === 'string' ? release.tag_name : undefined
  }
}

/** What this run knew when it ended, for the manifest and the failure summary. */
interface RunState {
  inputs?: Inputs
  plan?: Plan
  artifact?: Artifact
  result?: PublishResult
}

async function publish(inputs: Inputs, plan: Plan, artifact: Artifact | undefined, startedAt: number): Promise<PublishResult> {
  const deadline = new AbortController()
  const timer = setTimeout(() => deadline.abort(), inputs.timeoutMs)
  timer.unref()
  const now = (): number => Date.now()
  const iot = inputs.credentials
    ? createIotClient(
        createRpcCaller({
          endpoint: inputs.endpoint,
          credentials: inputs.credentials,
          iotInstanceId: inputs.iotInstanceId,
          requestTimeoutMs: inputs.requestTimeoutMs,
          signal: deadline.signal,
          send: withProxy(sendRequest),
          // At most CLIENT_QPS calls in any one second, unspaced: a publish's few calls never wait.
          pace: createPacer(CLIENT_QPS, now, sleep, CLIENT_QPS),
          now: () => new Date(),
          onCall: (action, detail) => core.debug(`${action}: ${detail}`)
        })
      )
    : undefined
  try {
    const log = { info: core.info, warning: (m: string) => core.warning(m), debug: core.debug, group: core.group }
    const post: PlatformUploadDeps['post'] = (ticket, file, methods) =>
      postObject(ticket, file, {
        signMethods: methods,
        idleTimeoutMs: inputs.requestTimeoutMs,
        signal: deadline.signal,
        send: withProxy(sendRequest),
        onProgress: createProgressReporter(file.size, now, (line) => core.info(line))
      })
    const uploader = createUploader(inputs, plan, artifact, {
      sha: github.context.sha ?? '',
      signal: deadline.signal,
      now,
      log,
      digestFile,
      platform: iot && { iot, post }
    })
    return await publishFirmware(plan, artifact, {
      iot,
      uploader,
      digestFile,
      recheck: recheckArtifact,
      retry: {
        maxAttempts: inputs.maxAttempts,
        baseDelayMs: 1000,
        maxDelayMs: 20_000,
        deadline: startedAt + inputs.timeoutMs,
        now,
        sleep,
        random: Math.random
      },
      log,
      dryRun: inputs.dryRun,
      onVersionConflict: inputs.onVersionConflict
    })
  } finally {
    clearTimeout(timer)
  }
}

/** The module input as written, for reports about runs whose inputs did not validate. */
function rawModuleName(): string {
  return core.getInput(INPUT.moduleName).trim()
}

function setOutputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) core.setOutput(name, value)
}

/** Writes the manifest; a run that cannot write it still reports its own result. */
async function writeManifest(state: RunState, outcome: { result: string; message?: string }): Promise<void> {
  const { inputs, plan, artifact, result } = state
  const moduleName = plan?.moduleName || inputs?.moduleName || rawModuleName() || DEFAULT_MODULE
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

/**
 * Adds to the job summary. A summary that cannot be written (no runner, a full disk) is only a
 * warning: it must not turn a package that was published into a failed step, nor hide the real error.
 */
async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (err) {
    core.warning(`Could not write the job summary: ${err instanceof Error ? err.message : String(err)}`, { title: 'OTA summary' })
  }
}

/** The action: read inputs, decide, publish, report. The only place that talks to the runner. */
export async function run(): Promise<void> {
  const startedAt = Date.now()
  const state: RunState = {}
  try {
    maskCredentials()
    const inputs = parseInputs((name) => core.getInput(name), process.env)
    state.inputs = inputs
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()

    const context = runContext()
    const plan = await core.group('Resolve version', async () => {
      const ctx: RunContext =
        inputs.tagFromSha && context.sha ? { ...context, tagsAtSha: await tagsPointingAt(context.sha, workspace) } : context
      const p = buildPlan(inputs, ctx)
      core.info(`DestVersion ${p.destVersion} (from ${p.version.source}${p.version.tag ? ` ${p.version.tag}` : ''}), module ${p.moduleName || DEFAULT_MODULE}, FirmwareName ${p.firmwareName}`)
      for (const note of p.notes) core.warning(note, { title: 'OTA publish' })
      return p
    })
    state.plan = plan

    if (plan.skipReason !== undefined) {
      core.notice(plan.skipReason, { title: 'OTA publish skipped' })
      setOutputs(buildOutputs(plan, { result: 'skipped' }))
      await writeSummary(renderSkipSummary(plan, plan.skipReason))
      await writeManifest(state, { result: 'skipped', message: plan.skipReason })
      return
    }

    // With `upload-mode: url` the file is optional: it only supplies the size and digest.
    const artifact = inputs.files.length === 0 ? undefined : await core.group('Find the firmware file', async () => {
      const a = await findArtifact(inputs.files, workspace)
      core.info(`${a.displayPath}: ${formatBytes(a.size)} (${a.size} bytes), uploaded as .${a.suffix}`)
      return a
    })
    state.artifact = artifact

    const result = await publish(inputs, plan, artifact, startedAt)
    state.result = result

    if (result.result === 'dry-run' && result.createParams) {
      if (result.probe) core.info(result.probe)
      core.info(`Would call CreateOTAFirmware with ${JSON.stringify(result.createParams, null, 2)}`)
    }
    setOutputs(buildOutputs(plan, result))
    await writeSummary(renderSummary(plan, artifact, result))
    await writeManifest(state, { result: result.result })
    if (result.firmwareId) {
      core.notice(`FirmwareId ${result.firmwareId} (${plan.firmwareName}, DestVersion ${plan.destVersion}): ${result.result}`, {
        title: 'OTA package'
      })
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const details = error instanceof ActionError ? error : undefined
    // No ':' in titles: the runner's command syntax would escape it.
    const title = details?.input
      ? `OTA publish failed (input ${details.input})`
      : details?.code
        ? `OTA publish failed (${details.code})`
        : 'OTA publish failed'
    // core.setFailed would add a second, untitled annotation: mark the failure directly instead.
    core.error(details?.hint ? `${message}\n${details.hint}` : message, { title })
    process.exitCode = 1
    core.setOutput(OUTPUT.result, 'failed')
    const context = { module: state.plan?.moduleName || state.inputs?.moduleName || rawModuleName() || undefined, version: state.plan?.destVersion, input: details?.input, code: details?.code }
    await writeSummary(renderFailureSummary(message, details?.hint, context))
    await writeManifest(state, { result: 'failed', message })
  }
}
