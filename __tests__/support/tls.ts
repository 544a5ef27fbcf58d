/**
 * A throwaway certificate authority and server certificate, made at test time with the `openssl`
 * command (none is committed). Point NODE_EXTRA_CA_CERTS at `caPath` to make a process trust it.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)

export interface TestCertificates {
  /** The temporary folder holding the files below. */
  dir: string
  /** PEM of the CA certificate (what NODE_EXTRA_CA_CERTS points at). */
  caPath: string
  keyPath: string
  certPath: string
  /** The server's private key and certificate, PEM (what a TLS server listens with). */
  key: string
  cert: string
  ca: string
  /** Removes the folder. */
  remove(): Promise<void>
}

// P-256 keys: made in milliseconds, accepted by Node's default security level.
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/** A certificate for `names` (DNS names, wildcards like `*.emulator.test`, or IP addresses), signed by a fresh CA. */
export async function makeTestCertificates(names: readonly string[]): Promise<TestCertificates> {
  if (names.length === 0) throw new Error('makeTestCertificates needs at least one name')
  const dir = await mkdtemp(join(tmpdir(), 'test-tls-'))
  const file = (name: string): string => join(dir, name)
  const sans = names.map((n) => (isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',')
  await writeFile(
    file('server.ext'),
    [`subjectAltName=${sans}`, 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', ''].join('\n')
  )
  try {
    await run('openssl', [
      'req',
      '-x509',
      ...KEY,
      '-keyout',
      file('ca.key'),
      '-out',
      file('ca.pem'),
      '-days',
      '2',
      '-subj',
      '/CN=Throwaway test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign'
    ])
    await run('openssl', ['req', ...KEY, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', `/CN=${names[0]}`])
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      file('server.csr'),
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-set_serial',
      '1',
      '-days',
      '2',
      '-extfile',
      file('server.ext'),
      '-out',
      file('server.pem')
    ])
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  return {
    dir,
    caPath: file('ca.pem'),
    keyPath: file('server.key'),
    certPath: file('server.pem'),
    key: await readFile(file('server.key'), 'utf8'),
    cert: await readFile(file('server.pem'), 'utf8'),
    ca: await readFile(file('ca.pem'), 'utf8'),
    remove: () => rm(dir, { recursive: true, force: true })
  }
}
