import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../../src/contract/action-error.js'
import { ApiError } from '../../../src/net/api-error.js'
import { explain } from '../../../src/platform/explain.js'
import { RAM_ACTIONS, type ActionKind } from '../../../src/platform/ram.js'
import { isPermissionDenied } from '../../../src/platform/remediations.js'
import { OPERATIONS } from '../../../src/platform/operations.js'

describe('permission errors', () => {
  it.each(['Forbidden.RAM', 'Forbidden.NoPermission', 'iot.common.RamActionPermissionDeny'])('%s is a permission error', (code) => {
    expect(isPermissionDenied(code)).toBe(true)
  })

  it.each([
    ['publish', 'CreateOTAFirmware', ['iot:GenerateOTAUploadURL', 'iot:ListOTAModuleByProduct']],
    ['verify', 'CreateOTAVerifyJob', ['iot:ListOTATaskByJob', 'iot:QueryOTAJob']],
    ['rollout', 'CancelOTATaskByJob', ['iot:CreateOTAStaticUpgradeJob', 'iot:CancelOTAStrategyByJob']],
    ['prune', 'DeleteOTAFirmware', ['iot:ListOTAFirmware', 'iot:ListOTAJobByFirmware', 'iot:QueryOTAFirmware']]
  ] as [ActionKind, string, string[]][])('name the refused operation and the RAM actions of the %s action', (action, operation, others) => {
    const error = explain(new ApiError(operation, 'iot.common.RamActionPermissionDeny', 'You do not have the RAM permission.', 200), action) as ActionError
    expect(error.code).toBe('iot.common.RamActionPermissionDeny')
    expect(error.hint).toContain(`may not call ${operation}: grant it iot:${operation}.`)
    for (const other of others) expect(error.hint).toContain(other)
  })

  it('list, for each action, only operations the client declares', () => {
    const declared = new Set(Object.values(OPERATIONS).map((op) => `iot:${op.name}`))
    for (const actions of Object.values(RAM_ACTIONS)) for (const ram of actions) expect({ ram, declared: declared.has(ram) }).toEqual({ ram, declared: true })
  })
})
