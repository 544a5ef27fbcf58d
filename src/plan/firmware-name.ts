/**
 * FirmwareName from the `firmware-name` template. Pure: every value is passed in.
 *
 * The platform wants 1 to 40 characters of letters (Latin, Chinese, Japanese), digits, `-`, `_`,
 * `(`, `)`, starting with a letter or digit, and unique in the whole account, so the default name
 * must differ between products, modules (matrix legs) and versions.
 */
import { createHash } from 'node:crypto'
import { INPUT } from '../contract/names.js'
import { FIRMWARE_NAME_MAX, FIRMWARE_NAME_PATTERN, charCount } from '../platform/rules.js'
import { ActionError } from '../contract/action-error.js'

/**
 * The default template, e.g. `a1B2c3D4e5F-default-1_2_3` or `a1B2c3D4e5F-wifi-1_2_3-rc_1`.
 * ProductKey, module and version are what make a firmware unique in an account; in this order the
 * name reads "which product, which part, which version" and sorts that way in the console.
 * When a name could be mistaken for another one's (see {@link renderFirmwareName}) or is too long,
 * a hash of the values is appended.
 */
export const DEFAULT_FIRMWARE_NAME_TEMPLATE = '{product}-{module}-{version}'

/** Placeholders a `firmware-name` template may use. */
export const FIRMWARE_NAME_PLACEHOLDERS = ['product', 'module', 'version', 'tag', 'sha', 'major', 'minor', 'patch', 'prerelease'] as const
type FirmwareNamePlaceholder = (typeof FIRMWARE_NAME_PLACEHOLDERS)[number]

/** Values for the placeholders; absent optional ones render as empty text. */
export interface NameVariables {
  /** ProductKey. */
  product: string
  /** OTA module name; empty means the platform's `default` module. */
  module: string
  /** DestVersion. */
  version: string
  tag?: string
  /** Full commit SHA; `{sha}` is its first 7 characters. */
  sha?: string
  major?: string
  minor?: string
  patch?: string
  prerelease?: string
}

/** The name to register and what to tell the user about it. */
interface RenderedFirmwareName {
  name: string
  /** For the caller to log as warnings (shortened, leading characters removed). */
  notes: string[]
}

/** Hex characters of SHA-256 appended to keep default names apart: 32 bits. */
const HASH_CHARS = 8
const SHA_CHARS = 7
const ALLOWED = "letters, digits, '-', '_', '(' and ')'"
const PLACEHOLDER_LIST = FIRMWARE_NAME_PLACEHOLDERS.map((name) => `{${name}}`).join(', ')

/**
 * Renders a FirmwareName. `template` undefined, empty or equal to
 * {@link DEFAULT_FIRMWARE_NAME_TEMPLATE} means the default.
 *
 * Values are sanitised: each character a name cannot hold becomes `_` (`1.2.3` → `1_2_3`).
 * A name starting with a value that begins with `_`, `-`, `(` or `)` loses those characters.
 *
 * An explicit template is the user's: literal text that a name cannot hold, an unknown
 * placeholder or a name over 40 characters is an {@link ActionError} for input `firmware-name`.
 *
 * The default is shortened instead: over 40 characters it becomes a prefix, `-` and 8 hex
 * characters of SHA-256 of the unsanitised values, with a note. The same hash is appended
 * whenever the readable name alone could be another triple's, i.e. unless the product and the
 * module have no `-`, no value has `_`, `.` is the only character replaced and the product starts
 * with a letter or digit (`esp32-c3` as module, `1.2.3_build.7` as version). Then, up to the
 * hash, different (product, module, version) give different names.
 */
export function renderFirmwareName(template: string | undefined, vars: NameVariables): RenderedFirmwareName {
  if (template === undefined || template === '' || template === DEFAULT_FIRMWARE_NAME_TEMPLATE) {
    return renderDefault(vars)
  }
  return renderExplicit(template, vars)
}

function renderDefault(vars: NameVariables): RenderedFirmwareName {
  const values = [vars.product, moduleName(vars.module), vars.version] as const
  const readable = values.map(sanitize).join('-')
  const start = stripLeading(readable)
  const faithful =
    start === readable &&
    values.every((value) => !value.includes('_') && [...value].every((ch) => ch === '.' || isNameChar(ch))) &&
    !values[0].includes('-') &&
    !values[1].includes('-')
  if (faithful && charCount(readable) <= FIRMWARE_NAME_MAX) return { name: readable, notes: [] }

  // The hash covers the raw values, JSON-encoded: joined with '-' (or sanitised) two triples
  // could read the same ('a-b' + 'c' and 'a' + 'b-c'), and then so would their hashes.
  const hash = createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, HASH_CHARS)
  const room = FIRMWARE_NAME_MAX - HASH_CHARS - 1
  const tooLong = charCount(start) > room
  const prefix = tooLong
    ? [...start]
        .slice(0, room)
        .join('')
        .replace(/[-_]+$/, '')
    : start
  const name = prefix === '' ? hash : `${prefix}-${hash}`
  const notes = tooLong
    ? [
        `The default firmware name '${readable}' is ${charCount(readable)} characters, over the ${FIRMWARE_NAME_MAX} allowed; ` +
          `using '${name}' (the hash keeps it unique). Set '${INPUT.firmwareName}' to choose a shorter one.`
      ]
    : []
  return { name, notes }
}

function renderExplicit(template: string, vars: NameVariables): RenderedFirmwareName {
  const parts = parseTemplate(template)
  const rendered = parts.map((part) => (part.placeholder ? sanitize(valueOf(part.text, vars)) : part.text)).join('')
  const first = parts[0]
  if (first !== undefined && !first.placeholder && !isNameStart(first.text[0] ?? '')) {
    throw new ActionError(`Input '${INPUT.firmwareName}' is ${JSON.stringify(template)}: a firmware name must start with a letter or digit.`, {
      input: INPUT.firmwareName
    })
  }

  const notes: string[] = []
  const name = stripLeading(rendered)
  if (name !== rendered) {
    notes.push(`Firmware name '${rendered}' starts with '${rendered.slice(0, rendered.length - name.length)}'; using '${name}'.`)
  }
  if (name === '') {
    throw new ActionError(`Input '${INPUT.firmwareName}' is ${JSON.stringify(template)}, which renders an empty name.`, {
      input: INPUT.firmwareName,
      hint: 'Add literal text or {product}, {module}, {version}.'
    })
  }
  const length = charCount(name)
  if (length > FIRMWARE_NAME_MAX) {
    throw new ActionError(
      `Input '${INPUT.firmwareName}' is ${JSON.stringify(template)}, which renders '${name}': ${length} characters, over the ${FIRMWARE_NAME_MAX} allowed.`,
      {
        input: INPUT.firmwareName,
        hint: `Use fewer or shorter parts, or leave '${INPUT.firmwareName}' unset: the default (${DEFAULT_FIRMWARE_NAME_TEMPLATE}) is shortened with a hash.`
      }
    )
  }
  return { name, notes }
}

interface TemplatePart {
  placeholder: boolean
  /** The placeholder's name, or the literal text. */
  text: string
}

function parseTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = []
  const unknown: string[] = []
  let last = 0
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    const index = match.index ?? 0
    const name = match[1] ?? ''
    if (index > last) parts.push({ placeholder: false, text: template.slice(last, index) })
    if (!(FIRMWARE_NAME_PLACEHOLDERS as readonly string[]).includes(name)) unknown.push(match[0])
    parts.push({ placeholder: true, text: name })
    last = index + match[0].length
  }
  if (last < template.length) parts.push({ placeholder: false, text: template.slice(last) })

  if (unknown.length > 0) {
    throw new ActionError(
      `Input '${INPUT.firmwareName}' is ${JSON.stringify(template)}: unknown placeholder${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}.`,
      { input: INPUT.firmwareName, hint: `Known placeholders: ${PLACEHOLDER_LIST}.` }
    )
  }
  const literal = parts
    .filter((part) => !part.placeholder)
    .map((part) => part.text)
    .join('')
  const bad = [...new Set([...literal].filter((ch) => !isNameChar(ch)))]
  if (bad.length > 0) {
    throw new ActionError(
      `Input '${INPUT.firmwareName}' is ${JSON.stringify(template)}: its text contains ${bad.map(quote).join(', ')}, which a firmware name cannot hold (only ${ALLOWED}).`,
      { input: INPUT.firmwareName, hint: `Placeholders (${PLACEHOLDER_LIST}) are made safe; the text around them must already be.` }
    )
  }
  return parts
}

function valueOf(placeholder: string, vars: NameVariables): string {
  switch (placeholder as FirmwareNamePlaceholder) {
    case 'product':
      return vars.product
    case 'module':
      return moduleName(vars.module)
    case 'version':
      return vars.version
    case 'sha':
      return [...(vars.sha ?? '')].slice(0, SHA_CHARS).join('')
    case 'tag':
    case 'major':
    case 'minor':
    case 'patch':
    case 'prerelease':
      return vars[placeholder as 'tag' | 'major' | 'minor' | 'patch' | 'prerelease'] ?? ''
  }
}

/** The platform calls the unnamed module `default`; naming it keeps the name's shape. */
function moduleName(module: string): string {
  return module === '' ? 'default' : module
}

function sanitize(value: string): string {
  return [...value].map((ch) => (isNameChar(ch) ? ch : '_')).join('')
}

/** Drops leading characters a name cannot start with (only `-`, `_`, `(`, `)` after sanitising). */
function stripLeading(name: string): string {
  const chars = [...name]
  const first = chars.findIndex(isNameStart)
  return first === -1 ? '' : chars.slice(first).join('')
}

// Per-character checks derived from the platform rule itself, so there is one definition.
function isNameChar(ch: string): boolean {
  return FIRMWARE_NAME_PATTERN.test(`a${ch}`)
}

function isNameStart(ch: string): boolean {
  return ch !== '' && FIRMWARE_NAME_PATTERN.test(ch)
}

function quote(ch: string): string {
  if (ch === ' ') return "' ' (space)"
  return /^[\p{L}\p{N}\p{P}\p{S}]$/u.test(ch) ? `'${ch}'` : `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}
