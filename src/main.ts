import * as core from '@actions/core'
import * as github from '@actions/github'
import { findArtifact, recheckArtifact } from './artifact.js'
import { CLIENT_QPS, CREDENTIAL_ENV, INPUT } from './constants.js'
import { digestFile } from './digest.js'
import { ActionError } from './errors.js'
import { tagsPointingAt } from './git-tags.js'
import { sendRequest } from './http-transport.js'
import { parseInputs } from './inputs.js'
import { createIotClient, createRpcCaller } from './iot-client.js'
import { postObject } from './oss-post-object.js'
import { buildOutputs } from './outputs.js'
import { createPacer } from './pacer.js'
import { buildPlan, RunContext } from './plan.js'
import { createProgressReporter, formatBytes } from './progress.js'
import { publishFirmware } from './publish.js'
import { renderFailureSummary, renderSummary } from './summary.js'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Masks every credential before anything can print it, from inputs and environment alike. */
function maskCredentials(): void {
  const names = [INPUT.accessKeyId, INPUT.accessKeySecret, INPUT.securityToken]
  const values = names.map((n) => core.getInput(n))
  for (const envNames of Object.values(CREDENTIAL_ENV)) for (const e of envNames) values.push(process.env[e] ?? '')
  for (const value of values) if (value.trim() !== '') core.setSecret(value.trim())
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

/** The action: read inputs, decide, publish, report. The only place that talks to the runner. */
export async function run(): Promise<void> {
  const startedAt = Date.now()
  try {
    maskCredentials()
    const inputs = parseInputs((name) => core.getInput(name), process.env)
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()

    const context = runContext()
    const plan = await core.group('Resolve version', async () => {
      const ctx: RunContext =
        inputs.tagFromSha && context.sha ? { ...context, tagsAtSha: await tagsPointingAt(context.sha, workspace) } : context
      const p = buildPlan(inputs, ctx)
      core.info(`DestVersion ${p.destVersion} (from ${p.version.source}${p.version.tag ? ` ${p.version.tag}` : ''}), module ${p.moduleName || 'default'}, FirmwareName ${p.firmwareName}`)
      for (const note of p.notes) core.warning(note, { title: 'OTA publish' })
      return p
    })

    if (plan.skipReason !== undefined) {
      core.notice(plan.skipReason, { title: 'OTA publish skipped' })
      const outputs = buildOutputs(plan, { result: 'skipped' })
      for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
      await core.summary.addRaw(`### OTA publish skipped\n\n${plan.skipReason}\n`).write()
      return
    }

    const artifact = await core.group('Find the firmware file', async () => {
      const a = await findArtifact(inputs.files, workspace)
      core.info(`${a.displayPath}: ${formatBytes(a.size)} (${a.size} bytes), uploaded as .${a.suffix}`)
      return a
    })

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
            send: sendRequest,
            pace: createPacer(CLIENT_QPS, now, sleep),
            now: () => new Date(),
            onCall: (action, detail) => core.debug(`${action}: ${detail}`)
          })
        )
      : undefined

    const result = await core.group(inputs.dryRun ? 'Dry run' : 'Upload and register', () =>
      publishFirmware(plan, artifact, {
        iot,
        upload: (ticket, file, methods) =>
          postObject(ticket, file, {
            signMethods: methods,
            idleTimeoutMs: inputs.requestTimeoutMs,
            signal: deadline.signal,
            send: sendRequest,
            onProgress: createProgressReporter(file.size, now, (line) => core.info(line))
          }),
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
        log: { info: core.info, warning: (m) => core.warning(m), debug: core.debug },
        dryRun: inputs.dryRun,
        onVersionConflict: inputs.onVersionConflict
      })
    ).finally(() => clearTimeout(timer))

    if (result.result === 'dry-run' && result.createParams) {
      core.info(`Would call CreateOTAFirmware with ${JSON.stringify(result.createParams, null, 2)}`)
    }
    const outputs = buildOutputs(plan, result)
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
    await core.summary.addRaw(renderSummary(plan, artifact, result)).write()
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
    try {
      await core.summary.addRaw(renderFailureSummary(message, details?.hint)).write()
    } catch {
      // No summary file outside a runner: the error above already says it all.
    }
  }
}
