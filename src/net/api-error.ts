/** An error answer from the IoT API (gateway or business) or from OSS. */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  readonly requestId?: string
  /** The operation that failed, e.g. `CreateOTAFirmware` or `PostObject`. */
  readonly operation: string

  constructor(operation: string, code: string, message: string, status: number, requestId?: string) {
    super(`${operation} failed: ${code}: ${message}${requestId ? ` (RequestId ${requestId})` : ''}`)
    this.name = 'ApiError'
    this.operation = operation
    this.code = code
    this.status = status
    this.requestId = requestId
  }
}
