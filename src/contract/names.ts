/** Input names (kebab-case, as in action.yml) and their defaults. action.yml must agree (tested). */
export const INPUT = {
  accessKeyId: 'access-key-id',
  accessKeySecret: 'access-key-secret',
  securityToken: 'security-token',
  regionId: 'region-id',
  endpoint: 'endpoint',
  apiVariant: 'api-variant',
  iotInstanceId: 'iot-instance-id',
  productKey: 'product-key',
  moduleName: 'module-name',
  files: 'files',
  uploadMode: 'upload-mode',
  ossBucket: 'oss-bucket',
  ossRegion: 'oss-region',
  ossEndpoint: 'oss-endpoint',
  ossKey: 'oss-key',
  firmwareUrl: 'firmware-url',
  firmwareSize: 'firmware-size',
  firmwareSign: 'firmware-sign',
  destVersion: 'dest-version',
  tagPattern: 'tag-pattern',
  versionFormat: 'version-format',
  buildMetadata: 'build-metadata',
  tagFromSha: 'tag-from-sha',
  moduleMismatch: 'module-mismatch',
  prerelease: 'prerelease',
  firmwareName: 'firmware-name',
  firmwareDesc: 'firmware-desc',
  udi: 'udi',
  needToVerify: 'need-to-verify',
  signMethod: 'sign-method',
  firmwareType: 'firmware-type',
  srcVersion: 'src-version',
  onVersionConflict: 'on-version-conflict',
  maxAttempts: 'max-attempts',
  timeoutMinutes: 'timeout-minutes',
  requestTimeoutSeconds: 'request-timeout-seconds',
  dryRun: 'dry-run',
  manifestPath: 'manifest-path'
} as const

/** Defaults declared in action.yml; inputs.ts applies them too so tests and local runs agree. */
export const DEFAULTS = {
  regionId: 'cn-shanghai',
  /**
   * Not declared in action.yml: left empty, an endpoint on a marketplace host picks `marketplace`
   * (connection.ts), which a declared default would hide.
   */
  apiVariant: 'alibaba',
  uploadMode: 'platform',
  versionFormat: 'strict',
  buildMetadata: 'strip',
  tagFromSha: false,
  moduleMismatch: 'fail',
  prerelease: 'allow',
  needToVerify: true,
  signMethod: 'MD5',
  firmwareType: 'full',
  onVersionConflict: 'fail',
  maxAttempts: 5,
  timeoutMinutes: 30,
  requestTimeoutSeconds: 60,
  dryRun: false
} as const

export const OUTPUT = {
  firmwareId: 'firmware-id',
  utcCreate: 'utc-create',
  destVersion: 'dest-version',
  firmwareName: 'firmware-name',
  moduleName: 'module-name',
  firmwareUrl: 'firmware-url',
  firmwareSize: 'firmware-size',
  firmwareSign: 'firmware-sign',
  signMethod: 'sign-method',
  result: 'result',
  tag: 'tag',
  tagModule: 'tag-module',
  versionMajor: 'version-major',
  versionMinor: 'version-minor',
  versionPatch: 'version-patch',
  versionPrerelease: 'version-prerelease',
  isPrerelease: 'is-prerelease',
  manifestPath: 'manifest-path',
  json: 'json'
} as const

/** Environment variables read for credentials, in order, after the inputs. */
export const CREDENTIAL_ENV = {
  accessKeyId: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY'],
  accessKeySecret: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'],
  securityToken: ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN']
} as const
