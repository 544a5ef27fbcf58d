import { mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Writable, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { Worker } from 'node:worker_threads'
import { ossErrors } from '../../server/responses.js'
import { Crc64 } from './crc64.js'

/**
 * The one streaming sink of every upload path (PostObject, PutObject, UploadPart, the assembly of a
 * multipart object): a worker thread writes the bytes to a file and computes MD5 and SHA-256 in the
 * same pass, while the main thread only parses and copies. Hashing is most of what a large upload
 * costs the emulator (BENCHMARKS.md); on the main thread it made the emulator, not the client, set
 * the pace. Writing from the worker, a 1 MiB block at a time, also spares the main thread thousands
 * of small writes.
 *
 * The bytes travel in a few 1 MiB buffers, transferred (not copied) to the worker and back; when all
 * of an upload's buffers are away, `write` returns a promise: the backpressure that keeps memory
 * flat however fast the client sends.
 */

/** Runs as a CommonJS worker (eval), so that it works from the compiled build and under jest alike. */
const WORKER_SOURCE = `
'use strict'
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { openSync, writeSync, closeSync, unlinkSync } = require('node:fs')
const uploads = new Map()
const fail = (id, error) => {
  const upload = uploads.get(id)
  uploads.delete(id)
  if (upload && upload.fd !== undefined) try { closeSync(upload.fd) } catch {}
  parentPort.postMessage({ kind: 'error', id, message: error.message, code: error.code })
}
parentPort.on('message', (m) => {
  if (m.kind === 'open') {
    try {
      uploads.set(m.id, { path: m.path, fd: openSync(m.path, 'w'), md5: createHash('md5'), sha256: createHash('sha256') })
    } catch (error) {
      fail(m.id, error)
    }
    return
  }
  const upload = uploads.get(m.id)
  if (m.kind === 'abort') {
    uploads.delete(m.id)
    if (upload) {
      try { closeSync(upload.fd) } catch {}
      try { unlinkSync(upload.path) } catch {}
    }
    parentPort.postMessage({ kind: 'aborted', id: m.id })
    return
  }
  if (!upload) return
  if (m.kind === 'data') {
    const bytes = new Uint8Array(m.buffer, 0, m.length)
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(upload.fd, bytes, at, bytes.length - at)
    } catch (error) {
      fail(m.id, error)
      return
    }
    upload.md5.update(bytes)
    upload.sha256.update(bytes)
    parentPort.postMessage({ kind: 'free', id: m.id, buffer: m.buffer }, [m.buffer])
  } else if (m.kind === 'end') {
    uploads.delete(m.id)
    try {
      closeSync(upload.fd)
    } catch (error) {
      fail(m.id, error)
      return
    }
    parentPort.postMessage({ kind: 'done', id: m.id, md5: upload.md5.digest('hex'), sha256: upload.sha256.digest('hex') })
  }
})
`

const BUFFER_BYTES = 1024 * 1024
/** Per upload: enough to keep the worker busy while the main thread fills the next one. */
const BUFFERS_PER_UPLOAD = 4

type FromWorker =
  | { kind: 'free'; id: number; buffer: ArrayBuffer }
  | { kind: 'done'; id: number; md5: string; sha256: string }
  | { kind: 'error'; id: number; message: string; code?: string }
  | { kind: 'aborted'; id: number }

interface Shared {
  worker: Worker
  uploads: Map<number, UploadFileSink>
}

let shared: Shared | undefined
let nextId = 1

/** One worker for every upload of the process, started on first use; it never keeps the process alive. */
function sharedWorker(): Shared {
  if (shared) return shared
  const worker = new Worker(WORKER_SOURCE, { eval: true })
  const current: Shared = { worker, uploads: new Map() }
  worker.on('message', (m: FromWorker) => current.uploads.get(m.id)?.receive(m))
  const lost = (error: Error): void => {
    if (shared === current) shared = undefined
    for (const upload of current.uploads.values()) upload.fail(error)
    current.uploads.clear()
  }
  worker.on('error', lost)
  worker.on('exit', (code) => lost(new Error(`the upload worker exited (${code})`)))
  // After the listeners, which would otherwise hold the process open again.
  worker.unref()
  shared = current
  return current
}

interface WrittenDigests {
  /** Lower-case hex. */
  md5: string
  sha256: string
}

/** One upload's bytes on their way to `path`, digested on the way. */
class UploadFileSink {
  private readonly id = nextId++
  private readonly shared = sharedWorker()
  private readonly free: ArrayBuffer[] = []
  private allocated = 0
  private current: Buffer | undefined
  private filled = 0
  private onFree: (() => void) | undefined
  private onDone: { resolve: (d: WrittenDigests) => void; reject: (e: Error) => void } | undefined
  private onAborted: (() => void) | undefined
  private failure: Error | undefined

  constructor(path: string) {
    this.shared.uploads.set(this.id, this)
    this.shared.worker.postMessage({ kind: 'open', id: this.id, path })
  }

  /** Takes a chunk (copied); returns a promise when the caller must wait before giving the next one. */
  write(chunk: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure)
    let offset = 0
    while (offset < chunk.length) {
      if (!this.current) {
        const buffer = this.free.pop() ?? this.allocate()
        if (!buffer) {
          const rest = chunk.subarray(offset)
          return new Promise<void>((resolve) => (this.onFree = resolve)).then(() => this.write(rest))
        }
        this.current = Buffer.from(buffer)
        this.filled = 0
      }
      const n = Math.min(chunk.length - offset, this.current.length - this.filled)
      this.current.set(chunk.subarray(offset, offset + n), this.filled)
      this.filled += n
      offset += n
      if (this.filled === this.current.length) this.send()
    }
    return undefined
  }

  /** Writes what is left, closes the file, and gives the digests of everything written. */
  end(): Promise<WrittenDigests> {
    if (this.failure) return Promise.reject(this.failure)
    this.send()
    return new Promise<WrittenDigests>((resolve, reject) => {
      this.onDone = { resolve, reject }
      this.shared.worker.postMessage({ kind: 'end', id: this.id })
    })
  }

  /**
   * Gives up (the upload failed): the worker closes and removes the file. Resolves once it has, so
   * that no file can appear after the caller cleaned up (the worker may not even have opened it yet).
   */
  abort(): Promise<void> {
    if (!this.shared.uploads.has(this.id)) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.onAborted = resolve
      this.shared.worker.postMessage({ kind: 'abort', id: this.id })
    })
  }

  /** @internal From the worker. */
  receive(m: FromWorker): void {
    if (m.kind === 'free') {
      this.free.push(m.buffer)
      this.wake()
      return
    }
    this.shared.uploads.delete(this.id)
    if (m.kind === 'aborted') {
      this.onAborted?.()
      return
    }
    if (m.kind === 'done') {
      this.onDone?.resolve({ md5: m.md5, sha256: m.sha256 })
      return
    }
    const error: NodeJS.ErrnoException = new Error(m.message)
    error.code = m.code
    this.fail(error)
  }

  /** @internal The upload (or the whole worker) failed. */
  fail(error: Error): void {
    this.failure ??= error
    this.onDone?.reject(error)
    this.onAborted?.()
    this.wake()
  }

  private wake(): void {
    const wake = this.onFree
    this.onFree = undefined
    wake?.()
  }

  private allocate(): ArrayBuffer | undefined {
    if (this.allocated === BUFFERS_PER_UPLOAD) return undefined
    this.allocated++
    return new ArrayBuffer(BUFFER_BYTES)
  }

  private send(): void {
    if (!this.current || this.filled === 0) return
    const buffer = this.current.buffer as ArrayBuffer
    this.shared.worker.postMessage({ kind: 'data', id: this.id, buffer, length: this.filled }, [buffer])
    this.current = undefined
    this.filled = 0
  }
}

/** Large buffers keep a 1 GB upload fast; memory stays flat because the bytes stream to disk. */
export const STREAM_BUFFER_BYTES = 2 * 1024 * 1024

/** Bytes written to disk, with the digests computed on the way. */
export interface WrittenFile {
  path: string
  size: number
  /** Lower-case hex. */
  md5: string
  sha256: string
  /** Decimal CRC-64/ECMA-182, when asked for. */
  crc64?: string
}

interface WriteOptions {
  /** Over this many bytes fails with EntityTooLarge. */
  maxBytes: number
  signal?: AbortSignal
  /** Also compute CRC-64 (user buckets report it; the platform's bucket does not). */
  crc64?: boolean
}

/**
 * Streams `source` to `path`. On any failure the partial file is removed. CRC-64 (what user buckets
 * report as `x-oss-hash-crc64ecma`) is computed on this thread, only when asked: the worker runs
 * plain JavaScript and cannot load the emulator's TypeScript implementation.
 */
export async function writeObject(
  source: Readable | AsyncIterable<Buffer>,
  path: string,
  options: WriteOptions & { crc64: true }
): Promise<WrittenFile & { crc64: string }>
export async function writeObject(source: Readable | AsyncIterable<Buffer>, path: string, options: WriteOptions): Promise<WrittenFile>
export async function writeObject(source: Readable | AsyncIterable<Buffer>, path: string, options: WriteOptions): Promise<WrittenFile> {
  await mkdir(dirname(path), { recursive: true })
  const file = new UploadFileSink(path)
  const crc = options.crc64 ? new Crc64() : undefined
  let size = 0
  let digests: WrittenDigests | undefined
  const sink = new Writable({
    highWaterMark: STREAM_BUFFER_BYTES,
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length
      if (size > options.maxBytes) {
        done(ossErrors.entityTooLarge())
        return
      }
      crc?.update(chunk)
      const wait = file.write(chunk)
      if (wait) wait.then(() => done(), done)
      else done()
    },
    final(done) {
      file.end().then((d) => {
        digests = d
        done()
      }, done)
    }
  })
  try {
    await pipeline(source, sink, ...(options.signal ? [{ signal: options.signal }] : []))
  } catch (error) {
    await file.abort()
    await rm(path, { force: true })
    throw error
  }
  return { path, size, ...(digests as WrittenDigests), ...(crc && { crc64: crc.digest() }) }
}
