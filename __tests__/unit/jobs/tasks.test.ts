import { describe, expect, it } from '@jest/globals'
import { readTasks } from '../../../src/jobs/tasks.js'
import { fakeApi, fakeDeps, pageOf, task } from '../../support/jobs-fakes.js'

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
