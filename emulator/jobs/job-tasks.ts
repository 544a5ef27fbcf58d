import type { Device } from '../devices/fleet.js'
import type { Course, Task } from './tasks.js'

/**
 * One job's tasks: in creation order, by device name, and counted per course. Every task of a
 * course has the same state, so counting a job's tasks per status costs one state per course, not
 * one per task.
 */
export class JobTasks {
  readonly list: Task[] = []
  /** Built on the first look-up by device (DeviceNames.N), then kept up to date. */
  private byDevice: Map<Device, Task> | undefined
  private readonly tally = new Map<Course, number>()
  private readonly shared = new Map<number, Map<number, Map<string, Course>>>()

  get size(): number {
    return this.list.length
  }

  /** Appends a task, whose `seq` must be its position (`size` before). */
  add(task: Task): void {
    this.list.push(task)
    this.byDevice?.set(task.device, task)
    this.count(task.course, 1)
  }

  /** The job's task for a device (a job has at most one per device). */
  ofDevice(device: Device): Task | undefined {
    this.byDevice ??= new Map(this.list.map((t) => [t.device, t]))
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

  /**
   * The course of the tasks created at `at`, first pushed at `pushAt`, of devices of one behaviour:
   * made once, then shared (looked up by numbers and the behaviour's name, no key built per task).
   */
  course(at: number, pushAt: number, behaviour: string, make: () => Course): Course {
    let byPush = this.shared.get(at)
    if (!byPush) this.shared.set(at, (byPush = new Map()))
    let byBehaviour = byPush.get(pushAt)
    if (!byBehaviour) byPush.set(pushAt, (byBehaviour = new Map()))
    let course = byBehaviour.get(behaviour)
    if (!course) byBehaviour.set(behaviour, (course = make()))
    return course
  }

  private count(course: Course, delta: number): void {
    const n = (this.tally.get(course) ?? 0) + delta
    if (n === 0) this.tally.delete(course)
    else this.tally.set(course, n)
  }
}
