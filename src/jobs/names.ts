import { INPUT } from '../constants.js'

/**
 * Input and output names of the verify and rollout actions (kebab-case, as in their action.yml).
 * `product-key` and `timeout-minutes` keep the publish action's names; in these two actions
 * `timeout-minutes` is the job's TimeoutInMinutes, not a bound on the step.
 */
const JOB_INPUT = {
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
  minFinishedDevices: 'min-finished-devices'
} as const

/** Outputs of verify and rollout; each action sets the ones its action.yml declares. */
export const JOB_OUTPUT = {
  jobId: 'job-id',
  result: 'result',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
  devices: 'devices',
  json: 'json'
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
  minFinishedDevices: 10
} as const
