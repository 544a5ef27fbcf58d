import type { Device } from '../devices/fleet.js'
import type { Course, Task } from './tasks.js'

/**
 * One job's tasks: in creation order, by device name, and counted per course. Every task of a
 * course has the same state, so counting a job's tasks per status costs one state per course, not
 * one per task.
 */
export class JobTasks {
  readonly list: Task[] = []
  private readonly byDevice = new Map<Device, Task>()
  private readonly tally = new Map<Course, number>()
  private readonly shared = new Map<string, Course>()

  get size(): number {
    return this.list.length
  }

  /** Appends a task; its `seq` is its position. */
  add(task: Task): void {
    task.seq = this.list.length
    this.list.push(task)
    this.byDevice.set(task.device, task)
    this.count(task.course, 1)
  }

  /** The job's task for a device (a job has at most one per device). */
  ofDevice(device: Device): Task | undefined {
    return this.byDevice.get(device)
  }

  /** The task at a position, if there is one. */
  at(seq: number): Task | undefined {
    return this.list[seq]
  }

  /** Gives the task another course. */
  move(task: Task, course: Course): void {
    if (task.course === course) return
    this.count(task.course, -1)
    task.course = course
    this.count(course, 1)
  }

  /** Each course the job's tasks follow, with how many do. */
  courses(): IterableIterator<[Course, number]> {
    return this.tally.entries()
  }

  /** The course made under `key` for this job, made once: tasks with the same course share it. */
  course(key: string, make: () => Course): Course {
    let course = this.shared.get(key)
    if (!course) {
      course = make()
      this.shared.set(key, course)
    }
    return course
  }

  private count(course: Course, delta: number): void {
    const n = (this.tally.get(course) ?? 0) + delta
    if (n === 0) this.tally.delete(course)
    else this.tally.set(course, n)
  }
}
