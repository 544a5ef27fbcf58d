/** The publish action's steps around the shared lifecycle: plan, find the file, publish, and the manifest. */
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { describeError } from '../contract/action-error.js'
import { INPUT, OUTPUT } from '../contract/names.js'
import { parseInputs, type Inputs } from '../config/inputs.js'
import { type Artifact, findArtifact, recheckArtifact } from '../files/artifact.js'
import { digestFile, READ_CHUNK_BYTES } from '../files/digest.js'
import { PARALLEL_UPLOADS } from '../upload/package-upload.js'
import { formatBytes } from '../report/format.js'
import { tagsPointingAt } from '../git/tags.js'
import { buildPlan, type Plan, type RunContext } from '../plan/plan.js'
import { DEFAULT_MODULE } from '../platform/rules.js'
import { publishFirmware, type PublishDeps, type PublishResult } from '../publish/publish.js'
import { publishPackage } from '../publish/publish-package.js'
import { findPackageFiles, type PackageFile } from '../files/package-files.js'
import type { FirmwareUploader } from '../upload/uploader.js'
import type { Logger } from '../contract/logger.js'
import { buildManifest, publishReport, type PublishRun, type PublishState } from '../publish/report.js'
import { manifestPath, renderManifest } from '../report/manifest.js'
import { createProgressReporter } from '../report/progress.js'
import { renderFailureSummary } from '../report/failure.js'
import { postObject } from '../upload/platform/post-object.js'
import type { PlatformUploadDeps } from '../upload/platform/uploader.js'
import { createUploader } from '../upload/select.js'
import type { ActionDefinition } from './lifecycle.js'
import { eventContext, log, readInput, setOutputs, warn } from './runner.js'
import { createPublishIot, now, runDeadline, send } from './wiring.js'

const WHAT = 'OTA publish'
const workspace = (): string => process.env.GITHUB_WORKSPACE || process.cwd()

/** The tags at the commit, looked up only with `tag-from-sha`; what kept git from telling goes to the debug log. */
async function runContext(inputs: Inputs): Promise<RunContext> {
  const context = eventContext()
  if (!inputs.tagFromSha || !context.sha) return context
  const { tags, problem } = await tagsPointingAt(context.sha, workspace())
  if (problem) log.debug(`${INPUT.tagFromSha}: ${problem.reason}`)
  return { ...context, tagsAtSha: tags, tagLookupProblem: problem }
}

async function resolvePlan(inputs: Inputs): Promise<Plan> {
  return log.group('Resolve version', async () => {
    const plan = buildPlan(inputs, await runContext(inputs))
    const { version } = plan
    log.info(
      `DestVersion ${plan.destVersion} (from ${version.source}${version.tag ? ` ${version.tag}` : ''}), module ${plan.moduleName}, FirmwareName ${plan.firmwareName}`
    )
    for (const note of plan.notes) warn(WHAT, note)
    return plan
  })
}

/** With `upload-mode: url` the file is optional: it only supplies the size and digest. */
async function findFirmware(inputs: Inputs): Promise<Artifact | undefined> {
  if (inputs.files.length === 0) return undefined
  return log.group('Find the firmware file', async () => {
    const a = await findArtifact(inputs.files, workspace())
    log.info(`${a.displayPath}: ${formatBytes(a.size)} (${a.size} bytes), uploaded as .${a.suffix}`)
    return a
  })
}

/** `multi-files`: every file the patterns match, 1 to 20, each named by its file name. */
async function findFiles(inputs: Inputs): Promise<PackageFile[]> {
  return log.group('Find the package files', async () => {
    const files = await findPackageFiles(inputs.files, workspace())
    for (const f of files) log.info(`${f.displayPath}: ${formatBytes(f.size)} (${f.size} bytes), named ${f.name} in the package`)
    return files
  })
}

/** What one run's publish is wired with: the client and retry, bounded by `timeout-minutes`, and how an uploader is made. */
interface RunWiring {
  readonly common: Omit<PublishDeps, 'uploader' | 'recheck'>
  /**
   * The uploader of one file. `name`: one of several uploading at once, whose log lines it marks,
   * and which share the read buffers of one upload, so that memory stays that of one.
   */
  uploaderFor(artifact: Artifact | undefined, name?: string): FirmwareUploader | undefined
}

/** Wires the client, the uploaders and the retry for one run, bounded by `timeout-minutes`. */
async function withWiring<T>(inputs: Inputs, plan: Plan, startedAt: number, work: (wiring: RunWiring) => Promise<T>): Promise<T> {
  const deadline = runDeadline(inputs.timeoutMs)
  const { signal } = deadline
  const { iot, retry } = createPublishIot(inputs, { signal, at: startedAt + inputs.timeoutMs }, log)
  const uploaderFor = (artifact: Artifact | undefined, name?: string): FirmwareUploader | undefined => {
    const say = name === undefined ? log : prefixed(log, name)
    const post: PlatformUploadDeps['post'] = (ticket, file, methods) =>
      postObject(ticket, file, {
        signMethods: methods,
        idleTimeoutMs: inputs.requestTimeoutMs,
        signal,
        send,
        onProgress: createProgressReporter(file.size, now, (line) => say.info(line)),
        chunkBytes: name === undefined ? undefined : READ_CHUNK_BYTES / PARALLEL_UPLOADS
      })
    return createUploader(inputs, plan, artifact, { sha: eventContext().sha, signal, retry, now, log: say, digestFile, platform: iot && { iot, post } })
  }
  const common = { iot, digestFile, retry, log, dryRun: inputs.dryRun, onVersionConflict: inputs.onVersionConflict, packageQuota: inputs.packageQuota }
  try {
    return await work({ common, uploaderFor })
  } finally {
    deadline.dispose()
  }
}

/** Log lines of one file among several uploading at once, marked with its name. */
function prefixed(logger: Logger, prefix: string): Logger {
  return {
    ...logger,
    info: (m) => logger.info(`[${prefix}] ${m}`),
    warning: (m) => logger.warning(`[${prefix}] ${m}`),
    debug: (m) => logger.debug(`[${prefix}] ${m}`)
  }
}

/** One file: one package with FirmwareUrl. */
function publishOne(inputs: Inputs, plan: Plan, artifact: Artifact | undefined, startedAt: number): Promise<PublishResult> {
  return withWiring(inputs, plan, startedAt, ({ common, uploaderFor }) =>
    publishFirmware(plan, artifact, { ...common, uploader: uploaderFor(artifact), recheck: recheckArtifact })
  )
}

/** Several files: one package with MultiFiles; every uploader is made (and its key checked) before any request. */
function publishSeveral(inputs: Inputs, plan: Plan, files: readonly PackageFile[], startedAt: number): Promise<PublishResult> {
  return withWiring(inputs, plan, startedAt, ({ common, uploaderFor }) => {
    const made = files.map((f) => uploaderFor(f, f.name))
    // The platform upload has no uploader without credentials (a dry run).
    const uploaders = made.every((u) => u !== undefined) ? made : undefined
    return publishPackage(plan, files, { ...common, uploaders, recheck: recheckArtifact })
  })
}

/** The module as best known: the plan's, the parsed input's, or the input as written. */
function moduleOf(state: PublishState): string | undefined {
  return state.plan?.moduleName ?? state.inputs?.moduleName ?? (readInput(INPUT.moduleName).trim() || undefined)
}

/** Writes the manifest; a run that cannot write it still reports its own result. */
async function writeManifest(state: PublishState, end: { result: string; message?: string }): Promise<void> {
  const moduleName = moduleOf(state) ?? DEFAULT_MODULE
  const path = manifestPath(state.inputs?.manifestPath, process.env.RUNNER_TEMP || tmpdir(), moduleName)
  const { GITHUB_REPOSITORY: repository, GITHUB_SHA: sha, GITHUB_RUN_ID: runId } = process.env
  try {
    await writeFile(path, renderManifest(buildManifest(state, moduleName, end, { repository, sha, runId })))
    setOutputs({ [OUTPUT.manifestPath]: path })
  } catch (err) {
    warn('OTA manifest', `Could not write the manifest to ${path}: ${describeError(err)}`)
  }
}

export const publishAction: ActionDefinition<Inputs, PublishRun, PublishState & { startedAt: number }> = {
  what: WHAT,
  state: () => ({ startedAt: Date.now() }),
  parse(read, env, state) {
    const inputs = (state.inputs = parseInputs(read, env))
    for (const note of inputs.debugNotes) log.debug(note)
    return inputs
  },
  async run(inputs, state) {
    const plan = (state.plan = await resolvePlan(inputs))
    if (plan.skipReason !== undefined) return { kind: 'skipped', plan, reason: plan.skipReason }
    if (inputs.multiFiles) {
      const files = await findFiles(inputs)
      // One file is an ordinary package: a package of one file takes FirmwareUrl, not MultiFiles.
      if (files.length > 1) return { kind: 'published', plan, result: (state.result = await publishSeveral(inputs, plan, files, state.startedAt)) }
      state.artifact = files[0]
    } else {
      state.artifact = await findFirmware(inputs)
    }
    const { artifact } = state
    return { kind: 'published', plan, artifact, result: (state.result = await publishOne(inputs, plan, artifact, state.startedAt)) }
  },
  report: publishReport,
  reportFailure: ({ message, details }, state) => ({
    summary: renderFailureSummary(message, details?.hint, {
      module: moduleOf(state),
      version: state.plan?.destVersion,
      input: details?.input,
      code: details?.code
    })
  }),
  finish: writeManifest
}
