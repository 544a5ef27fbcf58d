/**
 * The RAM actions each action calls (`iot:<Operation>`, Resource `*`: the IoT API has no
 * per-resource policies). The README's policies and the hint of a permission error come from here.
 */
export const RAM_ACTIONS = {
  publish: ['iot:GenerateOTAUploadURL', 'iot:CreateOTAFirmware', 'iot:ListOTAFirmware', 'iot:QueryOTAFirmware', 'iot:ListOTAModuleByProduct'],
  verify: ['iot:QueryOTAFirmware', 'iot:ListOTAJobByFirmware', 'iot:CreateOTAVerifyJob', 'iot:QueryOTAJob', 'iot:ListOTATaskByJob'],
  rollout: [
    'iot:QueryOTAFirmware',
    'iot:ListOTAJobByFirmware',
    'iot:QueryOTAJob',
    'iot:ListOTATaskByJob',
    'iot:CreateOTAStaticUpgradeJob',
    'iot:CreateOTADynamicUpgradeJob',
    'iot:CancelOTATaskByJob',
    'iot:CancelOTAStrategyByJob',
    'iot:CancelOTATaskByDevice',
    // A plan in stages (`stages`): the fleet, device-list files, retries, confirmations, the health gate.
    'iot:QueryDevice',
    'iot:GenerateDeviceNameListURL',
    'iot:ReupgradeOTATask',
    'iot:ConfirmOTATask',
    'iot:BatchGetDeviceState',
    'iot:ListOTAModuleVersionsByDevice'
  ],
  // QueryOTAFirmware: whether a delete whose answer was lost took effect.
  prune: ['iot:ListOTAFirmware', 'iot:ListOTAJobByFirmware', 'iot:DeleteOTAFirmware', 'iot:QueryOTAFirmware']
} as const satisfies Record<string, readonly `iot:${string}`[]>

export type ActionKind = keyof typeof RAM_ACTIONS

/** `a, b and c`. */
function spoken(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** What to grant when `operation` was refused, and what else the action needs. */
export function permissionHint(operation: string | undefined, action: ActionKind | undefined): string | undefined {
  if (action === undefined) return undefined
  const needed = RAM_ACTIONS[action]
  const refused = operation === undefined ? '' : `The RAM user or role may not call ${operation}: grant it iot:${operation}. `
  return `${refused}The ${action} action needs ${spoken(needed)}, with Resource "*" (see the README's RAM policy).`
}
