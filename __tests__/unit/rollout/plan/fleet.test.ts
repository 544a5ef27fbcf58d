import { describe, expect, it } from '@jest/globals'
import { actionErrorOf } from '../../../support/action-error.js'
import { fakeApi, fakeDeps } from '../../../support/jobs-fakes.js'
import { parseFleetFile, readFleetFile, readProductDevices } from '../../../../src/rollout/plan/fleet.js'

describe('parseFleetFile', () => {
  it('reads one DeviceName a line, skipping comments and blank lines', () => {
    expect(parseFleetFile('# the fleet\nsensor-0001\n\n  sensor-0002  # spare\r\nsensor-0003\n', 'fleet.txt')).toEqual([
      'sensor-0001',
      'sensor-0002',
      'sensor-0003'
    ])
  })

  it.each([
    ['sensor-0001\nbad name\n', /line 2 of fleet.txt is "bad name", not a DeviceName/],
    ['sensor-0001\nsensor-0001\n', /line 2 of fleet.txt lists sensor-0001 a second time/],
    ['# nothing\n\n', /names no device/]
  ])('refuses %j naming the line', (text, message) => {
    const error = actionErrorOf(() => parseFleetFile(text, 'fleet.txt'))
    expect(error.input).toBe('fleet-file')
    expect(error.message).toMatch(message)
  })

  it('says which file could not be read', async () => {
    const deps = fakeDeps(fakeApi(), undefined, { readWorkspaceFile: async () => Promise.reject(new Error('ENOENT: no such file')) })
    await expect(readFleetFile('missing.txt', deps)).rejects.toMatchObject({
      input: 'fleet-file',
      message: expect.stringContaining('"missing.txt", which cannot be read: ENOENT')
    })
  })
})

describe('readProductDevices', () => {
  it('reads every page of 50, passing each answer’s NextToken on, and keeps each device once', async () => {
    const all = Array.from({ length: 120 }, (_, i) => `dev-${String(i).padStart(4, '0')}`)
    const asked: [number, string | undefined][] = []
    const api = fakeApi({
      queryDevices: async (_pk, page, size, token) => {
        asked.push([page, token])
        // A device registered meanwhile shifts a row onto the next page.
        const rows = all.slice((page - 1) * size - (page > 1 ? 1 : 0), page * size)
        return { Devices: rows.map((DeviceName) => ({ DeviceName })), Total: all.length, NextToken: page < 3 ? `t${page}` : '' }
      }
    })
    expect(await readProductDevices('P', fakeDeps(api))).toEqual(all)
    expect(asked).toEqual([
      [1, undefined],
      [2, 't1'],
      [3, 't2']
    ])
  })
})
