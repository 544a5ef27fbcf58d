/**
 * Every input and output name of the four actions (kebab-case, as in their action.yml files) and
 * their defaults, in one place. Each action.yml must declare exactly its table (tested).
 */

/** The inputs every action shares to reach the IoT API (same names, defaults and fallbacks). */
const CONNECTION_INPUT = {
  accessKeyId: 'access-key-id',
  accessKeySecret: 'access-key-secret',
  securityToken: 'security-token',
  regionId: 'region-id',
  endpoint: 'endpoint',
  apiVariant: 'api-variant',
  iotInstanceId: 'iot-instance-id',
  maxAttempts: 'max-attempts',
  requestTimeoutSeconds: 'request-timeout-seconds'
} as const

/** The publish action (the repository root's action.yml). */
export const INPUT = {
  ...CONNECTION_INPUT,
  productKey: 'product-key',
  moduleName: 'module-name',
  files: 'files',
  multiFiles: 'multi-files',
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
  timeoutMinutes: 'timeout-minutes',
  dryRun: 'dry-run',
  manifestPath: 'manifest-path',
  packageQuota: 'package-quota'
} as const

/** Defaults declared in action.yml; inputs.ts applies them too so tests and local runs agree. */
export const DEFAULTS = {
  regionId: 'cn-shanghai',
  /**
   * Not declared in action.yml: left empty, an endpoint on a marketplace host picks `marketplace`
   * (connection.ts), which a declared default would hide.
   */
  apiVariant: 'alibaba',
  multiFiles: false,
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
  dryRun: false,
  /** The documented limit of OTA packages in an account (some pages say in an instance). */
  packageQuota: 500
} as const

/** Outputs every action sets: its outcome word, and every output together as one JSON object. */
export const COMMON_OUTPUT = {
  result: 'result',
  json: 'json'
} as const

export const OUTPUT = {
  ...COMMON_OUTPUT,
  firmwareId: 'firmware-id',
  utcCreate: 'utc-create',
  destVersion: 'dest-version',
  firmwareName: 'firmware-name',
  moduleName: 'module-name',
  firmwareUrl: 'firmware-url',
  firmwareSize: 'firmware-size',
  firmwareSign: 'firmware-sign',
  signMethod: 'sign-method',
  files: 'files',
  tag: 'tag',
  tagModule: 'tag-module',
  versionMajor: 'version-major',
  versionMinor: 'version-minor',
  versionPatch: 'version-patch',
  versionPrerelease: 'version-prerelease',
  isPrerelease: 'is-prerelease',
  manifestPath: 'manifest-path'
} as const

/** The prune action (prune/action.yml): retention of a product's packages. */
export const PRUNE_INPUT = {
  ...CONNECTION_INPUT,
  productKey: INPUT.productKey,
  moduleName: INPUT.moduleName,
  keepLast: 'keep-last',
  keepDays: 'keep-days',
  prereleases: 'prereleases',
  protect: 'protect',
  maxDeletions: 'max-deletions',
  dryRun: INPUT.dryRun
} as const

export const PRUNE_OUTPUT = {
  ...COMMON_OUTPUT,
  deleted: 'deleted',
  deletedIds: 'deleted-ids',
  kept: 'kept',
  accountPackages: 'account-packages'
} as const

/** Defaults declared in prune/action.yml; the parser applies them too. */
export const PRUNE_DEFAULTS = {
  prereleases: 'keep-last',
  maxDeletions: 50,
  dryRun: false
} as const

/**
 * The one environment variable of the emulator story: how long the emulator's minute lasts when it
 * runs with `--minute-ms`, so that the job actions count `wait-minutes` on the same clock.
 */
export const EMULATOR_ENV = { minuteMs: 'OTA_EMULATOR_MINUTE_MS' } as const

/** Environment variables read for credentials, in order, after the inputs. */
export const CREDENTIAL_ENV = {
  accessKeyId: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY'],
  accessKeySecret: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'],
  securityToken: ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN']
} as const

/**
 * Input and output names of the verify and rollout actions (kebab-case, as in their action.yml).
 * `product-key` and `timeout-minutes` keep the publish action's names; in these two actions
 * `timeout-minutes` is the job's TimeoutInMinutes, not a bound on the step.
 */
const JOB_INPUT = {
  ...CONNECTION_INPUT,
  productKey: INPUT.productKey,
  firmwareId: 'firmware-id',
  devices: 'devices',
  timeoutMinutes: INPUT.timeoutMinutes,
  waitMinutes: 'wait-minutes',
  needPush: 'need-push',
  needConfirm: 'need-confirm',
  downloadProtocol: 'download-protocol'
} as const

export const VERIFY_INPUT = {
  ...JOB_INPUT,
  wait: 'wait'
} as const

export const ROLLOUT_INPUT = {
  ...JOB_INPUT,
  selection: 'selection',
  grayPercent: 'gray-percent',
  groupId: 'group-id',
  groupType: 'group-type',
  srcVersions: 'src-versions',
  dynamic: 'dynamic',
  maxPerMinute: 'max-per-minute',
  retryCount: 'retry-count',
  retryInterval: 'retry-interval',
  scheduleTime: 'schedule-time',
  overwrite: 'overwrite',
  maxFailurePercent: 'max-failure-percent',
  minFinishedDevices: 'min-finished-devices',
  // Plan mode (`stages`): a rollout in stages that runs for days.
  stages: 'stages',
  fleetFile: 'fleet-file',
  minSuccessPercent: 'min-success-percent',
  soakMinutes: 'soak-minutes',
  maxFailedDevices: 'max-failed-devices',
  operation: 'operation',
  healthCheck: 'health-check',
  maxUnhealthyPercent: 'max-unhealthy-percent',
  healthSample: 'health-sample'
} as const

/** Outputs of verify and rollout; each action sets the ones its action.yml declares. */
export const JOB_OUTPUT = {
  ...COMMON_OUTPUT,
  jobId: 'job-id',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
  devices: 'devices',
  // Plan mode of the rollout action.
  stage: 'stage',
  stages: 'stages',
  jobIds: 'job-ids',
  nextStageAfter: 'next-stage-after',
  unhealthyPercent: 'unhealthy-percent',
  controlUnhealthyPercent: 'control-unhealthy-percent'
} as const

/** Defaults declared in the action.yml files; the parsers apply them too. */
export const JOB_DEFAULTS = {
  verifyTimeoutMinutes: 30,
  /** verify's wait-minutes default: the job's timeout plus this, for devices to come online. */
  verifyWaitMarginMinutes: 15,
  wait: true,
  rolloutWaitMinutes: 0,
  needPush: true,
  needConfirm: false,
  downloadProtocol: 'HTTPS',
  selection: 'all',
  dynamic: false,
  overwrite: false,
  minFinishedDevices: 10,
  minSuccessPercent: 95,
  soakMinutes: 60,
  operation: 'advance',
  healthCheck: 'none',
  maxUnhealthyPercent: 5,
  healthSample: 200
} as const
