import { describe, expect, it } from '@jest/globals'
import { backoffDelay, RetryPolicy, withRetry } from '../../../src/net/retry.js'

function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy & { waits: number[] } {
  const waits: number[] = []
  let clock = 0
  return {
    maxAttempts: 5,
    baseDelayMs: 1000,
    maxDelayMs: 8000,
    deadline: Number.POSITIVE_INFINITY,
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms)
      clock += ms
    },
    random: () => 0.5,
    waits,
    ...overrides
  }
}

describe('backoffDelay', () => {
  it.each([
    [1, 1, 1000],
    [2, 1, 2000],
    [3, 1, 4000],
    [4, 1, 8000],
    [6, 1, 8000],
    [3, 0, 0],
    [3, 0.5, 2000]
  ])('attempt %d with random %d waits %d ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, { baseDelayMs: 1000, maxDelayMs: 8000, random: () => random })).toBe(expected)
  })
})

describe('withRetry', () => {
  it('retries retryable failures and returns the first success', async () => {
    const p = policy()
    let calls = 0
    const result = await withRetry(
      async () => {
        calls++
        if (calls < 3) throw new Error('transient')
        return 'ok'
      },
      p,
      { isRetryable: () => true }
    )
    expect(result).toBe('ok')
    expect(calls).toBe(3)
    expect(p.waits).toEqual([500, 1000])
  })

  it('fails at once on a permanent error', async () => {
    const p = policy()
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('permanent')
        },
        p,
        { isRetryable: () => false }
      )
    ).rejects.toThrow('permanent')
    expect(calls).toBe(1)
    expect(p.waits).toEqual([])
  })

  it('stops after maxAttempts with the last error', async () => {
    const p = policy({ maxAttempts: 3 })
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error(`failure ${calls}`)
        },
        p,
        { isRetryable: () => true }
      )
    ).rejects.toThrow('failure 3')
    expect(calls).toBe(3)
  })

  it('does not wait past the deadline', async () => {
    const p = policy({ deadline: 1200 })
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw new Error('slow')
        },
        p,
        { isRetryable: () => true }
      )
    ).rejects.toThrow('slow')
    expect(calls).toBe(2)
  })

  it('reports each retry', async () => {
    const seen: number[] = []
    await withRetry(
      async (attempt) => {
        if (attempt === 1) throw new Error('x')
        return attempt
      },
      policy(),
      { isRetryable: () => true, onRetry: ({ attempt }) => seen.push(attempt) }
    )
    expect(seen).toEqual([1])
  })
})
