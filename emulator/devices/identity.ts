import { createHash, createHmac } from 'node:crypto'

/** What identity needs of a device: its key (`${productKey}/${name}`) and where it stands in its product. */
interface Identified {
  key: string
  index: number
  seed: number
}

/** IotIds are stable per device: 20 characters derived from ProductKey and DeviceName, then `000100`. */
export function iotIdOf(device: Pick<Identified, 'key'>): string {
  return `${createHash('sha1').update(device.key).digest('base64url').slice(0, 20)}000100`
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
