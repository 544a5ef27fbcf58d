/**
 * A refused call: `httpStatus` 200 is a business error (`Success: false`, Code, ErrorMessage), 400 a
 * gateway error (`Missing{Name}`), as the rest of the emulator answers them.
 */
export class JobError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: 200 | 400 = 200
  ) {
    super(message)
  }
}

export const jobErrors = {
  missing: (name: string) => new JobError(`Missing${name}`, `${name} is mandatory for this action.`, 400),
  invalidFormat: (name: string, value: string) =>
    new JobError('iot.check.InvalidFormattedParameter', `The value of ${name} is not valid: ${JSON.stringify(value)}.`),
  nullParameter: (message: string) => new JobError('iot.check.NullParameter', message),
  illegal: (message: string) => new JobError('iot.system.IllegalRequest', message),
  firmwareNotFound: () => new JobError('iot.ota.FirmwareNotFound', 'The specified firmware does not exist.'),
  productMismatch: () => new JobError('iot.ota.FirmwareAndProductKeyMismatch', 'The OTA update package is not consistent with the ProductKey.'),
  notVerified: () => new JobError('iot.ota.FirmwareNotVerified', 'The firmware validation is not completed.'),
  jobNotFound: () => new JobError('iot.ota.InvalidJobId', 'The job is not existed.'),
  deviceNotFound: (name: string) => new JobError('iot.ota.DeviceNotExist', `The device does not exist: ${name}.`),
  tooManyDevices: (name: string, max: number) => new JobError('iot.ota.TooManyOtaTask', `There are too many tasks in parameters: at most ${max} ${name}.`),
  tooMany: (name: string, max: number) => new JobError('iot.system.IllegalRequest', `At most ${max} ${name} are allowed.`),
  invalidTimeout: () => new JobError('iot.ota.InvalidTimeout', 'Parameter TimeoutInMinutes is invalid.'),
  invalidMaximumPerMinute: () => new JobError('iot.ota.InvalidMaximumPerMinute', 'Invalid MaximumPerMinute.'),
  tagTooLong: () => new JobError('iot.ota.JobTagIsTooLong', 'The tags of job exceed the maximum number of characters.'),
  emptySrcVersions: () => new JobError('iot.ota.EmptySrcVersionList', 'SrcVersionList is empty.'),
  invalidTaskStatus: () => new JobError('iot.firmware.InvalidTaskStatus', 'Invalid TaskStatus.'),
  invalidPage: (name: string, value: string) => new JobError('iot.common.InvalidPageParams', `The ${name} ${JSON.stringify(value)} is invalid.`),
  notDynamic: () => new JobError('iot.ota.noDynamicJob', 'Task is not dynamic.'),
  jobCanceled: () => new JobError('iot.ota.JobHasCanceled', 'The job has been canceled.'),
  jobFinished: () => new JobError('iot.ota.JobHasFinished', 'The job has finished.'),
  // ReupgradeOTATask's documented codes (its metadata); ConfirmOTATask documents none and uses these too.
  tooManyTasks: (name: string, max: number) => new JobError('iot.ota.TooManyOtaTask', `There are too many tasks in parameters: at most ${max} ${name}.`),
  invalidTaskId: (taskId: string) => new JobError('iot.ota.InvalidTaskId', `The tasks are not existed: ${taskId}.`),
  unmatchedJob: (taskId: string) => new JobError('iot.ota.UnmatchedJob', `The jobId and taskId do not match: ${taskId}.`),
  invalidTaskExist: (taskId: string, why: string) =>
    new JobError('iot.ota.InvalidTaskExist', `The taskId list contains at least an invalid task: ${taskId} ${why}.`),
  failedTaskNotFound: () => new JobError('iot.ota.FailedTaskNotFound', 'There are no failed tasks.'),
  deviceNotReUpgraded: (name: string, jobId: string) =>
    new JobError('iot.ota.DeviceNotReUpgraded', `There is no device can upgrade: ${name} has an unfinished task in job ${jobId}.`),
  reupgradeCanceled: () => new JobError('iot.ota.JobCanceled', 'The job has already been canceled.'),
  invalidFirmwareUid: () => new JobError('iot.ota.InvalidFirmwareUid', 'The firmware is not exist.')
}
