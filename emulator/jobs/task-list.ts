import type { Device } from '../devices/fleet.js'
import type { JobTasks } from './job-tasks.js'
import type { Task, TaskBook } from './tasks.js'
import type { TaskState, TaskStatus } from './timeline.js'

export interface TaskQuery {
  status?: TaskStatus
  /** DeviceNames.N: these devices' tasks, whatever the page. */
  names?: readonly string[]
  page: number
  size: number
}

export interface TaskPage {
  total: number
  items: { task: Task; state: TaskState }[]
}

/**
 * ListOTATaskByJob over one job, in creation order. The total comes from the job's courses (one
 * state each); only the tasks up to the end of the page are looked at, each through its course's memo.
 */
export function listTasks(book: TaskBook, tasks: JobTasks, now: number, query: TaskQuery, device: (name: string) => Device | undefined): TaskPage {
  const matches = (state: TaskState) => query.status === undefined || state.status === query.status
  if (query.names) {
    const named = query.names
      .flatMap((name) => {
        const found = device(name)
        return (found && tasks.ofDevice(found)) ?? []
      })
      .sort((a, b) => a.seq - b.seq)
    const items = named.map((task) => ({ task, state: book.state(task, now) })).filter(({ state }) => matches(state))
    return { total: items.length, items }
  }
  let total = 0
  for (const [course, count] of tasks.courses()) if (matches(book.courseState(course, now))) total += count
  const from = (query.page - 1) * query.size
  const to = Math.min(from + query.size, total)
  const items: TaskPage['items'] = []
  let seen = 0
  for (let i = 0; i < tasks.list.length && seen < to; i++) {
    const task = tasks.list[i] as Task
    const state = book.state(task, now)
    if (!matches(state)) continue
    if (seen >= from) items.push({ task, state })
    seen++
  }
  return { total, items }
}
