import { createHmac } from 'node:crypto'

/** What identity needs of a device: its key (`${productKey}/${name}`), product, place in it and seed. */
interface Identified {
  key: string
  productKey: string
  index: number
  seed: number
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** murmur3's 32-bit finalizer. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** `n` in `width` base-62 digits, the lowest first. */
function base62(n: number, width: number): string {
  let text = ''
  for (let i = 0; i < width; i++, n = Math.floor(n / 62)) text += ALPHANUMERIC[n % 62]
  return text
}

function fromBase62(text: string): number {
  let n = 0
  for (let i = text.length - 1; i >= 0; i--) n = n * 62 + ALPHANUMERIC.indexOf(text[i] ?? '')
  return n
}

const IOT_ID = /^[0-9A-Za-z]{10}([0-9A-Za-z]{6})([0-9A-Za-z]{4})000100$/

/**
 * IotIds: 20 letters and digits, then `000100`, like the platform's, the same on every run. The
 * first 10 are drawn from the device's key (so that they look random), the next 6 name its product
 * (a hash of the ProductKey) and the last 4 its position there: an IotId leads back to its device
 * without an index of the fleet.
 */
export function iotIdOf(device: Identified): string {
  const head = base62(fmix32(device.seed ^ 0x9e3779b1), 5) + base62(fmix32(device.seed + 0x7f4a7c15), 5)
  return `${head}${base62(seedOf(device.productKey), 6)}${base62(device.index, 4)}000100`
}

/** The product hash and the position an IotId of the emulator's names; undefined for any other text. */
export function parseIotId(iotId: string): { product: number; index: number } | undefined {
  const match = IOT_ID.exec(iotId)
  return match ? { product: fromBase62(match[1] ?? ''), index: fromBase62(match[2] ?? '') } : undefined
}

/**
 * A DeviceSecret: 32 hexadecimal characters, from a salt drawn at random when the emulator starts,
 * so that each run's secrets differ and no two devices share one. It is the device's credential:
 * QueryDevice hands it out, nothing logs it.
 */
export function deviceSecretOf(device: Pick<Identified, 'key'>, salt: Buffer): string {
  return createHmac('sha256', salt).update(device.key).digest('hex').slice(0, 32)
}

/** 32 bits of FNV-1a over the key: cheap, and the same on every run. */
export function seedOf(key: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193)
  return hash >>> 0
}

/** When the device was registered: its product's devices one a second, in order, the last a second before `origin`. */
export function registeredAt(device: Pick<Identified, 'index'>, count: number, origin: number): number {
  return origin - (count - device.index) * 1000
}

/** The address the device connects from (AsAddress), a private one drawn from its seed. */
export function addressOf(device: Pick<Identified, 'seed'>): string {
  const { seed } = device
  return `10.${(seed >>> 16) & 255}.${(seed >>> 8) & 255}.${(seed & 255) % 254 || 1}`
}
