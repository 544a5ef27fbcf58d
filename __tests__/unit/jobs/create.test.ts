import { describe, expect, it } from '@jest/globals'
import type { JobSummary } from '../../../src/jobs/api.js'
import { createJobOnce } from '../../../src/jobs/create.js'
import { readTasks } from '../../../src/jobs/tasks.js'
import { fakeApi, fakeDeps, pageOf, task } from '../../support/jobs-fakes.js'

const retryThrice = async <T>(_op: string, fn: () => Promise<T>): Promise<T> => {
  for (let i = 1; ; i++) {
    try {
      return await fn()
    } catch (error) {
      if (i === 3) throw error
    }
  }
}

describe('createJobOnce', () => {
  const job = (JobId: string): JobSummary => ({ JobId, JobStatus: 'IN_PROGRESS', JobType: 'UPGRADE_FIRMWARE' })

  it('sends again after a clear refusal, without looking', async () => {
    let attempts = 0
    const api = fakeApi()
    const deps = fakeDeps(api, undefined, { retry: retryThrice, isAmbiguous: () => false })
    const id = await createJobOnce(
      'Create',
      'F',
      async () => {
        if (++attempts < 3) throw new Error('Throttling')
        return { JobId: 'J', UtcCreate: '' }
      },
      { before: new Set(), isMine: async () => true },
      deps
    )
    expect([id, attempts]).toEqual(['J', 3])
    expect(api.calls).toEqual([])
  })

  it('after a lost answer adopts only a new job that is its own', async () => {
    const api = fakeApi({ listJobsByFirmware: async () => [job('OLD'), job('OTHER'), job('MINE')] })
    const deps = fakeDeps(api, undefined, { retry: retryThrice, isAmbiguous: () => true })
    let attempts = 0
    const id = await createJobOnce(
      'Create',
      'F',
      async () => {
        attempts++
        throw new Error('socket hang up')
      },
      { before: new Set(['OLD']), isMine: async (j) => j.JobId === 'MINE' },
      deps
    )
    expect([id, attempts]).toEqual(['MINE', 1])
  })

  it('sends again when the look finds nothing, and rethrows the last error', async () => {
    const api = fakeApi({ listJobsByFirmware: async () => [] })
    const deps = fakeDeps(api, undefined, { retry: retryThrice, isAmbiguous: () => true })
    let attempts = 0
    await expect(
      createJobOnce(
        'Create',
        'F',
        async () => {
          attempts++
          throw new Error(`lost ${attempts}`)
        },
        { before: new Set(), isMine: async () => true },
        deps
      )
    ).rejects.toThrow('lost 3')
    expect(api.calls).toEqual(['listJobsByFirmware', 'listJobsByFirmware'])
  })
})

describe('readTasks', () => {
  const tasks = Array.from({ length: 250 }, (_, i) => task(`device-${i}`, i % 2 ? 'FAILED' : 'SUCCEEDED'))

  it('reads every page, and only as many as asked', async () => {
    const api = fakeApi({ listTasksByJob: async (_j, page, size, status) => pageOf(tasks, page, size, status) })
    const deps = fakeDeps(api)
    expect(await readTasks(deps, 'J')).toHaveLength(250)
    expect((await readTasks(deps, 'J', 'FAILED')).every((t) => t.TaskStatus === 'FAILED')).toBe(true)
    api.calls.length = 0
    expect(await readTasks(deps, 'J', undefined, 1)).toHaveLength(100)
    expect(api.calls).toEqual(['listTasksByJob'])
  })

  it('stops at the 100,000 rows the API can reach', async () => {
    const pages: number[] = []
    const api = fakeApi({
      listTasksByJob: async (_j, page, size) => (
        pages.push(page),
        { Tasks: [task('d', 'QUEUED')], Total: 10 ** 6, CurrentPage: page, PageSize: size, PageCount: 10 ** 4 }
      )
    })
    await readTasks(fakeDeps(api), 'J')
    expect(pages.at(-1)).toBe(1000)
  })
})
