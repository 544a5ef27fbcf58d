import type { Connection } from '../../src/config/connection.js'

/** A parsed connection, as the shared connection parser hands it over. */
export const CONNECTION: Connection = {
  credentials: { accessKeyId: 'LTAIid', accessKeySecret: 'top-secret-value' },
  regionId: 'cn-shanghai',
  endpoint: 'https://iot.cn-shanghai.aliyuncs.com',
  apiVariant: 'alibaba',
  maxAttempts: 5,
  requestTimeoutMs: 60_000,
  minuteMs: 60_000,
  debugNotes: []
}

/** An input reader over a plain object. */
export function readerOf(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? ''
}
