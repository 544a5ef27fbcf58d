import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../../../src/contract/action-error.js'
import { ApiError } from '../../../src/net/api-error.js'
import { TransportError } from '../../../src/net/transport.js'
import { createRetrier } from '../../../src/platform/retrier.js'

const policy = {
  maxAttempts: 4,
  baseDelayMs: 1,
  maxDelayMs: 1,
  deadline: Number.POSITIVE_INFINITY,
  now: () => 0,
  sleep: async () => undefined,
  random: () => 0
}

// upload-mode oss retries each request with the run's retry, inside the publish's retry of the
// whole upload: an error that used up its own retries must not be retried again outside.
describe('a retry inside a retry', () => {
  const retry = createRetrier(policy, { warning: () => undefined })

  it.each([
    ['a network error', () => new TransportError('UploadPart: socket hang up', 'network', true)],
    ['a 503', () => new ApiError('UploadPart', 'ServiceUnavailable', 'UploadPart failed: ServiceUnavailable', 503)]
  ])('%s that used up the inner attempts reaches the outer retry explained, and is not retried there', async (_name, failure) => {
    let sent = 0
    const request = () =>
      retry('UploadPart', async () => {
        sent++
        throw failure()
      })
    const outcome = await retry('Upload', request).catch((error: unknown) => error)
    expect(outcome).toBeInstanceOf(ActionError)
    expect(sent).toBe(policy.maxAttempts)
  })

  it("an error that is not a request's (an object that arrived damaged) is retried outside", async () => {
    let attempts = 0
    await retry('Upload', async () => {
      if (++attempts < 3) throw new TransportError('the object does not match the file', 'network', true, 'EBADDIGEST')
    })
    expect(attempts).toBe(3)
  })
})
