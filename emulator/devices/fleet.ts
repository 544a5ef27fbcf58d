/** What a simulated device does with an OTA task once it is online. */
const BEHAVIOURS = ['succeed', 'fail-download', 'fail-verify', 'fail-install', 'reject', 'offline', 'stall'] as const
export type Behaviour = (typeof BEHAVIOURS)[number]

/** The version a device runs on a module nobody configured. */
export const DEFAULT_DEVICE_VERSION = '1.0.0'

export interface DeviceSpec {
  name: string
  behaviour?: Behaviour
  /** The product it belongs to; absent: it exists in every product (as every ProductKey exists by default). */
  productKey?: string
  /** Current version per OTA module; modules left out run DEFAULT_DEVICE_VERSION. */
  versions?: Readonly<Record<string, string>>
  /** Offline until this fleet minute; an `offline` device without it never comes online. */
  onlineAtMinute?: number
  /** Static device groups (GroupId) it is a member of. */
  groups?: readonly string[]
}

/** A device of one product, as the model keeps it. */
export interface Device {
  /** `${productKey}/${name}`: one device per product even when its spec is product-less. */
  key: string
  name: string
  productKey: string
  behaviour: Behaviour
  versions: Readonly<Record<string, string>>
  /** Fleet minute it comes online; Infinity for never. */
  onlineAtMinute: number
  groups: ReadonlySet<string>
}

/** Devices the demo and tests get unless told otherwise: two test devices and a small fleet. */
export const DEFAULT_DEVICES: readonly DeviceSpec[] = [{ name: 'test-device-1' }, { name: 'test-device-2' }, ...fleetSpecs(50, 0)]

const DEVICE_NAME_PATTERN = /^[A-Za-z0-9_.:@-]{4,32}$/

function check(spec: DeviceSpec): DeviceSpec {
  // DeviceName: 4 to 32 letters, digits and -_@.: (RegisterDevice).
  if (!DEVICE_NAME_PATTERN.test(spec.name))
    throw new Error(`Emulator device name ${JSON.stringify(spec.name)} is not a valid DeviceName (4 to 32 of A-Z a-z 0-9 - _ @ . :).`)
  if (spec.behaviour !== undefined && !BEHAVIOURS.includes(spec.behaviour)) {
    throw new Error(`Emulator device ${spec.name}: behaviour ${JSON.stringify(spec.behaviour)} is not one of ${BEHAVIOURS.join(', ')}.`)
  }
  const minute = spec.onlineAtMinute
  if (minute !== undefined && !(Number.isInteger(minute) && minute >= 0))
    throw new Error(`Emulator device ${spec.name}: onlineAtMinute must be a whole number ≥ 0.`)
  return spec
}

/** `NAME[:BEHAVIOUR[@MINUTE]]`, e.g. `sensor-1:fail-verify` or `late-1:offline@5` (online at minute 5). */
export function parseDeviceArg(arg: string): DeviceSpec {
  const match = /^([^:]+)(?::([a-z-]+)(?:@(\d+))?)?$/.exec(arg)
  if (!match) throw new Error(`--device ${JSON.stringify(arg)}: expected NAME[:BEHAVIOUR[@MINUTE]].`)
  const [, name = '', behaviour, minute] = match
  return check({ name, behaviour: behaviour as Behaviour | undefined, onlineAtMinute: minute === undefined ? undefined : Number(minute) })
}

/**
 * `count` devices `fleet-0001`…, of which FAIL_PERCENT % fail during download. The failing ones are
 * spread evenly (device i fails when ⌊(i+1)·p/100⌋ grows), so any prefix fails at about the same rate.
 */
export function fleetSpecs(count: number, failPercent: number): DeviceSpec[] {
  const width = Math.max(4, String(count).length)
  return Array.from({ length: count }, (_, i) => ({
    name: `fleet-${String(i + 1).padStart(width, '0')}`,
    behaviour: Math.floor(((i + 1) * failPercent) / 100) > Math.floor((i * failPercent) / 100) ? 'fail-download' : 'succeed'
  }))
}

/** `N:FAIL_PERCENT` (FAIL_PERCENT 0–100), e.g. `200:5`. */
export function parseFleetArg(arg: string): DeviceSpec[] {
  const match = /^(\d{1,6}):(\d{1,3})$/.exec(arg)
  const count = Number(match?.[1])
  const failPercent = Number(match?.[2])
  if (!match || count < 1 || failPercent > 100) throw new Error(`--fleet ${JSON.stringify(arg)}: expected N:FAIL_PERCENT (N ≥ 1, FAIL_PERCENT 0 to 100).`)
  return fleetSpecs(count, failPercent)
}

/** The simulated devices, per product; product-less specs are instantiated per product on first use. */
export class Fleet {
  private readonly specs: readonly DeviceSpec[]
  private readonly products = new Map<string, { list: Device[]; byName: Map<string, Device>; late: Device[] }>()

  constructor(specs: readonly DeviceSpec[]) {
    const names = new Set<string>()
    for (const spec of specs.map(check)) {
      const key = `${spec.productKey ?? '*'}/${spec.name}`
      if (names.has(key)) throw new Error(`Emulator device ${spec.name} is listed twice.`)
      names.add(key)
    }
    this.specs = specs
  }

  /** A product's devices, in the order they were configured. */
  devices(productKey: string): readonly Device[] {
    return this.product(productKey).list
  }

  device(productKey: string, name: string): Device | undefined {
    return this.product(productKey).byName.get(name)
  }

  /** Devices that come online after minute 0, by the minute they do. */
  lateDevices(productKey: string): readonly Device[] {
    return this.product(productKey).late
  }

  private product(productKey: string) {
    let product = this.products.get(productKey)
    if (!product) {
      const list = this.specs.filter((s) => s.productKey === undefined || s.productKey === productKey).map((s) => toDevice(s, productKey))
      const late = list.filter((d) => d.onlineAtMinute > 0 && d.onlineAtMinute < Infinity).sort((a, b) => a.onlineAtMinute - b.onlineAtMinute)
      product = { list, byName: new Map(list.map((d) => [d.name, d])), late }
      this.products.set(productKey, product)
    }
    return product
  }
}

const NO_GROUPS: ReadonlySet<string> = new Set()

function toDevice(spec: DeviceSpec, productKey: string): Device {
  const behaviour = spec.behaviour ?? 'succeed'
  const never = behaviour === 'offline' && spec.onlineAtMinute === undefined
  return {
    key: `${productKey}/${spec.name}`,
    name: spec.name,
    productKey,
    behaviour,
    versions: spec.versions ?? {},
    onlineAtMinute: never ? Infinity : (spec.onlineAtMinute ?? 0),
    groups: spec.groups && spec.groups.length > 0 ? new Set(spec.groups) : NO_GROUPS
  }
}

/** One line for the CLI banner: how many devices behave how, and the first names. */
export function describeFleet(specs: readonly DeviceSpec[]): string {
  const counts = new Map<string, number>()
  for (const spec of specs) counts.set(spec.behaviour ?? 'succeed', (counts.get(spec.behaviour ?? 'succeed') ?? 0) + 1)
  const behaviours = [...counts].map(([behaviour, n]) => `${n} ${behaviour}`).join(', ')
  const first = specs
    .slice(0, 3)
    .map((s) => s.name)
    .join(', ')
  return `${specs.length} (${behaviours}): ${first}${specs.length > 3 ? ', …' : ''}`
}
