import { RAM_ACTIONS, type ActionKind } from '../src/platform/ram.js'

/** The README's RAM policy of one action: exactly the RAM actions it calls, as a policy document. */
export function renderRamPolicy(action: ActionKind): string {
  const policy = { Version: '1', Statement: [{ Effect: 'Allow', Action: RAM_ACTIONS[action], Resource: '*' }] }
  return '```json\n' + JSON.stringify(policy, null, 2) + '\n```'
}
