import { randomBytes, randomInt, randomUUID } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** IoT RequestIds look like `291438BA-6E10-4C4C-B761-243B9A0D324F`. */
export function newRequestId(): string {
  return randomUUID().toUpperCase()
}

/** OSS request ids are 24 upper-case hex digits. */
export function newOssRequestId(): string {
  return randomBytes(12).toString('hex').toUpperCase()
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

/** 26 characters like the platform's `UfuxnwygsuSkVE0VCN****0100`: 22 random base62 and a type suffix. */
export function newFirmwareId(): string {
  let id = ''
  for (let i = 0; i < 22; i++) id += BASE62[randomInt(BASE62.length)]
  return `${id}0100`
}
