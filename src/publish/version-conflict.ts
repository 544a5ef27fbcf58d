import { ActionError } from '../contract/action-error.js'
import { INPUT } from '../contract/names.js'
import type { Logger } from '../contract/logger.js'
import type { PublishDeps } from './publish.js'

/**
 * The same version with other content: fails naming `on-version-conflict`, or, with `skip`, warns
 * that nothing was published and returns (the caller reports the existing package as skipped).
 */
export function refuseOrSkip(message: string, deps: Pick<PublishDeps, 'onVersionConflict'> & { log: Pick<Logger, 'warning'> }): void {
  if (deps.onVersionConflict !== 'skip') {
    throw new ActionError(message, {
      input: INPUT.onVersionConflict,
      hint: `Publish the new build under a new version (tag), delete the old package, or set '${INPUT.onVersionConflict}: skip' to keep the existing one.`
    })
  }
  deps.log.warning(`${message} Nothing published ('${INPUT.onVersionConflict}: skip').`)
}
