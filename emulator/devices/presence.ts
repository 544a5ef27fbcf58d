import { churnedOffline, type ChurnOptions } from './churn.js'
import type { Device } from './fleet.js'

/** DeviceStatus as QueryDevice and BatchGetDeviceState report it. */
export type DeviceStatus = 'ONLINE' | 'OFFLINE' | 'UNACTIVE' | 'DISABLE'

export interface DevicePresence {
  status: DeviceStatus
  /** When the status last changed (BatchGetDeviceState's Timestamp). */
  changedAt: number
  /** When its latest time online began (LastOnlineTime); absent when it was never online. */
  lastOnlineAt?: number
}

/** The scaled clock as presence needs it. */
interface FleetClock {
  readonly origin: number
  readonly minuteMs: number
}

/** How many churn spans are searched back or ahead: at 90 % churn, 1,000 offline spans in a row have odds of 10^-46. */
const MAX_SPANS = 1000

/**
 * Whether a device is online at an instant, computed from the clock like everything else: it is
 * online from its activation (`onlineAtMinute`) on, except while churn has it offline and, for an
 * `offline-after-upgrade` device, from `afterUpgradeMinutes` after its first successful upgrade on.
 * A disabled device is never online. `upgradedAt` (that first success) comes from the tasks.
 */
export class Presence {
  private readonly spanMs: number
  private readonly churnPercent: number

  constructor(
    private readonly clock: FleetClock,
    churn?: Required<ChurnOptions>
  ) {
    this.spanMs = (churn?.spanMinutes ?? 1) * clock.minuteMs
    this.churnPercent = churn?.percent ?? 0
  }

  /** When the device is first online; Infinity for never. */
  activeFrom(device: Device): number {
    return device.onlineAtMinute === Infinity ? Infinity : this.clock.origin + device.onlineAtMinute * this.clock.minuteMs
  }

  /** When it goes offline for good: an `offline-after-upgrade` device, `afterUpgradeMinutes` after its first success. */
  goneFrom(device: Device, upgradedAt: number | undefined): number {
    if (device.behaviour !== 'offline-after-upgrade' || upgradedAt === undefined) return Infinity
    return upgradedAt + device.afterUpgradeMinutes * this.clock.minuteMs
  }

  isOnline(device: Device, at: number, upgradedAt?: number): boolean {
    return at >= this.activeFrom(device) && at < this.goneFrom(device, upgradedAt) && !this.churned(device, this.span(at))
  }

  /** The first instant from `from` on at which the device is online; Infinity for never. */
  nextOnline(device: Device, from: number, upgradedAt?: number): number {
    const gone = this.goneFrom(device, upgradedAt)
    let at = Math.max(from, this.activeFrom(device))
    for (let i = 0; i < MAX_SPANS && at < gone; i++) {
      const span = this.span(at)
      if (!this.churned(device, span)) return at
      at = this.spanStart(span + 1)
    }
    return Infinity
  }

  /** Its status now, since when, and when its latest time online began. */
  presenceAt(device: Device, now: number, upgradedAt?: number): DevicePresence {
    const active = this.activeFrom(device)
    if (device.disabled) return { status: 'DISABLE', changedAt: this.clock.origin }
    if (now < active) return { status: 'UNACTIVE', changedAt: this.clock.origin }
    const gone = this.goneFrom(device, upgradedAt)
    const floor = this.span(active)
    // The latest span it could be online in: now's, or the one it went offline for good in.
    let span = this.span(Math.min(now, gone - 1))
    let offlineSince = now >= gone ? gone : undefined
    if (this.churned(device, span)) {
      const first = this.runStart(device, span, floor)
      offlineSince = Math.max(active, this.spanStart(first))
      // Churned since its activation: never seen online.
      if (first <= floor) return { status: 'OFFLINE', changedAt: offlineSince }
      span = first - 1
    }
    const onlineSince = Math.max(active, this.spanStart(this.runStart(device, span, floor)))
    if (offlineSince === undefined) return { status: 'ONLINE', changedAt: onlineSince, lastOnlineAt: onlineSince }
    return { status: 'OFFLINE', changedAt: offlineSince, lastOnlineAt: onlineSince }
  }

  private span(at: number): number {
    return Math.floor((at - this.clock.origin) / this.spanMs)
  }

  private spanStart(span: number): number {
    return this.clock.origin + span * this.spanMs
  }

  private churned(device: Device, span: number): boolean {
    return this.churnPercent > 0 && span >= 0 && churnedOffline(device.seed, span, this.churnPercent)
  }

  /** The first span of the run of spans alike (churned or not) that ends with `span`, not before `floor`. */
  private runStart(device: Device, span: number, floor: number): number {
    if (this.churnPercent === 0) return floor
    const churned = this.churned(device, span)
    let first = span
    for (let i = 0; i < MAX_SPANS && first - 1 >= floor && this.churned(device, first - 1) === churned; i++) first--
    return first
  }
}
