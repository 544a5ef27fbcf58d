/** Where the actions write their log: the runner's, or a test's. */
export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** Runs one phase inside a collapsible log group. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}
