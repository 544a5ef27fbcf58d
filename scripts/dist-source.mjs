/**
 * Whether dist/ was built from the source as it is now: a digest of everything the bundles are made
 * from (src/, the package files, the compiler settings), written next to them by the build.
 *   node scripts/dist-source.mjs --write   the build records the digest
 *   node scripts/dist-source.mjs           rebuilds dist/ only when the digest differs (npm test)
 */
import { execSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json']
const RECORD = join('dist', 'source.sha256')

function files(path) {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)))
}

function digest() {
  const hash = createHash('sha256')
  for (const file of INPUTS.flatMap(files))
    hash
      .update(`${file.split('\\').join('/')}\0`)
      .update(readFileSync(file))
      .update('\0')
  return hash.digest('hex')
}

if (process.argv.includes('--write')) {
  writeFileSync(RECORD, `${digest()}\n`)
} else if (existsSync(RECORD) && readFileSync(RECORD, 'utf8').trim() === digest()) {
  console.log('dist/ is current: built from the source as it is, not rebuilt.')
} else {
  console.log('dist/ is older than the source: building it.')
  execSync('npm run build', { stdio: 'inherit' })
}
