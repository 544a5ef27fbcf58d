/**
 * `npm run bench`: how fast the bundled action publishes and how much memory it takes, against what
 * users would run instead, to the same emulator in the same run: `curl -F`, and the script a team
 * writes with the official SDK (scripts/bench-sdk-script.ts); and a package of several files (3 × 170
 * MiB, `multi-files`) against the single 512 MiB publish. Also how fast it starts (measured, not a
 * target). Exits non-zero when a target is missed.
 *
 *   node build/scripts/bench.js [--quick] [--sizes 16,512,1000] [--repeats 6] [--startup-repeats 31]
 *                               [--dir DIR] [--emulator-dir DIR] [--startup-breakdown] [--json FILE]
 *
 * Method and latest results: BENCHMARKS.md.
 */
import { spawn } from 'node:child_process'
import { randomFillSync } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from '../emulator/index.js'
import { httpClient } from '../__tests__/support/iot-client.js'
import { ACTION_ENTRY, parseOutputFile, ROOT, RUNNER_NODE } from '../__tests__/support/local-runner.js'
import { median, parseBenchArgs, USAGE, type BenchOptions } from './bench-args.js'
import { benchPlan, planMisses, planTable, type PlanCase } from './bench-plan.js'

const MiB = 1024 * 1024
/**
 * Targets: within 1.2 × curl at 512 MiB, never slower than the SDK script, peak RSS under 100 MB.
 * Start-up is measured but no longer a target: @actions/core dominates it, and tens of
 * milliseconds are invisible in a CI step.
 */
const TARGET = { ratio: 1.2, ratioSizeMiB: 512, rssBytes: 100 * 1000 * 1000, sdkRatio: 1 }
/** The SDK script, compiled beside this file (build/scripts/). */
const SDK_SCRIPT = fileURLToPath(new URL('./bench-sdk-script.js', import.meta.url))
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

interface Timed {
  wallMs: number
  /** CPU of the measured child (user + system), when /usr/bin/time is there. */
  cpuMs?: number
  /** Peak RSS of the measured child, bytes. */
  maxRss?: number
  /** CPU the bench process (hence the in-process emulator) spent meanwhile. */
  emulatorCpuMs: number
  /** Bytes the action process read, at least (see ExitInfo.readBytes). */
  readBytes?: number
  /** CPU the rest of the machine spent meanwhile (other processes, interrupts): a disturbed run shows here. */
  otherCpuMs?: number
}

/** Times `fn`, attributing the machine's CPU to the measured child, the bench (emulator) and the rest. */
async function timed(fn: () => Promise<ExitInfo>): Promise<{ r: ExitInfo; timed: Omit<Timed, 'wallMs'> }> {
  const busy0 = machineBusyMs()
  const cpu0 = process.cpuUsage()
  const r = await fn()
  const cpu = process.cpuUsage(cpu0)
  const busy1 = machineBusyMs()
  const emulatorCpuMs = (cpu.user + cpu.system) / 1000
  const cpuMs = r.stats ? (r.stats.userS + r.stats.sysS) * 1000 : undefined
  const otherCpuMs = busy0 !== undefined && busy1 !== undefined && cpuMs !== undefined ? Math.max(0, busy1 - busy0 - emulatorCpuMs - cpuMs) : undefined
  return { r, timed: { cpuMs, maxRss: r.stats ? r.stats.maxRssKiB * 1024 : undefined, emulatorCpuMs, readBytes: r.readBytes, otherCpuMs } }
}

interface SizeResult {
  mib: number
  bytes: number
  curl: Timed[]
  action: Timed[]
  sdk: Timed[]
  md5sum: number[]
  sha256sum: number[]
  cat: number[]
}

const log = (line: string): void => console.log(line)
const fmtMs = (ms: number | undefined): string =>
  ms === undefined || Number.isNaN(ms) ? '–' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`
const fmtMB = (bytes: number | undefined): string => (bytes === undefined ? '–' : `${(bytes / 1e6).toFixed(1)} MB`)

/** Real (random, not sparse) bytes, flushed to disk now so that writeback does not disturb the runs. */
function makeFile(path: string, bytes: number): void {
  const block = Buffer.allocUnsafe(4 * MiB)
  const fd = openSync(path, 'w')
  try {
    for (let left = bytes; left > 0;) {
      const n = Math.min(left, block.length)
      randomFillSync(block, 0, n)
      writeSync(fd, block, 0, n)
      left -= n
    }
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

interface ExitInfo {
  code: number | null
  stdout: string
  stderr: string
  wallMs: number
  /** From /usr/bin/time: user s, system s, max RSS KiB. */
  stats?: { userS: number; sysS: number; maxRssKiB: number }
  /** Bytes the measured process read (rchar of /proc/PID/io, polled: a lower bound, see BENCHMARKS.md). */
  readBytes?: number
}

/** CPU time the whole machine spent busy so far, ms (all CPUs; /proc/stat counts in 10 ms ticks). */
function machineBusyMs(): number | undefined {
  try {
    const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields
    return (user + nice + system + irq + softirq + steal) * 10
  } catch {
    return undefined
  }
}

/** The process /usr/bin/time started (its only child). */
function childOf(pid: number): number | undefined {
  try {
    const first = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]
    return first ? Number(first) : undefined
  } catch {
    return undefined
  }
}

function readChars(pid: number): number | undefined {
  try {
    const m = /^rchar: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))
    return m ? Number(m[1]) : undefined
  } catch {
    return undefined
  }
}

/** Runs a command (through /usr/bin/time when `measure`), timing it from spawn to exit. */
async function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; measure?: boolean } = {}): Promise<ExitInfo> {
  const statFile = options.measure && TIME ? join(tmpdir(), `bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined
  const [cmd, argv] = statFile ? [TIME as string, ['-f', '%U %S %M', '-o', statFile, command, ...args]] : [command, args]
  let stdout = ''
  let stderr = ''
  const start = performance.now()
  const child = spawn(cmd, argv, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  // Every 10 ms: cheap (two small /proc reads), and a second pass over a large file could not hide in 10 ms.
  let readBytes: number | undefined
  let measured: number | undefined
  const poll = options.measure
    ? setInterval(() => {
        measured ??= statFile && child.pid ? childOf(child.pid) : child.pid
        const chars = measured === undefined ? undefined : readChars(measured)
        if (chars !== undefined) readBytes = Math.max(readBytes ?? 0, chars)
      }, 10)
    : undefined
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (c) => resolve(c))
  }).finally(() => clearInterval(poll))
  const wallMs = performance.now() - start
  let stats: ExitInfo['stats']
  if (statFile) {
    const text = await readFile(statFile, 'utf8').catch(() => '')
    await rm(statFile, { force: true })
    // The last line: /usr/bin/time puts "Command exited with non-zero status" before it.
    const m = /([\d.]+) ([\d.]+) (\d+)\s*$/.exec(text)
    if (m) stats = { userS: Number(m[1]), sysS: Number(m[2]), maxRssKiB: Number(m[3]) }
  }
  return { code, stdout, stderr, wallMs, stats, readBytes }
}

/** This process's environment without anything the runner, credentials or node options would set. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(INPUT_|GITHUB_|RUNNER_|ALIBABA_CLOUD_|ALICLOUD_)/.test(k) || k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  return env
}

/** The environment the GitHub runner gives an action step (see __tests__/support/local-runner.ts). */
async function actionEnv(workspace: string, inputs: Record<string, string>): Promise<NodeJS.ProcessEnv> {
  const dir = await mkdtemp(join(tmpdir(), 'ota-bench-run-'))
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary'), event: join(dir, 'event.json') }
  await writeFile(files.output, '')
  await writeFile(files.summary, '')
  await writeFile(files.event, '{}')
  const env = cleanEnv()
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_REPOSITORY: 'acme/firmware',
    RUNNER_TEMP: dir
  })
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value
  return env
}

let runCounter = 0

/** One publish by dist/publish/index.js, under a version of its own so that nothing is reused. */
async function runActionOnce(emulator: Emulator, workspace: string, fileName: string, expectedMd5: string, bytes: number): Promise<Timed> {
  runCounter++
  const env = await actionEnv(workspace, {
    'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
    'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
    endpoint: emulator.url,
    'product-key': 'a1benchProd',
    'dest-version': `1.0.${runCounter}`,
    files: fileName
  })
  const { r, timed: t } = await timed(() => run(RUNNER_NODE, [ACTION_ENTRY], { env, cwd: workspace, measure: true }))
  const outputs = parseOutputFile(await readFile(env.GITHUB_OUTPUT as string, 'utf8'))
  await rm(env.RUNNER_TEMP as string, { recursive: true, force: true })
  if (r.code !== 0 || outputs.result !== 'created' || outputs['firmware-size'] !== String(bytes) || outputs['firmware-sign'] !== expectedMd5) {
    throw new Error(
      `the action failed (exit ${r.code}, result ${outputs.result}, size ${outputs['firmware-size']}, sign ${outputs['firmware-sign']}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`
    )
  }
  return { wallMs: r.wallMs, ...t }
}

/** The baseline: the same form, fresh from a signed GenerateOTAUploadURL, posted by curl. */
async function runCurlOnce(emulator: Emulator, path: string, suffix: string): Promise<Timed> {
  const iot = httpClient(emulator.url, { accessKeyId: DEFAULT_ACCOUNT.accessKeyId, accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret })
  const t = await iot.generateUploadUrl(suffix as Parameters<typeof iot.generateUploadUrl>[0])
  const args = ['-sS', '-o', '/dev/null', '-w', '%{http_code}']
  for (const [name, value] of [
    ['key', t.Key],
    ['policy', t.Policy],
    ['OSSAccessKeyId', t.OSSAccessKeyId],
    ['Signature', t.Signature],
    ['success_action_status', '200'],
    ['file', `@${path}`]
  ]) {
    args.push('-F', `${name}=${value}`)
  }
  args.push(t.Host)
  const { r, timed: measured } = await timed(() => run('curl', args, { measure: true }))
  if (r.code !== 0 || r.stdout.trim() !== '200') throw new Error(`curl failed (exit ${r.code}, HTTP ${r.stdout.trim()}): ${r.stderr}`)
  const stored = emulator.state.objects().find((o) => o.key === t.Key)
  if (!stored) throw new Error('curl got 200 but the emulator stored nothing')
  return { wallMs: r.wallMs, ...measured }
}

/** The SDK script, with the same Node as the action, under a module and version of its own. */
async function runSdkOnce(emulator: Emulator, workspace: string, fileName: string, expectedMd5: string, bytes: number): Promise<Timed> {
  runCounter++
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    ALIBABA_CLOUD_ACCESS_KEY_ID: DEFAULT_ACCOUNT.accessKeyId,
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: DEFAULT_ACCOUNT.accessKeySecret,
    OTA_ENDPOINT: new URL(emulator.url).host,
    OTA_PROTOCOL: 'http',
    OTA_PRODUCT_KEY: 'a1benchProd',
    OTA_MODULE: `sdk${runCounter}`,
    OTA_VERSION: `1.0.${runCounter}`,
    OTA_FILE: fileName
  }
  const { r, timed: t } = await timed(() => run(RUNNER_NODE, [SDK_SCRIPT], { env, cwd: workspace, measure: true }))
  const printed = r.code === 0 ? (JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { firmwareId?: string; size?: number; md5?: string }) : {}
  const stored = emulator.state.firmwares().find((f) => f.FirmwareId === printed.firmwareId)
  if (!stored || printed.size !== bytes || printed.md5 !== expectedMd5 || stored.FirmwareSign !== expectedMd5 || stored.FirmwareSize !== bytes) {
    throw new Error(
      `the SDK script failed (exit ${r.code}, printed ${JSON.stringify(printed)}, stored ${stored ? 'yes' : 'no'}):\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`
    )
  }
  return { wallMs: r.wallMs, ...t }
}

async function timeTool(command: string, args: string[]): Promise<{ ms: number; stdout: string }> {
  const r = await run(command, args)
  if (r.code !== 0) throw new Error(`${command} failed: ${r.stderr}`)
  return { ms: r.wallMs, stdout: r.stdout }
}

async function benchSize(emulator: Emulator, dir: string, mib: number, repeats: number): Promise<SizeResult> {
  const bytes = mib * MiB
  const fileName = `firmware-${mib}m.bin`
  const path = join(dir, fileName)
  const t0 = performance.now()
  makeFile(path, bytes)
  log(`  ${mib} MiB: wrote ${fileName} in ${fmtMs(performance.now() - t0)}`)
  const result: SizeResult = { mib, bytes, curl: [], action: [], sdk: [], md5sum: [], sha256sum: [], cat: [] }
  try {
    const md5 = (await timeTool('md5sum', [path])).stdout.split(' ')[0] as string
    const contenders: [keyof Pick<SizeResult, 'curl' | 'action' | 'sdk'>, () => Promise<Timed>][] = [
      ['curl', () => runCurlOnce(emulator, path, 'bin')],
      ['action', () => runActionOnce(emulator, dir, fileName, md5, bytes)],
      ['sdk', () => runSdkOnce(emulator, dir, fileName, md5, bytes)]
    ]
    for (let i = 0; i < repeats; i++) {
      // Rotate the order, so that drift (other load, writeback) and position hit every contender alike.
      for (let k = 0; k < contenders.length; k++) {
        const [which, once] = contenders[(i + k) % contenders.length] as (typeof contenders)[number]
        result[which].push(await once())
        emulator.reset()
      }
      result.md5sum.push((await timeTool('md5sum', [path])).ms)
      result.sha256sum.push((await timeTool('sha256sum', [path])).ms)
      result.cat.push((await timeTool('sh', ['-c', 'cat "$0" > /dev/null', path])).ms)
      const a = result.action[i] as Timed
      const c = result.curl[i] as Timed
      const k = result.sdk[i] as Timed
      log(
        `    #${i + 1}: curl ${fmtMs(c.wallMs)} (CPU ${fmtMs(c.cpuMs)}, emulator ${fmtMs(c.emulatorCpuMs)}, rest of machine ${fmtMs(c.otherCpuMs)}), ` +
          `action ${fmtMs(a.wallMs)} (CPU ${fmtMs(a.cpuMs)}, emulator ${fmtMs(a.emulatorCpuMs)}, rest ${fmtMs(a.otherCpuMs)}; peak RSS ${fmtMB(a.maxRss)}), ` +
          `SDK script ${fmtMs(k.wallMs)} (CPU ${fmtMs(k.cpuMs)}, rest ${fmtMs(k.otherCpuMs)}; peak RSS ${fmtMB(k.maxRss)}), md5sum ${fmtMs(result.md5sum[i])}`
      )
    }
  } finally {
    await rm(path, { force: true })
  }
  return result
}

/**
 * A package of several files (`multi-files`): 3 × 170 MiB against the single 512 MiB publish, run
 * alternately in the same bench so that both meet the same load. Targets: within 1.2 × the single
 * publish, peak RSS under 100 MB (the files upload two at a time, each streamed).
 */
const MULTI = { files: 3, mib: 170, singleMib: 512, ratio: 1.2 } as const

interface MultiFilesResult {
  single: Timed[]
  multi: Timed[]
}

/** One publish of the three files as one package; its `files` output must list each with its size and MD5. */
async function runMultiOnce(emulator: Emulator, workspace: string, expected: { name: string; md5: string }[]): Promise<Timed> {
  runCounter++
  const env = await actionEnv(workspace, {
    'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
    'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
    endpoint: emulator.url,
    'product-key': 'a1benchProd',
    'dest-version': `1.0.${runCounter}`,
    files: 'multi/*.bin',
    'multi-files': 'true'
  })
  const { r, timed: t } = await timed(() => run(RUNNER_NODE, [ACTION_ENTRY], { env, cwd: workspace, measure: true }))
  const outputs = parseOutputFile(await readFile(env.GITHUB_OUTPUT as string, 'utf8'))
  await rm(env.RUNNER_TEMP as string, { recursive: true, force: true })
  const files = JSON.parse(outputs.files || '[]') as { name: string; size: number; sign: string }[]
  const right = files.length === expected.length && expected.every((e, i) => files[i]?.name === e.name && files[i]?.sign === e.md5)
  if (r.code !== 0 || outputs.result !== 'created' || !right) {
    throw new Error(
      `the multi-file publish failed (exit ${r.code}, result ${outputs.result}, files ${outputs.files}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`
    )
  }
  return { wallMs: r.wallMs, ...t }
}

async function benchMultiFiles(emulator: Emulator, dir: string, repeats: number): Promise<MultiFilesResult> {
  const singleName = `single-${MULTI.singleMib}m.bin`
  const single = join(dir, singleName)
  const names = Array.from({ length: MULTI.files }, (_, i) => `part-${i + 1}.bin`)
  mkdirSync(join(dir, 'multi'), { recursive: true })
  makeFile(single, MULTI.singleMib * MiB)
  for (const name of names) makeFile(join(dir, 'multi', name), MULTI.mib * MiB)
  const result: MultiFilesResult = { single: [], multi: [] }
  try {
    const singleMd5 = (await timeTool('md5sum', [single])).stdout.split(' ')[0] as string
    const expected = await Promise.all(
      names.map(async (name) => ({ name, md5: (await timeTool('md5sum', [join(dir, 'multi', name)])).stdout.split(' ')[0] as string }))
    )
    const contenders: [keyof MultiFilesResult, () => Promise<Timed>][] = [
      ['single', () => runActionOnce(emulator, dir, singleName, singleMd5, MULTI.singleMib * MiB)],
      ['multi', () => runMultiOnce(emulator, dir, expected)]
    ]
    for (let i = 0; i < repeats; i++) {
      for (let k = 0; k < contenders.length; k++) {
        const [which, once] = contenders[(i + k) % contenders.length] as (typeof contenders)[number]
        result[which].push(await once())
        emulator.reset()
      }
      const [m, s] = [result.multi[i] as Timed, result.single[i] as Timed]
      log(
        `    #${i + 1}: ${MULTI.files} × ${MULTI.mib} MiB ${fmtMs(m.wallMs)} (CPU ${fmtMs(m.cpuMs)}, rest ${fmtMs(m.otherCpuMs)}; peak RSS ${fmtMB(m.maxRss)}), ` +
          `${MULTI.singleMib} MiB ${fmtMs(s.wallMs)} (CPU ${fmtMs(s.cpuMs)}, rest ${fmtMs(s.otherCpuMs)}; peak RSS ${fmtMB(s.maxRss)})`
      )
    }
  } finally {
    await rm(single, { force: true })
    await rm(join(dir, 'multi'), { recursive: true, force: true })
  }
  return result
}

/** The multi-file case's table and the targets it missed. */
function multiFilesReport(r: MultiFilesResult): { table: string; misses: string[] } {
  const wall = (runs: Timed[]): number => median(runs.map((t) => t.wallMs))
  const peak = (runs: Timed[]): number => Math.max(...runs.map((t) => t.maxRss ?? Number.NaN))
  const cpu = (runs: Timed[]): number => median(runs.map((t) => t.cpuMs ?? Number.NaN))
  const ratio = wall(r.multi) / wall(r.single)
  const rss = peak(r.multi)
  const at = `${MULTI.files} × ${MULTI.mib} MiB`
  const table = [
    `| publish | wall | ÷ ${MULTI.singleMib} MiB | action CPU | peak RSS |`,
    '| --- | ---: | ---: | ---: | ---: |',
    `| ${MULTI.singleMib} MiB, one file | ${fmtMs(wall(r.single))} | 1.00× | ${fmtMs(cpu(r.single))} | ${fmtMB(peak(r.single))} |`,
    `| ${at}, one package | ${fmtMs(wall(r.multi))} | **${ratio.toFixed(2)}×** ${mark(ratio <= MULTI.ratio)} | ${fmtMs(cpu(r.multi))} | ${fmtMB(rss)} ${mark(rss < TARGET.rssBytes)} |`
  ].join('\n')
  const misses = [
    ratio <= MULTI.ratio ? '' : `${at}: ${fmtMs(wall(r.multi))} is ${ratio.toFixed(2)}× the single ${MULTI.singleMib} MiB publish (target ≤ ${MULTI.ratio}×)`,
    rss < TARGET.rssBytes ? '' : `${at}: peak RSS ${fmtMB(rss)} (target < ${fmtMB(TARGET.rssBytes)})`
  ].filter((m) => m !== '')
  return { table, misses }
}

interface StartupResult {
  bareExitMs: number
  bareConnectMs: number
  actionConnectMs: number
  repeats: number
}

/**
 * From spawn to the first TCP connection the action opens (its first API call), against a bare
 * `node -e 0` (spawn to exit) and a bare node that opens a connection, interleaved, medians.
 */
async function benchStartup(repeats: number, node: string, entry: string, workspace: string): Promise<StartupResult> {
  let onConnect: ((at: number) => void) | undefined
  const server = createServer((socket) => {
    onConnect?.(performance.now())
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const env = await actionEnv(workspace, {
    'access-key-id': DEFAULT_ACCOUNT.accessKeyId,
    'access-key-secret': DEFAULT_ACCOUNT.accessKeySecret,
    endpoint: `http://127.0.0.1:${port}`,
    'product-key': 'a1benchProd',
    'dest-version': '1.0.0',
    'max-attempts': '1',
    files: 'startup.bin'
  })
  await writeFile(join(workspace, 'startup.bin'), Buffer.alloc(4096, 1))
  const once = (args: string[], waitFor: 'exit' | 'connect'): Promise<number> =>
    new Promise((resolve, reject) => {
      let connectedAt: number | undefined
      onConnect = (at) => {
        connectedAt ??= at
        if (waitFor === 'connect') child.kill('SIGKILL')
      }
      const start = performance.now()
      const child = spawn(node, args, { env, cwd: workspace, stdio: 'ignore' })
      child.on('error', reject)
      child.on('exit', () => {
        const end = waitFor === 'exit' ? performance.now() : connectedAt
        if (end === undefined) reject(new Error(`${args.join(' ')} exited without connecting`))
        else resolve(end - start)
      })
    })
  const bare: number[] = []
  const bareConnect: number[] = []
  const action: number[] = []
  try {
    // A first run of each warms the page cache; it is not counted.
    await once(['-e', '0'], 'exit')
    await once([entry], 'connect')
    for (let i = 0; i < repeats; i++) {
      bare.push(await once(['-e', '0'], 'exit'))
      bareConnect.push(await once(['-e', `require('net').connect(${port}, '127.0.0.1').on('error', () => {})`], 'connect'))
      action.push(await once([entry], 'connect'))
    }
  } finally {
    server.close()
    await rm(env.RUNNER_TEMP as string, { recursive: true, force: true })
  }
  return { bareExitMs: median(bare), bareConnectMs: median(bareConnect), actionConnectMs: median(action), repeats }
}

/**
 * What the start-up is made of: small bundles (same ncc, same options as `npm run build`) that
 * import one thing each, timed from spawn to exit.
 */
async function startupBreakdown(repeats: number, node: string): Promise<{ name: string; ms: number; bytes: number }[]> {
  // Under the repository's node_modules, so that ncc resolves the packages (and eslint and git ignore it).
  const cache = join(ROOT, 'node_modules', '.cache', 'ota-bench')
  mkdirSync(cache, { recursive: true })
  const dir = await mkdtemp(join(cache, 'probe-'))
  const probes: Record<string, string> = {
    'node -e 0': '',
    'node:http + node:https + node:crypto': "import 'node:http'; import 'node:https'; import 'node:crypto'",
    'undici (what @actions/http-client imports)': "import { ProxyAgent } from 'undici'; console.log(typeof ProxyAgent)",
    '@actions/core': "import * as core from '@actions/core'; core.getInput('x')",
    '@actions/core + @actions/github':
      "import * as core from '@actions/core'; import * as github from '@actions/github'; core.getInput('x'); console.log(github.context.ref)",
    '@actions/core + github + glob':
      "import * as core from '@actions/core'; import * as github from '@actions/github'; import * as glob from '@actions/glob'; core.getInput('x'); console.log(github.context.ref, typeof glob.create)"
  }
  const out: { name: string; ms: number; bytes: number }[] = []
  try {
    const entries: [string, string[], number][] = []
    for (const [i, [name, code]] of Object.entries(probes).entries()) {
      if (code === '') {
        entries.push([name, ['-e', '0'], 0])
        continue
      }
      const src = join(dir, `probe${i}.mjs`)
      await writeFile(src, `${code}\n`)
      const outDir = join(dir, `out${i}`)
      const built = await run(join(ROOT, 'node_modules', '.bin', 'ncc'), ['build', src, '-o', outDir, '--target', 'es2022', '-q'], { cwd: ROOT })
      if (built.code !== 0) throw new Error(`ncc failed for ${name}: ${built.stderr.slice(-500)}`)
      const file = readdirSync(outDir).find((f) => /^index\.m?js$/.test(f)) as string
      entries.push([name, [join(outDir, file)], statSync(join(outDir, file)).size])
    }
    const times = new Map<string, number[]>()
    for (let r = 0; r < repeats; r++) {
      for (const [name, args] of entries) {
        const res = await run(node, args, { cwd: dir })
        if (res.code !== 0) throw new Error(`${name} failed: ${res.stderr.slice(-500)}`)
        if (r > 0) times.set(name, [...(times.get(name) ?? []), res.wallMs])
      }
    }
    for (const [name, , bytes] of entries) out.push({ name, ms: median(times.get(name) ?? []), bytes })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  return out
}

function distSize(): { files: { name: string; bytes: number }[]; total: number } {
  // The publish action's bundle: what a publish loads (index.js at start, the chunk for upload-mode oss).
  const dist = join(ROOT, 'dist', 'publish')
  const files = readdirSync(dist)
    .filter((f) => f.endsWith('.js'))
    .map((name) => ({ name, bytes: statSync(join(dist, name)).size }))
    .sort((a, b) => b.bytes - a.bytes)
  return { files, total: files.reduce((s, f) => s + f.bytes, 0) }
}

/** Medians and extremes of one size's runs. */
interface SizeSummary {
  r: SizeResult
  curl: number
  action: number
  sdk: number
  rss: number
  sdkRss: number
  /** What the action read besides the file (its own bundle, the event file, answers); a second pass would add the file again. */
  extra: number
  /** CPU the rest of the machine spent during the most disturbed run. */
  rest: number
}

function summarize(r: SizeResult): SizeSummary {
  const wall = (runs: Timed[]): number => median(runs.map((t) => t.wallMs))
  const peak = (runs: Timed[]): number => Math.max(...runs.map((t) => t.maxRss ?? Number.NaN))
  return {
    r,
    curl: wall(r.curl),
    action: wall(r.action),
    sdk: wall(r.sdk),
    rss: peak(r.action),
    sdkRss: peak(r.sdk),
    extra: Math.max(...r.action.map((t) => (t.readBytes ?? Number.NaN) - r.bytes)),
    rest: Math.max(...[...r.curl, ...r.action, ...r.sdk].map((t) => t.otherCpuMs ?? Number.NaN))
  }
}

const isCurlTarget = (s: SizeSummary): boolean => s.r.mib === TARGET.ratioSizeMiB
const curlOk = (s: SizeSummary): boolean => s.action / s.curl <= TARGET.ratio
const sdkOk = (s: SizeSummary): boolean => s.action / s.sdk <= TARGET.sdkRatio
const rssOk = (s: SizeSummary): boolean => s.rss < TARGET.rssBytes
const readOnce = (s: SizeSummary): boolean => !(s.extra >= s.r.bytes / 2)
const mark = (ok: boolean): string => (ok ? '✓' : '✗')

function targetMisses(s: SizeSummary): string[] {
  const at = `${s.r.mib} MiB`
  return [
    isCurlTarget(s) && !curlOk(s)
      ? `${at}: action ${fmtMs(s.action)} is ${(s.action / s.curl).toFixed(2)}× curl ${fmtMs(s.curl)} (target ≤ ${TARGET.ratio}×)`
      : '',
    sdkOk(s) ? '' : `${at}: action ${fmtMs(s.action)} is slower than the SDK script ${fmtMs(s.sdk)} (${(s.action / s.sdk).toFixed(2)}×)`,
    rssOk(s) ? '' : `${at}: peak RSS ${fmtMB(s.rss)} (target < ${fmtMB(TARGET.rssBytes)})`,
    readOnce(s) ? '' : `${at}: the action read ${fmtMB(s.extra + s.r.bytes)}, more than the file once`
  ].filter((m) => m !== '')
}

function timeRow(s: SizeSummary): string {
  const md5 = median(s.r.md5sum)
  return (
    `| ${s.r.mib} MiB | ${fmtMs(s.curl)} | ${fmtMs(s.action)} | ${fmtMs(s.sdk)} | **${(s.action / s.curl).toFixed(2)}×**${isCurlTarget(s) ? ` ${mark(curlOk(s))}` : ''} | ` +
    `**${(s.action / s.sdk).toFixed(2)}×** ${mark(sdkOk(s))} | ${(s.r.bytes / 1e6 / (s.action / 1000)).toFixed(0)} | ` +
    `${fmtMs(md5)} | ${fmtMs(median(s.r.sha256sum))} | ${fmtMs(median(s.r.cat))} | ${(s.action / md5).toFixed(2)}× |`
  )
}

function resourceRow(s: SizeSummary): string {
  const cpu = (runs: Timed[], pick: (t: Timed) => number | undefined): string => fmtMs(median(runs.map((t) => pick(t) ?? Number.NaN)))
  const { r } = s
  const read = Number.isNaN(s.extra) ? '–' : `file + ${fmtMB(s.extra)} ${mark(readOnce(s))}`
  return (
    `| ${r.mib} MiB | ${fmtMB(s.rss)} ${mark(rssOk(s))} | ${fmtMB(s.sdkRss)} | ${read} | ` +
    `${cpu(r.action, (t) => t.cpuMs)} | ${cpu(r.sdk, (t) => t.cpuMs)} | ${cpu(r.curl, (t) => t.cpuMs)} | ` +
    `${cpu(r.curl, (t) => t.emulatorCpuMs)} / ${cpu(r.action, (t) => t.emulatorCpuMs)} / ${cpu(r.sdk, (t) => t.emulatorCpuMs)} | ${fmtMs(s.rest)} |`
  )
}

function sizeTable(results: SizeResult[]): { table: string; misses: string[] } {
  const summaries = results.map(summarize)
  const time = [
    '| file | curl -F | action | SDK script | action ÷ curl | action ÷ SDK script | action MB/s | md5sum | sha256sum | cat > /dev/null | action ÷ md5sum |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summaries.map(timeRow)
  ]
  const resources = [
    '| file | action peak RSS | SDK script peak RSS | action read | action CPU | SDK script CPU | curl CPU | emulator CPU, curl / action / SDK script run | rest of machine, max of any run |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summaries.map(resourceRow)
  ]
  return { table: `${time.join('\n')}\n\n${resources.join('\n')}`, misses: summaries.flatMap(targetMisses) }
}

function renderReport(heading: string, table: string, startup: StartupResult, dist: ReturnType<typeof distSize>, misses: string[], tookMs: number): string {
  const startupRatio = startup.actionConnectMs / startup.bareExitMs
  return [
    '',
    heading,
    '',
    table,
    '',
    `Start-up, spawn → first request (median of ${startup.repeats}): action **${fmtMs(startup.actionConnectMs)}** = ` +
      `**${startupRatio.toFixed(2)}×** \`node -e 0\` (${fmtMs(startup.bareExitMs)}), measured, not a target; a bare node opening a connection: ${fmtMs(startup.bareConnectMs)}.`,
    '',
    `dist/publish/: ${dist.files.map((f) => `${f.name} ${(f.bytes / 1e6).toFixed(2)} MB`).join(', ')} (total ${(dist.total / 1e6).toFixed(2)} MB; index.js is what loads at start).`,
    '',
    misses.length === 0 ? 'All targets met.' : `Targets missed:\n${misses.map((m) => `- ${m}`).join('\n')}`,
    '',
    `(bench took ${fmtMs(tookMs)})`
  ].join('\n')
}

/** Prints what runs where, before anything is measured. */
async function logSetup(options: BenchOptions): Promise<{ nodeVersion: string; load0: number[] }> {
  const nodeVersion = (await run(RUNNER_NODE, ['--version'])).stdout.trim()
  const curlVersion = (await run('curl', ['--version'])).stdout.split('\n')[0] ?? ''
  const load0 = loadavg()
  log(
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free), load ${load0.map((l) => l.toFixed(2)).join(' ')}`
  )
  log(`Action: ${RUNNER_NODE} ${nodeVersion}, ${ACTION_ENTRY}; SDK script: the same node, ${SDK_SCRIPT}; ${curlVersion}`)
  log(
    `Sizes ${options.sizes.join(', ')} MiB × ${options.repeats} runs each (curl, action and SDK script in rotating order); start-up × ${options.startupRepeats}${TIME ? '' : ' (no /usr/bin/time: CPU and RSS not measured)'}`
  )
  log(`Files in ${options.dir ?? tmpdir()}; emulator data in ${options.emulatorDir ?? (existsSync('/dev/shm') ? '/dev/shm (tmpfs)' : tmpdir())}`)
  return { nodeVersion, load0 }
}

async function main(): Promise<void> {
  let options: BenchOptions
  try {
    options = parseBenchArgs(process.argv.slice(2))
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  if (options.help) {
    log(USAGE)
    return
  }
  if (!existsSync(ACTION_ENTRY)) throw new Error(`${ACTION_ENTRY} is missing: run npm run build first`)
  const { nodeVersion, load0 } = await logSetup(options)

  const dir = await mkdtemp(join(options.dir ?? tmpdir(), 'ota-bench-'))
  // The emulator's uploads go to tmpfs when there is one: on this VM's disk, page-cache writeback made whichever run came
  // first after a pause up to 50% slower, for curl and action alike (BENCHMARKS.md). --emulator-dir picks a disk.
  const emulatorBase = options.emulatorDir ?? (existsSync('/dev/shm') ? '/dev/shm' : undefined)
  const emulatorDir = emulatorBase ? await mkdtemp(join(emulatorBase, 'ota-bench-emulator-')) : undefined
  // No QPS limit: back-to-back runs of small files would otherwise be throttled, which is not what this measures.
  // The action publishes to the default module under a version per run; the SDK script under a module of its
  // own per run (sdk1, sdk2, …), which the product must have.
  const modules = { a1benchProd: Array.from({ length: 1000 }, (_, i) => `sdk${i + 1}`) }
  const emulator = await startEmulator({ port: 0, qpsLimit: 0, dataDir: emulatorDir, modules })
  const results: SizeResult[] = []
  let startup: StartupResult
  let breakdown: { name: string; ms: number; bytes: number }[] | undefined
  let multiFiles: MultiFilesResult | undefined
  const started = performance.now()
  try {
    log('\nStart-up (spawn → first connection), medians:')
    startup = await benchStartup(options.startupRepeats, RUNNER_NODE, ACTION_ENTRY, dir)
    log(`  node -e 0 ${fmtMs(startup.bareExitMs)}; node connecting ${fmtMs(startup.bareConnectMs)}; action ${fmtMs(startup.actionConnectMs)}`)
    if (options.startupBreakdown) {
      log('\nStart-up breakdown (probe bundles, spawn → exit), medians:')
      breakdown = await startupBreakdown(Math.max(5, Math.ceil(options.startupRepeats / 2)), RUNNER_NODE)
      for (const b of breakdown) log(`  ${fmtMs(b.ms).padStart(7)}  ${b.name}${b.bytes ? ` (${(b.bytes / 1e6).toFixed(2)} MB)` : ''}`)
    }
    for (const mib of options.sizes) {
      log(`\nPublishing ${mib} MiB:`)
      results.push(await benchSize(emulator, dir, mib, options.repeats))
    }
    log(`\nPublishing ${MULTI.files} × ${MULTI.mib} MiB as one package against ${MULTI.singleMib} MiB as one file:`)
    multiFiles = await benchMultiFiles(emulator, dir, options.repeats)
  } finally {
    await emulator.close()
    await rm(dir, { recursive: true, force: true })
    if (emulatorDir) await rm(emulatorDir, { recursive: true, force: true })
  }

  let plan: PlanCase[] = []
  if (options.planSources.length > 0) {
    log(`\nA rollout plan's stage of 1,000 devices in fleets of 1,000 and ${options.planFleet.toLocaleString('en')}:`)
    plan = await benchPlan(options.planFleet, options.planSources, log)
  }
  const sized = sizeTable(results)
  const multi = multiFilesReport(multiFiles as MultiFilesResult)
  const table = [
    sized.table,
    `A package of several files (\`multi-files\`), in the same run:\n\n${multi.table}`,
    ...(plan.length > 0 ? [planTable(plan)] : [])
  ].join('\n\n')
  const misses = [...sized.misses, ...multi.misses, ...planMisses(plan)]
  const dist = distSize()
  const load1 = loadavg()
  const heading =
    `## Results (${new Date().toISOString().slice(0, 10)}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${nodeVersion}, ${options.repeats} runs per size, medians; ` +
    `emulator data on ${emulatorBase ?? tmpdir()}; load ${load0[0]?.toFixed(2)} → ${load1[0]?.toFixed(2)})`
  log(renderReport(heading, table, startup, dist, misses, performance.now() - started))
  if (options.json) {
    await writeFile(
      options.json,
      JSON.stringify(
        { date: new Date().toISOString(), nodeVersion, cpus: cpus().length, load: [load0, load1], startup, breakdown, results, multiFiles, plan, dist, misses },
        null,
        2
      )
    )
  }
  if (misses.length > 0) process.exitCode = 1
}

await main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
  process.exitCode = 1
})
