import { createHmac } from 'node:crypto'

/** What identity needs of a device: its key (`${productKey}/${name}`) and where it stands in its product. */
interface Identified {
  key: string
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

/**
 * IotIds are stable per device: 20 letters and digits drawn from 64 bits of its key (ProductKey and
 * DeviceName), then `000100`, like the platform's. A cheap hash rather than a digest, so that
 * indexing 100,000 devices by IotId takes milliseconds.
 */
export function iotIdOf(device: Pick<Identified, 'key'>): string {
  const { key } = device
  let a = 0x811c9dc5
  let b = 0x2545f491
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15)
  }
  // Four 32-bit words, five base-62 characters from each.
  let id = ''
  for (let w = 0; w < 4; w++) {
    let word = fmix32(a ^ Math.imul(w + 1, 0x9e3779b1) ^ fmix32(b + w))
    for (let c = 0; c < 5; c++) {
      id += ALPHANUMERIC[word % 62]
      word = Math.floor(word / 62)
    }
  }
  return `${id}000100`
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
