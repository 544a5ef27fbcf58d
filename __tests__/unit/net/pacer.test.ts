import { describe, expect, it } from '@jest/globals'
import { createPacer } from '../../../src/net/pacer.js'

describe('createPacer', () => {
  it('spaces calls 1000/qps ms apart', async () => {
    let clock = 0
    const waits: number[] = []
    const pace = createPacer(
      4,
      () => clock,
      async (ms) => {
        waits.push(ms)
        clock += ms
      }
    )
    for (let i = 0; i < 4; i++) await pace()
    expect(waits).toEqual([250, 250, 250])
  })
  it('does not wait when calls are already spaced', async () => {
    let clock = 0
    const waits: number[] = []
    const pace = createPacer(
      4,
      () => clock,
      async (ms) => void waits.push(ms)
    )
    await pace()
    clock = 1000
    await pace()
    expect(waits).toEqual([])
  })
})
describe('createPacer with a burst', () => {
  it('lets `burst` calls through at once, then keeps to `burst` per window', async () => {
    let clock = 0
    const waits: number[] = []
    const pace = createPacer(
      4,
      () => clock,
      async (ms) => {
        waits.push(ms)
        clock += ms
      },
      4
    )
    for (let i = 0; i < 4; i++) await pace()
    expect(waits).toEqual([])
    clock = 300
    await pace()
    // The fifth call waits until a second after the first.
    expect(waits).toEqual([700])
  })
})
