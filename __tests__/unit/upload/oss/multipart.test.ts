import { describe, expect, it } from '@jest/globals'
import { PART_BYTES, uploadInParts, type MultipartContext, type MultipartRequests } from '../../../../src/upload/oss/multipart.js'
import type { OpenUpload } from '../../../../src/upload/oss/open-uploads.js'

// The loop's decisions over fake requests (each one stands for a request already retried on its own).
const KEY = 'ota/big.bin'
const SIZE = 5 * PART_BYTES + 1000

interface Fake {
  requests: MultipartRequests
  calls: string[]
}

function fake(overrides: Partial<MultipartRequests> = {}, listed: OpenUpload[] = []): Fake {
  const calls: string[] = []
  const requests: MultipartRequests = {
    initiate: async () => (calls.push('initiate'), 'U1'),
    uploadPart: async (_id, part) => (calls.push(`part ${part.number}`), `"E${part.number}"`),
    complete: async (_id, parts) => (calls.push(`complete ${parts.map((p) => p.number).join(',')}`), undefined),
    abort: async (uploadId) => void calls.push(`abort ${uploadId}`),
    listOpen: async () => (calls.push('list'), { uploads: listed, date: new Date().toUTCString(), answeredAt: Date.now() }),
    holdsFile: async () => (calls.push('head'), true)
  }
  for (const [name, fn] of Object.entries(overrides)) {
    const own = fn as (...args: unknown[]) => Promise<unknown>
    ;(requests as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => (calls.push(name), own(...args))
  }
  return { requests, calls }
}

function context(overrides: Partial<MultipartContext> = {}): MultipartContext & { lines: string[]; reported: number[] } {
  const lines: string[] = []
  const reported: number[] = []
  return {
    key: KEY,
    location: `oss://bucket/${KEY}`,
    size: SIZE,
    now: Date.now,
    cancel: new AbortController().signal,
    report: (bytes) => void reported.push(bytes),
    log: { info: (m) => void lines.push(m), warning: (m) => void lines.push(`warning: ${m}`) },
    lines,
    reported,
    ...overrides
  }
}

const parts = (calls: string[]): string[] => calls.filter((c) => c.startsWith('part ')).sort()

describe('uploadInParts', () => {
  it('initiates once, sends each part once, completes with every part in order, and aborts nothing', async () => {
    const { requests, calls } = fake()
    const ctx = context()
    await uploadInParts(requests, ctx)
    expect(calls[0]).toBe('initiate')
    expect(parts(calls)).toEqual(['part 1', 'part 2', 'part 3', 'part 4', 'part 5', 'part 6'])
    expect(calls.at(-1)).toBe('complete 1,2,3,4,5,6')
    expect(ctx.reported.at(-1)).toBe(SIZE)
    expect(ctx.lines[0]).toBe(`Uploading 80.0 MiB to oss://bucket/${KEY} in 6 parts, 4 at a time`)
  })

  it('after an Initiate whose answer was lost, lists the key and aborts the uploads this run opened, not older ones', async () => {
    const recent = new Date(Date.now() + 1000).toISOString()
    const listed = [
      { key: KEY, uploadId: 'OLDER', initiated: '2020-01-01T00:00:00.000Z' },
      { key: KEY, uploadId: 'LOST', initiated: recent },
      { key: KEY, uploadId: 'U1', initiated: recent }
    ]
    const { requests, calls } = fake(
      {
        initiate: async (_stop: AbortSignal, onUnknown: () => void) => {
          onUnknown()
          return 'U1'
        }
      },
      listed
    )
    await uploadInParts(requests, context())
    expect(calls.slice(-2)).toEqual(['list', 'abort LOST'])
  })

  it("a part that fails for good stops the others, aborts the upload and fails with that part's error", async () => {
    const refused = new Error('UploadPart failed: AccessDenied')
    const { requests, calls } = fake({
      uploadPart: async (_id: string, part: { number: number }, _total: number, stop: AbortSignal) => {
        if (part.number === 2) throw refused
        // The others are in flight until the loop stops them.
        await new Promise((resolve) => setTimeout(resolve, 20))
        if (stop.aborted) throw new Error('stopped')
        return 'E'
      }
    })
    await expect(uploadInParts(requests, context())).rejects.toBe(refused)
    // Four at a time: parts 5 and 6 never started.
    expect(calls.filter((c) => c === 'uploadPart')).toHaveLength(4)
    expect(calls.at(-1)).toBe('abort U1')
    expect(calls).not.toContain('list')
  })

  it('a Complete refused after a lost answer is accepted when the object holds the file', async () => {
    const { requests, calls } = fake({ complete: async () => new Error('CompleteMultipartUpload failed: NoSuchUpload') })
    const ctx = context()
    await uploadInParts(requests, ctx)
    expect(calls.slice(-2)).toEqual(['complete', 'head'])
    expect(ctx.lines.at(-1)).toContain('The answer to CompleteMultipartUpload was lost')
  })

  it('a Complete refused after a lost answer fails when the object does not hold the file, and the upload is aborted', async () => {
    const refusal = new Error('CompleteMultipartUpload failed: NoSuchUpload')
    const { requests, calls } = fake({ complete: async () => refusal, holdsFile: async () => false })
    await expect(uploadInParts(requests, context())).rejects.toBe(refusal)
    expect(calls.slice(-3)).toEqual(['complete', 'holdsFile', 'abort U1'])
  })

  it("the run's cancel stops the parts and aborts the upload", async () => {
    const cancel = new AbortController()
    const { requests, calls } = fake({
      uploadPart: async (_id: string, part: { number: number }, _total: number, stop: AbortSignal) => {
        if (part.number === 1) cancel.abort()
        if (stop.aborted) throw new Error('stopped')
        return 'E'
      }
    })
    await expect(uploadInParts(requests, context({ cancel: cancel.signal }))).rejects.toThrow('stopped')
    expect(calls).not.toContain('complete')
    expect(calls.at(-1)).toBe('abort U1')
  })

  it('an Initiate that failed for good after an unknown outcome still looks for what it opened', async () => {
    const failure = new Error('InitiateMultipartUpload failed: InternalError')
    const recent = new Date(Date.now() + 1000).toISOString()
    const { requests, calls } = fake(
      {
        initiate: async (_stop: AbortSignal, onUnknown: () => void) => {
          onUnknown()
          throw failure
        }
      },
      [{ key: KEY, uploadId: 'LOST', initiated: recent }]
    )
    await expect(uploadInParts(requests, context())).rejects.toBe(failure)
    expect(calls).toEqual(['initiate', 'list', 'abort LOST'])
  })

  it('a listing that fails is a warning: the upload itself stands', async () => {
    const { requests } = fake({
      initiate: async (_stop: AbortSignal, onUnknown: () => void) => (onUnknown(), 'U1'),
      listOpen: async () => {
        throw new Error('ListMultipartUploads failed: AccessDenied')
      }
    })
    const ctx = context()
    await uploadInParts(requests, ctx)
    expect(ctx.lines.at(-1)).toMatch(
      /^warning: Could not list the open multipart uploads of oss:\/\/bucket\/ota\/big\.bin \(ListMultipartUploads failed: AccessDenied\)/
    )
  })
})
