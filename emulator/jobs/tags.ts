import { jobErrors } from './errors.js'

export interface Tag {
  Key: string
  Value: string
}

/** The documented limits of job tags (the text of all three creates: 10 pairs). */
export const TAG_LIMITS = { count: 10, keyMax: 30, valueMax: 1024, totalMax: 4096 } as const

const TAG_KEY = /^[A-Za-z0-9.]+$/

/**
 * `Tag.N.Key` / `Tag.N.Value` of the three Create*Job calls: at most 10 pairs; a key of 1 to 30
 * letters, digits and dots; a value of 1 to 1024 characters; 4096 characters in all. A key or value
 * too long, or too many characters in all, is `iot.ota.JobTagIsTooLong` ("exceed the maximum number
 * of characters"); a key with another character, or an empty key or value, is
 * `iot.check.InvalidFormattedParameter`; more than 10 pairs or a key twice, `iot.system.IllegalRequest`.
 */
export function checkTags(tags: readonly Tag[]): Tag[] {
  const { count, keyMax, valueMax, totalMax } = TAG_LIMITS
  if (tags.length > count) throw jobErrors.illegal(`At most ${count} tags (Tag.N) are allowed.`)
  const keys = new Set<string>()
  let total = 0
  for (const { Key, Value } of tags) {
    if (!TAG_KEY.test(Key)) throw jobErrors.invalidFormat('Tag.N.Key', Key)
    if (Value.length === 0) throw jobErrors.invalidFormat('Tag.N.Value', Value)
    if (Key.length > keyMax || Value.length > valueMax) throw jobErrors.tagTooLong()
    if (keys.has(Key)) throw jobErrors.illegal(`The tag key ${Key} is given twice.`)
    keys.add(Key)
    total += Key.length + Value.length
  }
  if (total > totalMax) throw jobErrors.tagTooLong()
  return [...tags]
}
