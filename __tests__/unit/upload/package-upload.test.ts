import { describe, expect, it } from '@jest/globals'
import type { PackageFile } from '../../../src/files/package-files.js'
import { TransportError } from '../../../src/net/transport.js'
import { eachLimited, PARALLEL_UPLOADS, uploadFiles } from '../../../src/upload/package-upload.js'
import type { FirmwareUploader, UploadedFirmware } from '../../../src/upload/uploader.js'

const file = (name: string): PackageFile => ({ path: `/ws/build/${name}`, displayPath: `build/${name}`, size: 10, suffix: 'bin', name })
const FILES = ['a.bin', 'b.bin', 'c.bin', 'd.bin'].map(file)

/** A retry that tries `attempts` times at once, naming what it retries. */
function retrier(attempts: number, retried: string[]) {
  return async <T>(what: string, fn: (attempt: number) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn(attempt)
      } catch (error) {
        if (attempt >= attempts) throw error
        retried.push(what)
      }
    }
  }
}

/**
 * Uploaders that count how many run at once. A file in `fails` fails at once that many times; the
 * others finish on the next timer tick, so a failure is known before any of them is done.
 */
function uploaders(fails: Record<string, number> = {}) {
  const state = { running: 0, most: 0, started: [] as string[], discarded: [] as string[] }
  const make = (f: PackageFile): FirmwareUploader => ({
    label: 'Upload',
    describe: async () => '',
    async upload(_artifact, methods): Promise<UploadedFirmware> {
      state.started.push(f.name)
      if ((fails[f.name] ?? 0) > 0) {
        fails[f.name]!--
        throw new TransportError('socket hang up', 'network', true, 'ECONNRESET')
      }
      state.running++
      state.most = Math.max(state.most, state.running)
      await new Promise((resolve) => setTimeout(resolve, 1))
      state.running--
      return { firmwareUrl: `https://b/${f.name}`, size: 10, digests: { MD5: methods.join('+') }, discard: async () => void state.discarded.push(f.name) }
    }
  })
  return { state, uploads: FILES.map((f) => ({ file: f, uploader: make(f) })) }
}

const log = () => ({
  infos: [] as string[],
  warnings: [] as string[],
  info(m: string) {
    this.infos.push(m)
  },
  warning(m: string) {
    this.warnings.push(m)
  }
})

describe('uploadFiles', () => {
  it(`uploads every file, at most ${PARALLEL_UPLOADS} at a time, each with the digests asked for, in the files' order`, async () => {
    const { state, uploads } = uploaders()
    const done = await uploadFiles(uploads, ['SHA256', 'MD5'], { retry: retrier(1, []), log: log() })
    expect(state.most).toBe(PARALLEL_UPLOADS)
    expect(done.map((u) => [u.file.name, u.uploaded.firmwareUrl, u.uploaded.digests.MD5])).toEqual(
      FILES.map((f) => [f.name, `https://b/${f.name}`, 'SHA256+MD5'])
    )
  })

  it('retries a dropped upload of the second file on its own, naming it, and rechecks the file before each attempt', async () => {
    const { state, uploads } = uploaders({ 'b.bin': 1 })
    const retried: string[] = []
    const rechecked: string[] = []
    await uploadFiles(uploads, ['MD5'], { retry: retrier(3, retried), log: log(), recheck: async (f) => void rechecked.push(f.name) })
    expect(retried).toEqual(['Upload of build/b.bin'])
    expect(state.started).toEqual(['a.bin', 'b.bin', 'b.bin', 'c.bin', 'd.bin'])
    expect(rechecked.filter((n) => n === 'b.bin')).toHaveLength(2)
  })

  it('after a file fails for good starts no other, removes what the others uploaded, and throws its error', async () => {
    const { state, uploads } = uploaders({ 'b.bin': 9 })
    const said = log()
    await expect(uploadFiles(uploads, ['MD5'], { retry: retrier(2, []), log: said })).rejects.toThrow('socket hang up')
    // a was under way when b failed for good: it finishes, and is removed; c and d never start.
    expect(state.started).toEqual(['a.bin', 'b.bin', 'b.bin'])
    expect(state.discarded).toEqual(['a.bin'])
    expect(said.infos).toEqual(['Removed https://b/a.bin, which this run uploaded, since another file of the package failed to upload.'])
  })
})

describe('eachLimited', () => {
  it('keeps the results by index whatever order they finish in', async () => {
    const { done, failure } = await eachLimited([30, 5, 10], 2, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms))
      return ms
    })
    expect(failure).toBeUndefined()
    expect([...done.entries()].sort()).toEqual([
      [0, 30],
      [1, 5],
      [2, 10]
    ])
  })
})
