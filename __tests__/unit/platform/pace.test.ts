import { describe, expect, it } from '@jest/globals'
import { paceClassOf } from '../../../src/platform/pace.js'

describe('paceClassOf', () => {
  it.each([
    ['a poll', 'ListOTATaskByJob', { JobId: 'j', CurrentPage: '900', PageSize: '100' }, 'poll'],
    ['a create', 'CreateOTAStaticUpgradeJob', {}, 'poll'],
    ['a fleet page', 'QueryDevice', { ProductKey: 'pk', CurrentPage: '1999', PageSize: '50' }, 'bulk'],
    // CurrentPage × PageSize ≥ 100,000 is documented at 2 QPS.
    ['the page that reaches row 100,000', 'QueryDevice', { ProductKey: 'pk', CurrentPage: '2000', PageSize: '50' }, 'deep'],
    ['a deep page', 'QueryDevice', { ProductKey: 'pk', CurrentPage: '5000', PageSize: '50', NextToken: 't' }, 'deep'],
    ['a first page with the defaults', 'QueryDevice', { ProductKey: 'pk' }, 'bulk'],
    ['device states', 'BatchGetDeviceState', { ProductKey: 'pk', 'DeviceName.1': 'd' }, 'bulk'],
    ['module versions', 'ListOTAModuleVersionsByDevice', { ProductKey: 'pk', DeviceName: 'd', CurrentPage: '1', PageSize: '10' }, 'bulk']
  ])('%s', (_name, action, query, expected) => {
    expect(paceClassOf(action, query)).toBe(expected)
  })
})
