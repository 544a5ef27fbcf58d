import type { Device } from '../devices/fleet.js'
import { grayCount, type TargetSelection } from './rules.js'

export interface FirmwareView {
  FirmwareId: string
  ProductKey?: string
  ModuleName: string
  DestVersion: string
  SrcVersion?: string
  /** 1: a differential package, which only applies to devices on its SrcVersion. */
  Type?: number
  NeedToVerify: boolean
  /** As stored: -1 no verification needed, 0 unverified (the jobs model derives the rest). */
  Status: number
  /** A package of several files: their count is what the jobs look at. */
  MultiFiles?: readonly unknown[]
}

export interface TargetRule {
  selection: TargetSelection
  /** SPECIFIC: the devices named, already resolved. */
  named?: readonly Device[]
  /** GRAY: in thousandths of a percent. */
  grayThousandths?: number
  srcVersions: readonly string[]
  groupId?: string
}

/** Whether a device on `version` is one the package can upgrade: not there yet, and on its SrcVersion if differential. */
export function upgradable(firmware: FirmwareView, version: string): boolean {
  if (version === firmware.DestVersion) return false
  return firmware.Type !== 1 || firmware.SrcVersion === undefined || version === firmware.SrcVersion
}

/**
 * The devices a static job creates tasks for, in fleet order: the selection, then the SrcVersion
 * filter, leaving out devices the package cannot upgrade; GRAY takes its share of what is left.
 */
export function selectTargets(devices: readonly Device[], rule: TargetRule, firmware: FirmwareView, versionOf: (d: Device) => string): Device[] {
  const pool = rule.selection === 'SPECIFIC' ? (rule.named ?? []) : devices
  const candidates = pool.filter((device) => {
    if (rule.selection === 'GROUP' && (rule.groupId === undefined || !device.groups.has(rule.groupId))) return false
    const version = versionOf(device)
    if (rule.srcVersions.length > 0 && !rule.srcVersions.includes(version)) return false
    return upgradable(firmware, version)
  })
  if (rule.selection !== 'GRAY') return candidates
  return candidates.slice(0, grayCount(candidates.length, rule.grayThousandths ?? 100_000))
}
