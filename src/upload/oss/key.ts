/**
 * The object key for `upload-mode: oss`, from the `oss-key` template. Pure: every value is passed in.
 */
import { INPUT } from '../../contract/names.js'
import { ActionError, invalidInput } from '../../contract/action-error.js'

/** Default key: one folder per module and version, holding the file under its own name. */
export const DEFAULT_OSS_KEY_TEMPLATE = 'ota/{module}/{version}/{file}'

/** Placeholders an `oss-key` template may use. */
const OSS_KEY_PLACEHOLDERS = ['product', 'module', 'version', 'name', 'tag', 'sha', 'file'] as const
type OssKeyPlaceholder = (typeof OSS_KEY_PLACEHOLDERS)[number]

/** Values for the placeholders; an absent one fails only when the template uses it. */
export interface OssKeyVariables {
  /** ProductKey. */
  product: string
  /** OTA module; `default` for the default module. */
  module: string
  /** DestVersion. */
  version: string
  /** FirmwareName. */
  name: string
  tag?: string
  /** Full commit SHA; `{sha}` is its first 7 characters. */
  sha?: string
  /** The firmware file's base name, e.g. `app.bin`. */
  file: string
}

/** OSS limits keys to 1,023 bytes of UTF-8. */
const OSS_KEY_MAX_BYTES = 1023
const SHA_CHARS = 7
const PLACEHOLDER = /\{([^{}]*)\}/g
const PLACEHOLDER_LIST = OSS_KEY_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')

/**
 * Checks a template before anything runs: known placeholders only, balanced braces. The rendered
 * key is checked again by {@link renderOssKey}, once the values are known.
 */
export function checkOssKeyTemplate(template: string): void {
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? ''
    if (!(OSS_KEY_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw invalidInput(INPUT.ossKey, template, `{${name}} is not a placeholder (allowed: ${PLACEHOLDER_LIST})`)
    }
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) {
    throw invalidInput(INPUT.ossKey, template, 'has an unbalanced "{" or "}"')
  }
  const literal = template.replace(PLACEHOLDER, 'x')
  const problem = keyProblem(literal)
  if (problem !== undefined) throw invalidInput(INPUT.ossKey, template, problem)
}

/** Whether a template uses a placeholder (`{file}`): a package of several files needs `{file}` to give each its own key. */
export function usesPlaceholder(template: string, name: OssKeyPlaceholder): boolean {
  return [...template.matchAll(PLACEHOLDER)].some((match) => match[1] === name)
}

/**
 * Why a key cannot be used, or undefined when it can. Beyond OSS's own rules (1 to 1,023 bytes,
 * not starting with `/` or `\`), empty, `.` and `..` segments are refused: HTTP clients normalise
 * them away, so devices would ask for another object than the one registered.
 */
export function keyProblem(key: string): string | undefined {
  const bytes = Buffer.byteLength(key, 'utf8')
  if (bytes === 0) return 'an object key cannot be empty'
  if (bytes > OSS_KEY_MAX_BYTES) return `an object key may be at most ${OSS_KEY_MAX_BYTES} bytes, this one is ${bytes}`
  if (key.startsWith('/') || key.startsWith('\\')) return 'an object key cannot start with "/" or "\\"'
  if ([...key].some((ch) => ch < ' ' || ch === '\x7f' || ch === '\\')) return 'an object key cannot hold control characters or "\\"'
  if (key.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return 'an object key cannot have empty, "." or ".." path segments'
  }
  return undefined
}

function valueOf(name: OssKeyPlaceholder, vars: OssKeyVariables): string | undefined {
  if (name === 'sha') return vars.sha ? vars.sha.slice(0, SHA_CHARS) : undefined
  return vars[name] || undefined
}

/**
 * Renders the object key. Values go in as they are (a module `wifi`, a version `1.2.3-rc.1`);
 * a placeholder without a value, or a key OSS or a download URL cannot hold, is an
 * {@link ActionError} for input `oss-key`.
 */
export function renderOssKey(template: string, vars: OssKeyVariables): string {
  const key = template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = valueOf(name as OssKeyPlaceholder, vars)
    if (value === undefined) {
      const why = name === 'tag' ? 'the version did not come from a tag' : 'the run has no commit SHA'
      throw new ActionError(`Input '${INPUT.ossKey}' uses {${name}}, but ${why}.`, {
        input: INPUT.ossKey,
        hint: `Use {version} instead, or leave '${INPUT.ossKey}' empty for the default ${DEFAULT_OSS_KEY_TEMPLATE}.`
      })
    }
    return value
  })
  const problem = keyProblem(key)
  if (problem !== undefined) throw invalidInput(INPUT.ossKey, template, `renders as ${JSON.stringify(key)}: ${problem}`)
  return key
}
