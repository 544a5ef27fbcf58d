/** `2019-11-04T06:22:19.566Z`: the Utc* fields. */
export const utc = (at: number) => new Date(at).toISOString()

/** `Wed, 20-Feb-2019 02:16:09 GMT`: QueryDevice's Gmt* fields. */
export function gmt(at: number): string {
  return new Date(at).toUTCString().replace(/^(\w{3}), (\d{2}) (\w{3}) (\d{4})/, '$1, $2-$3-$4')
}

/** `2020-01-17 16:19:11`, no zone: BatchGetDeviceState's LastOnlineTime, in UTC+8 (China Standard Time, as the documented samples read). */
export function chinaTime(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ')
}
