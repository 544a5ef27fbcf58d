import { describe, expect, it } from '@jest/globals'
import { makePlan } from '../../support/plan.js'
import { buildOutputs } from '../../../src/publish/outputs.js'

describe('buildOutputs', () => {
  it('sets every output, and json holds them all', () => {
    const outputs = buildOutputs(makePlan(), { result: 'created', firmwareId: 'fw1', utcCreate: 't', size: 2, sign: 's', signMethod: 'MD5', firmwareUrl: 'u' })
    expect(outputs).toMatchObject({
      'firmware-id': 'fw1',
      'module-name': 'wifi',
      'tag-module': 'wifi',
      'version-major': '1',
      'is-prerelease': 'false',
      result: 'created'
    })
    const { json, ...rest } = outputs
    expect(JSON.parse(json ?? '')).toEqual(rest)
  })
})
