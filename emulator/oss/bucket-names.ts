/** The bucket GenerateOTAUploadURL hands out: the platform's own, never a user's. */
export const PLATFORM_BUCKET = 'iotx-ota'

/** OSS bucket names: 3 to 63 lower-case letters, digits and hyphens, a letter or digit at each end. */
export const BUCKET_NAME = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/
