/** Entry of the prune action (prune/action.yml): the retention policy applied to a product's packages. */
import type { SignedConnection } from '../config/connection.js'
import { parsePruneInputs, type PruneInputs } from '../prune/inputs.js'
import { newProgress, prunePackages, type PruneOutcome, type PruneProgress } from '../prune/prune.js'
import { pruneFailure, pruneReport } from '../prune/summary.js'
import { connect, readConnection } from './job-action.js'
import { runAction, type ActionDefinition } from './lifecycle.js'
import { log } from './runner.js'
import { now } from './wiring.js'

const prune: ActionDefinition<PruneInputs & { readonly connection: SignedConnection }, PruneOutcome, PruneProgress> = {
  what: 'OTA prune',
  // What was deleted so far: a failure partway still reports it.
  state: newProgress,
  parse(read, env) {
    const connection = readConnection(read, env)
    return { ...parsePruneInputs(read, connection), connection }
  },
  run: (inputs, progress) => prunePackages(inputs, { api: connect(inputs.connection, 'prune').api, log, now }, progress),
  report: pruneReport,
  reportFailure: ({ message, details }, progress) => pruneFailure(message, details, progress)
}

await runAction(prune)
