/** Command line of scripts/bench.ts. */
export interface BenchOptions {
  help: boolean
  /** File sizes, MiB. */
  sizes: number[]
  repeats: number
  startupRepeats: number
  startupBreakdown: boolean
  /** Where the firmware files are written (default: the OS temp folder). */
  dir?: string
  /** Where the emulator stores uploads (default: /dev/shm when there, else a temp folder). */
  emulatorDir?: string
  json?: string
  /** The rollout plan's bench: the large fleet, and how its fleet is read (none: skipped). */
  planFleet: number
  planSources: ('query' | 'file')[]
}

export const USAGE = `Usage: node build/scripts/bench.js [options]   (npm run bench -- [options])

  --quick               16 and 512 MiB, 2 runs each, 15 start-ups (under a minute)
  --sizes LIST          file sizes in MiB, comma-separated (default 16,512,1000)
  --repeats N           runs per size, of curl and of the action each, alternating which goes first (default 6)
  --startup-repeats N   start-up measurements (default 31)
  --startup-breakdown   also time probe bundles of @actions/core, github, glob, undici (builds them with ncc)
  --dir DIR             where to write the test files (default: the OS temp folder)
  --emulator-dir DIR    where the emulator stores uploads (default: /dev/shm if there, else the OS temp folder)
  --json FILE           also write the raw measurements as JSON
  --plan-fleet N        the rollout plan's large fleet (default 100000; --quick reads it from a fleet-file only)
  --no-plan             skip the rollout plan's bench
  --help`

function positiveInt(flag: string, value: string | undefined): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer, got ${JSON.stringify(value)}`)
  return n
}

export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = {
    help: false,
    sizes: [16, 512, 1000],
    repeats: 6,
    startupRepeats: 31,
    startupBreakdown: false,
    planFleet: 100_000,
    planSources: ['query', 'file']
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string
    const value = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value`)
      return v
    }
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true
        break
      case '--quick':
        options.sizes = [16, 512]
        options.repeats = 2
        options.startupRepeats = 15
        options.planSources = ['file']
        break
      case '--sizes':
        options.sizes = value()
          .split(',')
          .map((s) => positiveInt('--sizes', s.trim()))
        break
      case '--repeats':
        options.repeats = positiveInt(flag, value())
        break
      case '--startup-repeats':
        options.startupRepeats = positiveInt(flag, value())
        break
      case '--startup-breakdown':
        options.startupBreakdown = true
        break
      case '--dir':
        options.dir = value()
        break
      case '--emulator-dir':
        options.emulatorDir = value()
        break
      case '--json':
        options.json = value()
        break
      case '--plan-fleet':
        options.planFleet = positiveInt(flag, value())
        break
      case '--no-plan':
        options.planSources = []
        break
      default:
        throw new Error(`unknown option ${flag}`)
    }
  }
  if (options.sizes.some((s) => s * 1024 * 1024 > 1048576000)) throw new Error('--sizes: the platform takes at most 1000 MiB (1048576000 bytes)')
  return options
}

/** The middle value (mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return Number.NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
