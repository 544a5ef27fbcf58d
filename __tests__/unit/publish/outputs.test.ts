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

describe('the files output', () => {
  const files = [
    { name: 'bootloader.bin', path: 'build/bootloader/bootloader.bin', size: 24, sign: 'a'.repeat(32), url: 'https://b/ota/1.bin?Expires=1&Signature=x' },
    { name: 'app.bin', path: 'build/app.bin', size: 1000, sign: 'c'.repeat(32), url: 'https://b/ota/2.bin' }
  ]

  it('lists a package’s files (never a signed URL) and leaves the single file’s outputs empty; json holds the list itself', () => {
    const outputs = buildOutputs(makePlan(), { result: 'created', firmwareId: 'fw1', signMethod: 'MD5', files })
    const listed = [
      { name: 'bootloader.bin', size: 24, sign: 'a'.repeat(32), url: 'https://b/ota/1.bin' },
      { name: 'app.bin', size: 1000, sign: 'c'.repeat(32), url: 'https://b/ota/2.bin' }
    ]
    expect(JSON.parse(outputs.files ?? '')).toEqual(listed)
    expect(outputs).toMatchObject({ 'firmware-url': '', 'firmware-size': '', 'firmware-sign': '' })
    expect(JSON.parse(outputs.json ?? '')).toMatchObject({ files: listed, 'firmware-id': 'fw1' })
  })

  it('lists the one file of a single-file package by its name', () => {
    const artifact = { path: '/ws/build/app.bin', displayPath: 'build/app.bin', size: 2, suffix: 'bin' as const }
    const outputs = buildOutputs(makePlan(), { result: 'created', size: 2, sign: 's', signMethod: 'MD5', firmwareUrl: 'u' }, artifact)
    expect(JSON.parse(outputs.files ?? '')).toEqual([{ name: 'app.bin', size: 2, sign: 's', url: 'u' }])
  })

  it('is empty without a local file', () => {
    expect(buildOutputs(makePlan(), { result: 'created', size: 2, sign: 's', signMethod: 'MD5', firmwareUrl: 'u' }).files).toBe('')
  })
})
