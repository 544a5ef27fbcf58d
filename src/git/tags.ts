import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * The tags that point at a commit, from the local clone (actions/checkout needs `fetch-tags: true`
 * or `fetch-depth: 0` for them to be there). Empty when git or the tags are missing.
 */
export async function tagsPointingAt(sha: string, cwd: string): Promise<string[]> {
  try {
    const { stdout } = await run('git', ['tag', '--points-at', sha], { cwd, timeout: 15_000 })
    return stdout.split('\n').map((t) => t.trim()).filter((t) => t !== '')
  } catch {
    return []
  }
}
