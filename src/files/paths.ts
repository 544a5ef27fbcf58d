import path from 'node:path'

/**
 * The path rules of the runner's OS in one place. Each function takes the path flavour so tests can
 * prove Windows behaviour (drive letters, `\`) on any machine; the action passes the native one.
 */
export type PathApi = Pick<typeof path, 'isAbsolute' | 'join' | 'relative' | 'basename'>

/** A `files` pattern made absolute against the workspace, keeping a leading `!` (exclusion). */
export function anchorPattern(pattern: string, workspace: string, p: PathApi = path): string {
  const negated = pattern.startsWith('!')
  const body = negated ? pattern.slice(1) : pattern
  const absolute = p.isAbsolute(body) ? body : p.join(workspace, body)
  return negated ? `!${absolute}` : absolute
}

/** How a matched file is shown: relative to the workspace, or absolute when it lies elsewhere (another drive). */
export function displayPath(file: string, workspace: string, p: PathApi = path): string {
  return p.relative(workspace, file) || file
}

/** The file's own name, for the upload form and the `{file}` placeholder of `oss-key`. */
export function fileName(file: string, p: Pick<PathApi, 'basename'> = path): string {
  return p.basename(file)
}
