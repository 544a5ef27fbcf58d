/**
 * The runner seam: the only module that talks to @actions/core and @actions/github (a test holds
 * every other module to it). Everything an action says to the runner goes through here.
 */
import * as core from '@actions/core'
import * as github from '@actions/github'
import { ActionError, describeError } from '../contract/action-error.js'
import { CREDENTIAL_ENV, INPUT } from '../contract/names.js'
import { maskProxyCredentials } from '../net/proxy.js'
import type { Logger } from '../contract/logger.js'

export const readInput = (name: string): string => core.getInput(name)

export const log: Logger = { info: core.info, warning: (m: string) => core.warning(m), debug: core.debug, group: core.group }

/** Masks every credential before anything can print it, from inputs and environment alike. */
export function maskCredentials(): void {
  const names = [INPUT.accessKeyId, INPUT.accessKeySecret, INPUT.securityToken]
  const values = names.map((n) => core.getInput(n))
  for (const envNames of Object.values(CREDENTIAL_ENV)) for (const e of envNames) values.push(process.env[e] ?? '')
  for (const value of values) if (value.trim() !== '') core.setSecret(value.trim())
  maskProxyCredentials(core.setSecret)
}

/** What the workflow run says about where it comes from: the parts that decide a version. */
export interface EventContext {
  readonly eventName: string
  readonly ref: string
  readonly sha: string
  /** `release` events: the release's tag. */
  readonly releaseTagName?: string
}

export function eventContext(): EventContext {
  const { context } = github
  const release = context.payload.release as { tag_name?: unknown } | undefined
  return {
    eventName: context.eventName ?? '',
    ref: context.ref ?? '',
    sha: context.sha ?? '',
    releaseTagName: typeof release?.tag_name === 'string' ? release.tag_name : undefined
  }
}

export function setOutputs(values: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(values)) core.setOutput(name, value)
}

/**
 * Adds to the job summary. A summary that cannot be written (no runner, a full disk) is only a
 * warning: it must not turn a package that was published into a failed step, nor hide the real error.
 */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown).write()
  } catch (err) {
    warn('OTA summary', `Could not write the job summary: ${describeError(err)}`)
  }
}

/** A titled annotation for a success worth a line (a FirmwareId, a verified package, a job). */
export function notice(title: string, message: string): void {
  core.notice(message, { title })
}

/** A titled warning annotation. */
export function warn(title: string, message: string): void {
  core.warning(message, { title })
}

/** Marks the step failed with one titled annotation; returns the error's details for the reports. */
export function failStep(what: string, error: unknown): { message: string; details?: ActionError } {
  const message = describeError(error)
  const details = error instanceof ActionError ? error : undefined
  // No ':' in titles: the runner's command syntax would escape it.
  const title = details?.input ? `${what} failed (input ${details.input})` : details?.code ? `${what} failed (${details.code})` : `${what} failed`
  // core.setFailed would add a second, untitled annotation: mark the failure directly instead.
  core.error(details?.hint ? `${message}\n${details.hint}` : message, { title })
  process.exitCode = 1
  return { message, details }
}
