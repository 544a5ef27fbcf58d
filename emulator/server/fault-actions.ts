/** Which calls a fault may name, and which of them change something (so that a lost answer means something). */

/** The action name faults use for uploads to the platform's bucket. */
export const POST_OBJECT = 'PostObject'

/** OSS operations that change the bucket: their answer can be lost after they took effect. */
export const OSS_WRITES: ReadonlySet<string> = new Set([
  POST_OBJECT,
  'PutObject',
  'DeleteObject',
  'InitiateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload'
])

/**
 * OSS operations: the platform bucket's PostObject and the REST operations on user buckets. `'*'`
 * means any RPC action, never one of these.
 */
export const OSS_ACTIONS: ReadonlySet<string> = new Set([...OSS_WRITES, 'HeadObject', 'GetObjectMeta', 'GetObject', 'ListMultipartUploads'])

/** IoT actions that create, change or cancel something; the others only read (or, GenerateOTAUploadURL, hand out a ticket). */
export function isIotWrite(action: string): boolean {
  return /^(Create|Delete|Update|Modify|Cancel|Confirm|Reupgrade)/.test(action)
}

/** Whether losing this call's answer leaves an effect behind. */
export function isWrite(action: string): boolean {
  return OSS_ACTIONS.has(action) ? OSS_WRITES.has(action) : isIotWrite(action)
}
