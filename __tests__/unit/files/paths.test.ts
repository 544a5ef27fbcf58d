import { describe, expect, it } from '@jest/globals'
import path from 'node:path'
import { makePlan } from '../../support/plan.js'
import { anchorPattern, displayPath, fileName } from '../../../src/files/paths.js'
import { manifestPath } from '../../../src/report/manifest.js'
import { renderFailureSummary } from '../../../src/report/failure.js'
import { renderSummary } from '../../../src/publish/summary.js'

// Every place that builds or prints a path, with the path rules of a Windows runner (drive letters, `\`).
const win = path.win32

describe('anchorPattern on Windows', () => {
  it.each([
    ['build/*.bin', 'D:\\a\\repo\\repo', 'D:\\a\\repo\\repo\\build\\*.bin'],
    ['build\\app.bin', 'D:\\a\\repo\\repo', 'D:\\a\\repo\\repo\\build\\app.bin'],
    ['!build/debug/*.bin', 'D:\\a\\repo\\repo', '!D:\\a\\repo\\repo\\build\\debug\\*.bin'],
    ['C:\\out\\fw.bin', 'D:\\a\\repo\\repo', 'C:\\out\\fw.bin'],
    ['C:/out/fw.bin', 'D:\\a\\repo\\repo', 'C:/out/fw.bin'],
    ['\\\\server\\share\\fw.bin', 'D:\\ws', '\\\\server\\share\\fw.bin']
  ])('%s in %s is %s', (pattern, workspace, expected) => {
    expect(anchorPattern(pattern, workspace, win)).toBe(expected)
  })

  it('keeps POSIX behaviour on POSIX', () => {
    expect(anchorPattern('build/*.bin', '/home/runner/work/r/r', path.posix)).toBe('/home/runner/work/r/r/build/*.bin')
    expect(anchorPattern('!/tmp/x.bin', '/ws', path.posix)).toBe('!/tmp/x.bin')
  })
})

describe('displayPath on Windows', () => {
  it.each([
    ['D:\\a\\repo\\repo\\build\\app.bin', 'D:\\a\\repo\\repo', 'build\\app.bin'],
    // Drive letters compare without case, as Windows does.
    ['d:\\a\\repo\\repo\\build\\app.bin', 'D:\\a\\repo\\repo', 'build\\app.bin'],
    // On another drive there is no relative path: the absolute one is shown.
    ['C:\\out\\fw.bin', 'D:\\a\\repo\\repo', 'C:\\out\\fw.bin'],
    ['D:\\a\\repo\\other\\fw.bin', 'D:\\a\\repo\\repo', '..\\other\\fw.bin']
  ])('%s from %s is %s', (file, workspace, expected) => {
    expect(displayPath(file, workspace, win)).toBe(expected)
  })
})

describe('fileName on Windows', () => {
  it.each([
    ['D:\\a\\repo\\repo\\build\\app.bin', 'app.bin'],
    ['D:/a/repo/build/fw-1.2.3.tar.gz', 'fw-1.2.3.tar.gz']
  ])('%s is %s', (file, expected) => {
    expect(fileName(file, win)).toBe(expected)
  })
})

describe('manifestPath on Windows', () => {
  it('goes into RUNNER_TEMP with a drive letter', () => {
    expect(manifestPath(undefined, 'D:\\a\\_temp', 'wifi', win)).toBe('D:\\a\\_temp\\ota-manifest-wifi.json')
  })

  it('keeps an explicit path as given', () => {
    expect(manifestPath('C:\\out\\m.json', 'D:\\a\\_temp', 'wifi', win)).toBe('C:\\out\\m.json')
  })
})

describe('the job summary with Windows paths', () => {
  it('shows the file path literally in a code span', () => {
    const artifact = { path: 'D:\\a\\r\\r\\build\\_out\\app.bin', displayPath: 'build\\_out\\app.bin', size: 2048, suffix: 'bin' as const }
    const text = renderSummary(makePlan(), artifact, { result: 'created', firmwareId: 'fw1', size: 2048, sign: 'abc', signMethod: 'MD5' })
    expect(text).toContain('- File `build\\_out\\app.bin`, ')
  })

  it('escapes backslashes in plain text, so markdown keeps `\\_` and `\\a`', () => {
    const text = renderFailureSummary("Input 'files' matched no file (workspace D:\\a\\_work\\r).", undefined, {})
    // Markdown renders `\\` as one backslash; a lone `\_` would render as `_` and lose it.
    expect(text).toContain('workspace D:\\\\a\\\\_work\\\\r')
  })
})
