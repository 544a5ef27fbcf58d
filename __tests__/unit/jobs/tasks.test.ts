import { describe, expect, it } from '@jest/globals'
import { countTasks, readTasks } from '../../../src/jobs/tasks.js'
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

describe('countTasks', () => {
  it('reads every page when there are fewer pages than statuses, and then has the tasks at hand', async () => {
    const tasks = Array.from({ length: 250 }, (_, i) => task(`device-${i}`, i % 5 === 0 ? 'FAILED' : 'SUCCEEDED'))
    const api = fakeApi({ listTasksByJob: async (_j, page, size, status) => pageOf(tasks, page, size, status) })
    const counted = await countTasks(fakeDeps(api), 'J')
    expect(counted).toMatchObject({ total: 250, counts: { FAILED: 50, SUCCEEDED: 200 } })
    expect(counted.tasks).toHaveLength(250)
    expect(api.calls).toHaveLength(3)
  })

  it('counts by status when pages would cost more calls than statuses', async () => {
    const tasks = Array.from({ length: 900 }, (_, i) => task(`device-${i}`, 'QUEUED'))
    const api = fakeApi({ listTasksByJob: async (_j, page, size, status) => pageOf(tasks, page, size, status) })
    const counted = await countTasks(fakeDeps(api), 'J')
    expect(counted).toMatchObject({ total: 900, counts: { QUEUED: 900 } })
    expect(counted.tasks).toBeUndefined()
    expect(api.calls).toHaveLength(8)
  })
})
