import { randomBytes } from 'node:crypto'
import { iotIdOf, parseIotId, seedOf } from './identity.js'

/** What a simulated device does with an OTA task once it is online, and after a successful upgrade. */
export const BEHAVIOURS = [
  'succeed',
  'fail-download',
  'fail-verify',
  'fail-install',
  'reject',
  'offline',
  'stall',
  'offline-after-upgrade',
  'rollback'
] as const
export type Behaviour = (typeof BEHAVIOURS)[number]

/** Behaviours that upgrade like `succeed`, then act `afterUpgradeMinutes` later. */
const AFTER_UPGRADE_BEHAVIOURS: readonly Behaviour[] = ['offline-after-upgrade', 'rollback']

/** The version a device runs on a module nobody configured. */
export const DEFAULT_DEVICE_VERSION = '1.0.0'

/** How long after its upgrade an `offline-after-upgrade` or `rollback` device acts, unless told. */
const DEFAULT_AFTER_UPGRADE_MINUTES = 1

export interface DeviceSpec {
  name: string
  behaviour?: Behaviour
  /** The product it belongs to; absent: it exists in every product (as every ProductKey exists by default). */
  productKey?: string
  /** Current version per OTA module; modules left out run DEFAULT_DEVICE_VERSION. */
  versions?: Readonly<Record<string, string>>
  /** Offline (never yet activated) until this fleet minute; an `offline` device without it never comes online. */
  onlineAtMinute?: number
  /** Static device groups (GroupId) it is a member of. */
  groups?: readonly string[]
  /**
   * `offline-after-upgrade`: the minutes after its first successful upgrade at which it goes offline
   * for good; `rollback`: after which its bootloader rolls back and it reports its old version
   * again (the task stays SUCCEEDED). Default DEFAULT_AFTER_UPGRADE_MINUTES.
   */
  afterUpgradeMinutes?: number
  /** Disabled on the platform: DeviceStatus DISABLE, never online (its tasks stay QUEUED). */
  disabled?: boolean
  /** QueryDevice's Nickname. */
  nickname?: string
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
  afterUpgradeMinutes: number
  disabled: boolean
  nickname?: string
  /** Its position in its product's list, which is the order the devices were registered in. */
  index: number
  /** 32 bits from its key: what its churn and its address are drawn from. */
  seed: number
}

/** Devices the demo and tests get unless told otherwise: two test devices and a small fleet. */
export const DEFAULT_DEVICES: readonly DeviceSpec[] = [{ name: 'test-device-1' }, { name: 'test-device-2' }, ...fleetSpecs(50, 0)]

const DEVICE_NAME_PATTERN = /^[A-Za-z0-9_.:@-]{4,32}$/

/** A DeviceName: 4 to 32 letters, digits and -_@.: (RegisterDevice). */
export function isDeviceName(name: string): boolean {
  return DEVICE_NAME_PATTERN.test(name)
}

const wholeFrom0 = (n: number | undefined) => n === undefined || (Number.isInteger(n) && n >= 0)

/** Checks a spec; throws an Error naming the device and the field. */
export function checkSpec(spec: DeviceSpec): DeviceSpec {
  if (!isDeviceName(spec.name))
    throw new Error(`Emulator device name ${JSON.stringify(spec.name)} is not a valid DeviceName (4 to 32 of A-Z a-z 0-9 - _ @ . :).`)
  if (spec.behaviour !== undefined && !BEHAVIOURS.includes(spec.behaviour)) {
    throw new Error(`Emulator device ${spec.name}: behaviour ${JSON.stringify(spec.behaviour)} is not one of ${BEHAVIOURS.join(', ')}.`)
  }
  if (!wholeFrom0(spec.onlineAtMinute)) throw new Error(`Emulator device ${spec.name}: onlineAtMinute must be a whole number ≥ 0.`)
  if (!wholeFrom0(spec.afterUpgradeMinutes)) throw new Error(`Emulator device ${spec.name}: afterUpgradeMinutes must be a whole number ≥ 0.`)
  if (spec.afterUpgradeMinutes !== undefined && !AFTER_UPGRADE_BEHAVIOURS.includes(spec.behaviour ?? 'succeed')) {
    throw new Error(`Emulator device ${spec.name}: afterUpgradeMinutes is only for the behaviours ${AFTER_UPGRADE_BEHAVIOURS.join(' and ')}.`)
  }
  return spec
}

/** `fleet-0001`…: the names of a fleet of `count`, at least four digits wide. */
export function fleetName(i: number, count: number): string {
  return `fleet-${String(i + 1).padStart(Math.max(4, String(count).length), '0')}`
}

/**
 * `count` devices `fleet-0001`…, of which FAIL_PERCENT % fail during download. The failing ones are
 * spread evenly (device i fails when ⌊(i+1)·p/100⌋ grows), so any prefix fails at about the same rate.
 */
export function fleetSpecs(count: number, failPercent: number): DeviceSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    name: fleetName(i, count),
    behaviour: Math.floor(((i + 1) * failPercent) / 100) > Math.floor((i * failPercent) / 100) ? 'fail-download' : 'succeed'
  }))
}

/** The simulated devices, per product; product-less specs are instantiated per product on first use. */
export class Fleet {
  /** Drawn at random per fleet: what the devices' secrets and QueryDevice's NextTokens are derived from. */
  readonly salt = randomBytes(16)
  private readonly specs: readonly DeviceSpec[]
  private readonly products = new Map<string, { list: Device[]; byName: Map<string, Device>; late: Device[] }>()

  constructor(specs: readonly DeviceSpec[]) {
    // Names by product ('' for product-less specs): a name may repeat in another product only.
    const names = new Map<string, Set<string>>()
    for (const spec of specs) {
      checkSpec(spec)
      let product = names.get(spec.productKey ?? '')
      if (!product) names.set(spec.productKey ?? '', (product = new Set()))
      if (product.has(spec.name)) throw new Error(`Emulator device ${spec.name} is listed twice.`)
      product.add(spec.name)
    }
    this.specs = specs
  }

  /** A product's devices, in the order they were configured (registered). */
  devices(productKey: string): readonly Device[] {
    return this.product(productKey).list
  }

  device(productKey: string, name: string): Device | undefined {
    return this.product(productKey).byName.get(name)
  }

  /**
   * The device an IotId names, among the products used so far: an IotId is only ever handed out for
   * a product some call has named. It names its product and position, so no index is needed.
   */
  deviceByIotId(iotId: string): Device | undefined {
    const named = parseIotId(iotId)
    if (!named) return undefined
    for (const [productKey, product] of this.products) {
      if (seedOf(productKey) !== named.product) continue
      const device = product.list[named.index]
      if (device && iotIdOf(device) === iotId) return device
    }
    return undefined
  }

  /** Devices that come online after minute 0, by the minute they do. */
  lateDevices(productKey: string): readonly Device[] {
    return this.product(productKey).late
  }

  private product(productKey: string) {
    let product = this.products.get(productKey)
    if (!product) {
      const list = this.specs.filter((s) => s.productKey === undefined || s.productKey === productKey).map((s, i) => toDevice(s, productKey, i))
      const late = list.filter((d) => d.onlineAtMinute > 0 && d.onlineAtMinute < Infinity).sort((a, b) => a.onlineAtMinute - b.onlineAtMinute)
      product = { list, byName: new Map(list.map((d) => [d.name, d])), late }
      this.products.set(productKey, product)
    }
    return product
  }
}

const NO_GROUPS: ReadonlySet<string> = new Set()

function toDevice(spec: DeviceSpec, productKey: string, index: number): Device {
  const behaviour = spec.behaviour ?? 'succeed'
  const never = spec.disabled === true || (behaviour === 'offline' && spec.onlineAtMinute === undefined)
  const key = `${productKey}/${spec.name}`
  return {
    key,
    name: spec.name,
    productKey,
    behaviour,
    versions: spec.versions ?? {},
    onlineAtMinute: never ? Infinity : (spec.onlineAtMinute ?? 0),
    groups: spec.groups && spec.groups.length > 0 ? new Set(spec.groups) : NO_GROUPS,
    afterUpgradeMinutes: spec.afterUpgradeMinutes ?? DEFAULT_AFTER_UPGRADE_MINUTES,
    disabled: spec.disabled === true,
    nickname: spec.nickname,
    index,
    seed: seedOf(key)
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
