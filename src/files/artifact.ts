import * as glob from '@actions/glob'
import { stat } from 'node:fs/promises'
import { FILE_SUFFIXES, FileSuffix, MAX_FIRMWARE_BYTES, fileSuffixOf } from '../platform/rules.js'
import { INPUT } from '../contract/names.js'
import { ActionError } from '../contract/action-error.js'
import { formatBytes } from '../report/format.js'
import { anchorPattern, displayPath as shownPath } from './paths.js'

/** The one file to publish. */
export interface Artifact {
  /** Absolute path. */
  readonly path: string
  /** Path relative to the workspace, for messages and the summary. */
  readonly displayPath: string
  readonly size: number
  readonly suffix: FileSuffix
}

/**
 * Rejects patterns that @actions/glob would silently match nothing with: an unclosed `[`, and
 * brace sets, which it does not expand.
 */
function checkPattern(pattern: string): void {
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern
  let open = false
  for (const ch of body) {
    if (ch === '[') open = true
    else if (ch === ']') open = false
  }
  if (open) {
    throw new ActionError(`Input '${INPUT.files}' has a malformed pattern ${JSON.stringify(pattern)}: a '[' is never closed.`, {
      input: INPUT.files,
      hint: "Close the character class, or write '[[]' for a literal '['."
    })
  }
  if (/\{[^}]*,[^}]*\}/.test(body)) {
    throw new ActionError(`Input '${INPUT.files}' has a pattern ${JSON.stringify(pattern)} with a brace set, which @actions/glob does not expand.`, {
      input: INPUT.files,
      hint: 'Put each alternative on its own line instead.'
    })
  }
}

/** The regular files the `files` patterns (relative to the workspace) match; an error when there are none. */
export async function matchFiles(patterns: readonly string[], workspace: string): Promise<{ path: string; size: number }[]> {
  patterns.forEach(checkPattern)
  const globber = await glob.create(patterns.map((p) => anchorPattern(p, workspace)).join('\n'), {
    matchDirectories: true,
    implicitDescendants: false
  })
  const matches = (await globber.glob()).sort()
  if (matches.length === 0) {
    throw new ActionError(`Input '${INPUT.files}' matched no file (patterns: ${patterns.join(', ')}; workspace ${workspace}).`, {
      input: INPUT.files,
      hint: 'Build the firmware in an earlier step and check the path, e.g. `files: build/*.bin`.'
    })
  }
  const entries = await Promise.all(matches.map(async (p) => ({ path: p, info: await stat(p) })))
  const files = entries.filter((e) => e.info.isFile())
  const dirs = entries.filter((e) => e.info.isDirectory())
  if (files.length === 0 && dirs.length > 0) {
    throw new ActionError(
      `Input '${INPUT.files}' matched only directories (${shown(
        dirs.map((d) => d.path),
        workspace
      )}), not a firmware file.`,
      {
        input: INPUT.files,
        hint: 'Point the pattern at the file inside, e.g. `build/*.bin`.'
      }
    )
  }
  return files.map((f) => ({ path: f.path, size: f.info.size }))
}

const shown = (paths: string[], workspace: string): string => paths.map((p) => shownPath(p, workspace)).join(', ')

/** Checks one file against what GenerateOTAUploadURL accepts: a known suffix, not empty, at most 1,000 MB. */
export function checkFirmwareFile(file: { path: string; size: number }, workspace: string): Artifact {
  const displayPath = shownPath(file.path, workspace)
  const suffix = fileSuffixOf(file.path)
  if (suffix === undefined) {
    throw new ActionError(
      `Input '${INPUT.files}' matched ${displayPath}, whose suffix the OTA upload does not accept (allowed: ${FILE_SUFFIXES.map((s) => '.' + s).join(', ')}).`,
      {
        input: INPUT.files,
        hint: 'Rename or package the firmware, e.g. as .bin or .zip.'
      }
    )
  }
  if (file.size === 0) {
    throw new ActionError(`Input '${INPUT.files}' matched ${displayPath}, which is empty (0 bytes).`, {
      input: INPUT.files,
      hint: 'The build step probably failed to write it.'
    })
  }
  if (file.size > MAX_FIRMWARE_BYTES) {
    throw new ActionError(
      `Input '${INPUT.files}' matched ${displayPath} of ${formatBytes(file.size)}; an OTA package file may be at most 1,000 MB (${MAX_FIRMWARE_BYTES} bytes).`,
      {
        input: INPUT.files,
        hint: 'Use a differential package (firmware-type: diff) or compress the image.'
      }
    )
  }
  return { path: file.path, displayPath, size: file.size, suffix }
}

/** Finds exactly one regular file by the `files` patterns and checks it (checkFirmwareFile). */
export async function findArtifact(patterns: readonly string[], workspace: string): Promise<Artifact> {
  const files = await matchFiles(patterns, workspace)
  const [file] = files
  if (file === undefined) throw new Error('unreachable: matchFiles returns at least one file')
  if (files.length > 1) {
    throw new ActionError(
      `Input '${INPUT.files}' matched ${files.length} files (${shown(
        files.map((f) => f.path),
        workspace
      )}); one OTA package takes exactly one file.`,
      {
        input: INPUT.files,
        hint: 'Make the pattern more specific, or add a line starting with ! to exclude the others.'
      }
    )
  }
  return checkFirmwareFile(file, workspace)
}

/**
 * Checks that the file found earlier is still there with the same size: a build step running in
 * parallel, or a cleanup, must not turn into a half-read upload.
 */
export async function recheckArtifact(artifact: Artifact): Promise<void> {
  let size: number
  try {
    const info = await stat(artifact.path)
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' })
    size = info.size
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    throw new ActionError(`${artifact.displayPath}, matched by input '${INPUT.files}', can no longer be read (${code}): it vanished after it was found.`, {
      input: INPUT.files,
      hint: 'Make sure no other step deletes or rewrites the firmware while this one runs.'
    })
  }
  if (size !== artifact.size) {
    throw new ActionError(
      `${artifact.displayPath}, matched by input '${INPUT.files}', changed size from ${artifact.size} to ${size} bytes after it was found.`,
      {
        input: INPUT.files,
        hint: 'Make sure no other step rewrites the firmware while this one runs.'
      }
    )
  }
}
