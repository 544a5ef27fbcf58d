/**
 * Why a task failed, in a few classes a person can act on, read from what the device reported
 * (TaskDesc, with the step it failed at: the Link SDK reports -1 upgrade failed, -2 download failed,
 * -3 verification failed, -4 flash failed) and from the platform's own words (busy, timeout).
 */
import { isBusyElsewhere } from '../platform/job-rules.js'
import type { OtaTask } from '../platform/models.js'

export const FAILURE_CLASSES = ['busy', 'timeout', 'download', 'checksum', 'install', 'rejected', 'other'] as const
export type FailureClass = (typeof FAILURE_CLASSES)[number]

/** What each class means, for the summary. */
export const FAILURE_CLASS_TEXT: Readonly<Record<FailureClass, string>> = {
  busy: 'busy in another batch (not counted)',
  timeout: 'timed out',
  download: 'download failed',
  checksum: 'checksum or signature failed',
  install: 'flash or install failed',
  rejected: 'rejected by the device',
  other: 'other'
}

const RULES: readonly (readonly [Exclude<FailureClass, 'busy' | 'other'>, RegExp])[] = [
  ['timeout', /time[ d-]?out|timed out|超时/i],
  ['download', /step -2\b|download|下载/i],
  ['checksum', /step -3\b|checksum|signature|verif|md5|sha-?256|校验|签名/i],
  ['install', /step -4\b|flash|burn|install|write|烧写|安装/i],
  ['rejected', /reject|refus|declin|denied|拒绝/i]
]

export function classifyFailure(task: Pick<OtaTask, 'TaskDesc'>): FailureClass {
  if (isBusyElsewhere(task.TaskDesc)) return 'busy'
  const desc = task.TaskDesc ?? ''
  return RULES.find(([, pattern]) => pattern.test(desc))?.[0] ?? 'other'
}

/** How many failed tasks fall in each class (every class listed, zeros included). */
export function countFailureClasses(tasks: readonly Pick<OtaTask, 'TaskDesc'>[]): Record<FailureClass, number> {
  const counts = Object.fromEntries(FAILURE_CLASSES.map((c) => [c, 0])) as Record<FailureClass, number>
  for (const task of tasks) counts[classifyFailure(task)]++
  return counts
}
