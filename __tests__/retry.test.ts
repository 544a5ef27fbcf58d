import { describe, expect, it } from '@jest/globals'
import { createPacer } from '../src/net/pacer.js'
import { createProgressReporter } from '../src/report/progress.js'
import { formatBytes } from '../src/report/format.js'
import { backoffDelay, RetryPolicy, withRetry } from '../src/net/retry.js'

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
    const result = await withRetry(async () => {
      calls++
      if (calls < 3) throw new Error('transient')
      return 'ok'
    }, p, { isRetryable: () => true })
    expect(result).toBe('ok')
    expect(calls).toBe(3)
    expect(p.waits).toEqual([500, 1000])
  })

  it('fails at once on a permanent error', async () => {
    const p = policy()
    let calls = 0
    await expect(withRetry(async () => {
      calls++
      throw new Error('permanent')
    }, p, { isRetryable: () => false })).rejects.toThrow('permanent')
    expect(calls).toBe(1)
    expect(p.waits).toEqual([])
  })

  it('stops after maxAttempts with the last error', async () => {
    const p = policy({ maxAttempts: 3 })
    let calls = 0
    await expect(withRetry(async () => {
      calls++
      throw new Error(`failure ${calls}`)
    }, p, { isRetryable: () => true })).rejects.toThrow('failure 3')
    expect(calls).toBe(3)
  })

  it('does not wait past the deadline', async () => {
    const p = policy({ deadline: 1200 })
    let calls = 0
    await expect(withRetry(async () => {
      calls++
      throw new Error('slow')
    }, p, { isRetryable: () => true })).rejects.toThrow('slow')
    expect(calls).toBe(2)
  })

  it('reports each retry', async () => {
    const seen: number[] = []
    await withRetry(async (attempt) => {
      if (attempt === 1) throw new Error('x')
      return attempt
    }, policy(), { isRetryable: () => true, onRetry: ({ attempt }) => seen.push(attempt) })
    expect(seen).toEqual([1])
  })
})

describe('createPacer', () => {
  it('spaces calls 1000/qps ms apart', async () => {
    let clock = 0
    const waits: number[] = []
    const pace = createPacer(4, () => clock, async (ms) => {
      waits.push(ms)
      clock += ms
    })
    for (let i = 0; i < 4; i++) await pace()
    expect(waits).toEqual([250, 250, 250])
  })
  it('does not wait when calls are already spaced', async () => {
    let clock = 0
    const waits: number[] = []
    const pace = createPacer(4, () => clock, async (ms) => void waits.push(ms))
    await pace()
    clock = 1000
    await pace()
    expect(waits).toEqual([])
  })
})

describe('progress', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [512 * 1024 * 1024, '512.0 MiB'],
    [1048576000, '1000.0 MiB'],
    [2 * 1024 ** 3, '2.0 GiB']
  ])('formatBytes(%d) = %s', (n, text) => {
    expect(formatBytes(n)).toBe(text)
  })

  it('prints about one line per 10% with rate and ETA, never per chunk', () => {
    let clock = 0
    const lines: string[] = []
    const report = createProgressReporter(1000 * 1024 * 1024, () => clock, (l) => lines.push(l))
    for (let sent = 0; sent <= 1000; sent++) {
      clock = sent * 10
      report(sent * 1024 * 1024)
    }
    expect(lines).toHaveLength(10)
    expect(lines[0]).toBe('Uploaded 100.0 MiB of 1000.0 MiB (10%), 100.0 MiB/s, about 9 s left')
    expect(lines[9]).toContain('(100%)')
    expect(lines[9]).toContain('done')
  })
})
