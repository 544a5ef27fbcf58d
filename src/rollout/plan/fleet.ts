/**
 * The fleet a plan rolls out to, read only when a stage is about to start: the DeviceNames of
 * `fleet-file`, or every device of the product, page by page with QueryDevice.
 */
import { ActionError, describeError } from '../../contract/action-error.js'
import { ROLLOUT_INPUT } from '../../contract/names.js'
import type { JobDeps } from '../../jobs/deps.js'
import { DEVICE_NAME_PATTERN } from '../../platform/job-rules.js'

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

/** Every device of the product: QueryDevice pages of 50, each answer's NextToken passed on (needed past row 10,000). */
export async function readProductDevices(productKey: string, deps: Pick<JobDeps, 'api'>): Promise<string[]> {
  const names: string[] = []
  let token: string | undefined
  for (let page = 1; page <= DEVICE_PAGES_MAX; page++) {
    const answer = await deps.api.queryDevices(productKey, page, DEVICE_PAGE_SIZE, token)
    names.push(...answer.Devices.map((d) => d.DeviceName))
    token = answer.NextToken
    const all = answer.Total !== undefined && names.length >= answer.Total
    if (answer.Devices.length < DEVICE_PAGE_SIZE || all) break
  }
  // Newest first, so devices registered meanwhile can shift a row between pages: keep each once.
  return [...new Set(names)]
}

/** The plan's fleet: `fleet-file` when given, else every device of the product. */
export function readFleet(settings: { productKey: string; fleetFile?: string }, deps: Pick<JobDeps, 'api' | 'readWorkspaceFile'>): Promise<string[]> {
  return settings.fleetFile === undefined ? readProductDevices(settings.productKey, deps) : readFleetFile(settings.fleetFile, deps)
}
