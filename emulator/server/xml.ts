/** Just enough XML for Alibaba's answers: objects nest, arrays repeat their element, undefined is left out. */
export function toXml(root: string, value: Readonly<Record<string, unknown>>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value)}`
}

function element(name: string, value: unknown): string {
  if (value === undefined || value === null) return ''
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('')
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([key, child]) => element(key, child))
      .join('')
    return `<${name}>${inner}</${name}>`
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

const ENTITIES: Readonly<Record<string, string>> = { '<': '&lt;', '>': '&gt;', '&': '&amp;' }

function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (c) => ENTITIES[c] ?? c)
}
