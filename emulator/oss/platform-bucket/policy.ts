import { signOssPolicy } from '../../signing/oss-policy.js'
import { OssError, ossErrors } from '../../server/responses.js'
import { PLATFORM_BUCKET } from '../bucket-names.js'
import { MAX_UPLOAD_BYTES } from '../../iot/documented-rules.js'

/** The emulator's own OSS key pair: like the platform's, users never see its secret. */
export interface OssKey {
  accessKeyId: string
  accessKeySecret: string
}

interface IssuedPolicy {
  /** Base64 of the policy document. */
  policy: string
  signature: string
}

/** The policy GenerateOTAUploadURL hands out: exactly this key, at most maxBytes, this bucket, until expiresAt. */
export function issueUploadPolicy(key: string, expiresAt: number, maxBytes: number, ossKey: OssKey): IssuedPolicy {
  const document = {
    expiration: new Date(expiresAt).toISOString(),
    conditions: [['eq', '$key', key], ['content-length-range', 0, maxBytes], { bucket: PLATFORM_BUCKET }]
  }
  const policy = Buffer.from(JSON.stringify(document), 'utf8').toString('base64')
  return { policy, signature: signOssPolicy(policy, ossKey.accessKeySecret) }
}

/** What a valid upload form may store. */
export interface UploadGrant {
  key: string
  minBytes: number
  maxBytes: number
}

const { accessDenied, invalidArgument } = ossErrors
const invalidPolicy = (message: string) => new OssError(400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`)

/**
 * Checks a PostObject form as OSS does when the file part begins: `fields` are the fields seen so
 * far (names lower-cased), `filename` the file part's, for `${filename}` in the key.
 */
export function authorizeUpload(fields: ReadonlyMap<string, string>, filename: string | undefined, ossKey: OssKey, now: number): UploadGrant {
  const rawKey = fields.get('key')
  if (!rawKey) {
    throw invalidArgument("Bucket POST must contain a field named 'key'. If it is specified, please check the order of the fields.")
  }
  const key = rawKey.replaceAll('${filename}', filename ?? '')
  const accessKeyId = fields.get('ossaccesskeyid')
  const policy = fields.get('policy')
  const signature = fields.get('signature')
  const given = [accessKeyId, policy, signature].filter((v) => v !== undefined).length
  // The bucket is private: an anonymous form may not write to it.
  if (given === 0) throw accessDenied('You have no right to access this object because of bucket acl.')
  if (given < 3) throw invalidArgument('OSSAccessKeyId, policy and Signature must be given together.')
  if (accessKeyId !== ossKey.accessKeyId) {
    throw ossErrors.unknownAccessKey()
  }
  if (signOssPolicy(policy ?? '', ossKey.accessKeySecret) !== signature) {
    throw ossErrors.signatureMismatch()
  }
  const document = decodePolicy(policy ?? '')
  const expiration = typeof document.expiration === 'string' ? Date.parse(document.expiration) : NaN
  if (Number.isNaN(expiration)) throw invalidPolicy(`Invalid 'expiration' value: ${JSON.stringify(document.expiration)}`)
  if (expiration <= now) throw accessDenied('Invalid according to Policy: Policy expired.')
  const range = checkConditions(document.conditions, (name) => {
    const lower = name.toLowerCase()
    if (lower === 'bucket') return PLATFORM_BUCKET
    return lower === 'key' ? key : fields.get(lower)
  })
  return { key, minBytes: range.min, maxBytes: Math.min(range.max, MAX_UPLOAD_BYTES) }
}

function decodePolicy(policy: string): Record<string, unknown> {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'))
  } catch (error) {
    throw invalidPolicy(`Invalid JSON: ${(error as Error).message}`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidPolicy('Invalid JSON: not an object.')
  return parsed as Record<string, unknown>
}

/** OSS prints a failed condition as `["eq", "$key", "value"]`. */
function describe(condition: readonly unknown[]): string {
  return `[${condition.map((part) => JSON.stringify(part)).join(', ')}]`
}

function checkConditions(conditions: unknown, field: (name: string) => string | undefined): { min: number; max: number } {
  if (!Array.isArray(conditions)) throw invalidPolicy("Invalid 'conditions' value.")
  const range = { min: 0, max: MAX_UPLOAD_BYTES }
  const failed = (condition: readonly unknown[]) => accessDenied(`Invalid according to Policy: Policy Condition failed: ${describe(condition)}`)
  for (const condition of conditions as unknown[]) {
    if (Array.isArray(condition)) {
      const [op, a, b] = condition as unknown[]
      const name = typeof op === 'string' ? op.toLowerCase() : ''
      if (name === 'content-length-range') {
        if (typeof a !== 'number' || typeof b !== 'number') throw invalidPolicy(`Invalid condition: ${describe(condition)}`)
        range.min = a
        range.max = b
        continue
      }
      if ((name !== 'eq' && name !== 'starts-with') || typeof a !== 'string' || !a.startsWith('$') || typeof b !== 'string') {
        throw invalidPolicy(`Invalid condition: ${describe(condition)}`)
      }
      const actual = field(a.slice(1))
      const ok = name === 'eq' ? actual === b : actual !== undefined && actual.startsWith(b)
      if (!ok) throw failed(condition)
    } else if (typeof condition === 'object' && condition !== null) {
      for (const [name, expected] of Object.entries(condition as Record<string, unknown>)) {
        if (field(name) !== expected) throw failed(['eq', `$${name}`, expected])
      }
    } else {
      throw invalidPolicy(`Invalid condition: ${JSON.stringify(condition)}`)
    }
  }
  return range
}
