import { readFile } from 'node:fs/promises'
import path from 'node:path'

/** The text of a file given relative to the workspace (or absolute), as UTF-8. */
export function readInWorkspace(file: string, workspace: string): Promise<string> {
  return readFile(path.resolve(workspace, file), 'utf8')
}
