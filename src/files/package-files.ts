/**
 * The files of a package of several files (`multi-files`): 1 to 20, each named in the package by its
 * file name, 1 to 32 characters, unique (CreateOTAFirmware's MultiFiles).
 */
import path from 'node:path'
import { INPUT } from '../contract/names.js'
import { ActionError } from '../contract/action-error.js'
import { charCount, MULTI_FILE_NAME_MAX, MULTI_FILE_NAME_PATTERN, MULTI_FILES_MAX } from '../platform/rules.js'
import { type Artifact, checkFirmwareFile, matchFiles } from './artifact.js'
import { displayPath, fileName, type PathApi } from './paths.js'

/** One file of the package: the artifact, and its name in the package. */
export interface PackageFile extends Artifact {
  readonly name: string
}

/** How many matched files an error lists before `and N more`. */
const LISTED = 5

function listed(paths: readonly string[]): string {
  const shown = paths.slice(0, LISTED).join(', ')
  return paths.length > LISTED ? `${shown} and ${paths.length - LISTED} more` : shown
}

const refused = (message: string, hint: string): ActionError => new ActionError(message, { input: INPUT.files, hint })

/** Why these files (paths as shown) cannot make one package, or undefined when they can. Pure. */
export function packageFilesProblem(shownPaths: readonly string[], p: Pick<PathApi, 'basename'> = path): ActionError | undefined {
  if (shownPaths.length > MULTI_FILES_MAX) {
    return refused(
      `Input '${INPUT.files}' matched ${shownPaths.length} files (${listed(shownPaths)}); a package holds at most ${MULTI_FILES_MAX} files.`,
      'Make the patterns more specific, or leave files out with lines starting with !.'
    )
  }
  const seen = new Map<string, string>()
  for (const shown of shownPaths) {
    const name = fileName(shown, p)
    if (charCount(name) > MULTI_FILE_NAME_MAX) {
      return refused(
        `Input '${INPUT.files}' matched ${shown}, whose name ${JSON.stringify(name)} has ${charCount(name)} characters: a file's name in the package is its file name, at most ${MULTI_FILE_NAME_MAX} characters.`,
        'Rename the file in the build, or leave it out with a line starting with !.'
      )
    }
    if (!MULTI_FILE_NAME_PATTERN.test(name)) {
      return refused(
        `Input '${INPUT.files}' matched ${shown}, whose name ${JSON.stringify(name)} has characters other than letters, digits, ".", "-" and "_": a file's name in the package is its file name, and the platform documents no other characters for it.`,
        'Rename the file in the build (for example spaces to "-"), or leave it out with a line starting with !.'
      )
    }
    const earlier = seen.get(name.toLowerCase())
    if (earlier !== undefined) {
      return refused(
        `Input '${INPUT.files}' matched ${earlier} and ${shown}, both named ${JSON.stringify(name)} (letter case aside): a file's name in the package is its file name, and names are unique within a package.`,
        'Rename one of them in the build, or leave one out with a line starting with !.'
      )
    }
    seen.set(name.toLowerCase(), shown)
  }
  return undefined
}

/** Finds the package's files by the `files` patterns and checks them, each as a firmware file and together as one package. */
export async function findPackageFiles(patterns: readonly string[], workspace: string): Promise<PackageFile[]> {
  const files = await matchFiles(patterns, workspace)
  const problem = packageFilesProblem(files.map((f) => displayPath(f.path, workspace)))
  if (problem) throw problem
  return files.map((f) => ({ ...checkFirmwareFile(f, workspace), name: fileName(f.path) }))
}
