/**
 * The fleet a plan rolls out to, read only when a stage is about to start: the DeviceNames of
 * `fleet-file`, or every device of the product, page by page with QueryDevice.
 */
import { ActionError, describeError } from '../../contract/action-error.js'
import { ROLLOUT_INPUT } from '../../contract/names.js'
import type { JobDeps } from '../../jobs/deps.js'
import { DEVICE_NAME_PATTERN } from '../../platform/job-rules.js'
import type { DevicePage } from '../../platform/models.js'

/** QueryDevice's largest page. */
const DEVICE_PAGE_SIZE = 50
/** QueryDevice reaches 1,000,000 devices at most. */
const DEVICE_PAGES_MAX = 1_000_000 / DEVICE_PAGE_SIZE

/** One DeviceName a line; `#` comments and blank lines ignored; each name valid and listed once. */
export function parseFleetFile(text: string, file: string): string[] {
  const names: string[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim()
    if (line === '') return
    const where = `line ${i + 1} of ${file}`
    if (!DEVICE_NAME_PATTERN.test(line)) {
      throw new ActionError(
        `Input '${ROLLOUT_INPUT.fleetFile}': ${where} is ${JSON.stringify(line)}, not a DeviceName (4 to 32 letters, digits, "-", "_", ".", "@" or ":").`,
        {
          input: ROLLOUT_INPUT.fleetFile,
          hint: 'Put one DeviceName on each line; lines starting with # are comments.'
        }
      )
    }
    if (seen.has(line)) throw new ActionError(`Input '${ROLLOUT_INPUT.fleetFile}': ${where} lists ${line} a second time.`, { input: ROLLOUT_INPUT.fleetFile })
    seen.add(line)
    names.push(line)
  })
  if (names.length === 0) throw new ActionError(`Input '${ROLLOUT_INPUT.fleetFile}': ${file} names no device.`, { input: ROLLOUT_INPUT.fleetFile })
  return names
}

export async function readFleetFile(file: string, deps: Pick<JobDeps, 'readWorkspaceFile'>): Promise<string[]> {
  const text = await deps.readWorkspaceFile(file).catch((error: unknown) => {
    throw new ActionError(`Input '${ROLLOUT_INPUT.fleetFile}' is ${JSON.stringify(file)}, which cannot be read: ${describeError(error)}.`, {
      input: ROLLOUT_INPUT.fleetFile,
      hint: 'Give a path relative to the workspace, of a file an earlier step wrote or the repository holds.'
    })
  })
  return parseFleetFile(text, file)
}

/** Never activated, or disabled: such a device can take no upgrade, and its task would keep its stage's job from ending. */
const INACTIVE: readonly string[] = ['UNACTIVE', 'DISABLE']

/** Whether a device (as QueryDevice or BatchGetDeviceState gives its status) can be upgraded: neither never activated nor disabled. */
export const isActive = (status: string | undefined): boolean => !INACTIVE.includes(status ?? '')

/** The product's devices, page by page (QueryDevice pages of 50, each answer's NextToken passed on: needed past row 10,000), at most `maxPages`. */
export async function* devicePages(productKey: string, deps: Pick<JobDeps, 'api'>, maxPages = DEVICE_PAGES_MAX): AsyncGenerator<DevicePage['Devices']> {
  let token: string | undefined
  let seen = 0
  for (let page = 1; page <= Math.min(maxPages, DEVICE_PAGES_MAX); page++) {
    const answer = await deps.api.queryDevices(productKey, page, DEVICE_PAGE_SIZE, token)
    yield answer.Devices
    seen += answer.Devices.length
    token = answer.NextToken
    if (answer.Devices.length < DEVICE_PAGE_SIZE || (answer.Total !== undefined && seen >= answer.Total)) return
  }
}

/** Every device of the product that can be upgraded: those never activated or disabled are left out. */
export async function readProductDevices(productKey: string, deps: Pick<JobDeps, 'api' | 'log'>): Promise<string[]> {
  const names: string[] = []
  let inactive = 0
  for await (const devices of devicePages(productKey, deps)) {
    const active = devices.filter((d) => isActive(d.DeviceStatus))
    inactive += devices.length - active.length
    names.push(...active.map((d) => d.DeviceName))
  }
  if (inactive > 0) deps.log.info(`Left out of the fleet: ${inactive} device(s) never activated or disabled (QueryDevice's UNACTIVE, DISABLE).`)
  // Newest first, so devices registered meanwhile can shift a row between pages: keep each once.
  return [...new Set(names)]
}

/** The plan's fleet: the names of `fleet-file` (read once, at the start of the run) when given, else every device of the product. */
export async function readFleet(productKey: string, fleetFile: readonly string[] | undefined, deps: Pick<JobDeps, 'api' | 'log'>): Promise<readonly string[]> {
  return fleetFile ?? readProductDevices(productKey, deps)
}
