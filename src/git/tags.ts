import { describeError } from '../contract/action-error.js'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const run = promisify(execFile)

/** Why the tags at the commit could not be known, in git's words, and what to do about it. */
interface TagLookupProblem {
  readonly reason: string
  readonly hint: string
}

interface TagLookup {
  /** The tags that point at the commit; empty when none does or git failed. */
  readonly tags: string[]
  /** Set when git failed, or when the clone has no tags at all (so "none" says nothing). */
  readonly problem?: TagLookupProblem
}

const CHECKOUT_TAGS = 'actions/checkout with `fetch-tags: true` (or `fetch-depth: 0`)'

/** git's own message: stderr's `fatal:`/`error:` line when there is one. */
function gitReason(error: unknown): string {
  const stderr = String((error as { stderr?: unknown }).stderr ?? '')
  const line = stderr.split('\n').find((l) => /^(fatal|error):/.test(l.trim())) ?? stderr.split('\n').find((l) => l.trim() !== '')
  return (line ?? describeError(error)).trim()
}

function hintFor(reason: string, code: unknown): string {
  if (code === 'ENOENT') return 'git is not installed where this step runs: install it in the job (or its container), or set the version another way.'
  if (/dubious ownership/i.test(reason)) {
    return 'The workspace belongs to another user than the one running git (usual in container jobs): run `git config --global --add safe.directory "$GITHUB_WORKSPACE"` in a step before this one.'
  }
  if (/not a git repository/i.test(reason)) return `The workspace is not a git clone: run ${CHECKOUT_TAGS} before this step.`
  if (/malformed object name|no such commit|unknown revision/i.test(reason)) return `The commit is not in the clone: check it out with ${CHECKOUT_TAGS}.`
  return `Check that the workspace is a clone of the commit, made with ${CHECKOUT_TAGS}.`
}

const git = (args: string[], cwd: string) => run('git', args, { cwd, timeout: 15_000 })
const lines = (stdout: string): string[] =>
  stdout
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => t !== '')

/**
 * The tags that point at a commit, from the local clone. A failure of git is reported with git's
 * reason, not taken for "no tag"; so is a clone without any tag (actions/checkout fetches none by
 * default), where "no tag points at the commit" would mislead.
 */
export async function tagsPointingAt(sha: string, cwd: string): Promise<TagLookup> {
  try {
    const tags = lines((await git(['tag', '--points-at', sha], cwd)).stdout)
    if (tags.length > 0) return { tags }
    const anyTag = lines((await git(['tag', '--list'], cwd)).stdout).length > 0
    if (anyTag) return { tags }
    return { tags, problem: { reason: 'the clone has no tags at all', hint: `actions/checkout fetches no tags by default: check out with ${CHECKOUT_TAGS}.` } }
  } catch (error) {
    const reason = gitReason(error)
    return { tags: [], problem: { reason: `git tag --points-at failed: ${reason}`, hint: hintFor(reason, (error as { code?: unknown }).code) } }
  }
}
