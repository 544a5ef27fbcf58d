import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { ActionError } from '../../../src/contract/action-error.js'
import { TransportError } from '../../../src/net/transport.js'
import { maskProxyCredentials, proxyRoute, throughProxy, type ProxyRoute } from '../../../src/net/proxy.js'

const VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY']
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]))

function setProxyEnv(env: Record<string, string>): void {
  for (const name of VARIABLES) delete process.env[name]
  Object.assign(process.env, env)
}

beforeEach(() => setProxyEnv({}))
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
})

const IOT = 'https://iot.cn-shanghai.aliyuncs.com/'
const PROXY = 'http://proxy.corp:3128'

describe('proxyRoute: which requests go through which proxy', () => {
  // [what, target URL, environment, expected source (undefined: direct)]
  const cases: Array<[string, string, Record<string, string>, string | undefined]> = [
    ['no proxy set', IOT, {}, undefined],
    ['HTTPS_PROXY for an https URL', IOT, { HTTPS_PROXY: PROXY }, `HTTPS_PROXY (${PROXY})`],
    ['https_proxy wins over HTTPS_PROXY', IOT, { https_proxy: 'http://lower.corp:8080', HTTPS_PROXY: PROXY }, 'https_proxy (http://lower.corp:8080)'],
    ['HTTPS_PROXY is not for http URLs', 'http://iot.cn-shanghai.aliyuncs.com/', { HTTPS_PROXY: PROXY }, undefined],
    ['HTTP_PROXY for an http URL', 'http://iot.cn-shanghai.aliyuncs.com/', { HTTP_PROXY: PROXY }, `HTTP_PROXY (${PROXY})`],
    ['HTTP_PROXY is not for https URLs', IOT, { HTTP_PROXY: PROXY }, undefined],
    ['an empty variable is no proxy', IOT, { HTTPS_PROXY: '' }, undefined],
    ['credentials never in the source', IOT, { HTTPS_PROXY: 'http://alice:s%40cret@proxy.corp:3128' }, `HTTPS_PROXY (${PROXY})`],
    ['a proxy reached over https', IOT, { HTTPS_PROXY: 'https://proxy.corp:3129' }, 'HTTPS_PROXY (https://proxy.corp:3129)'],
    ['an IP without scheme is read as http://', IOT, { HTTPS_PROXY: '10.0.0.1:3128' }, 'HTTPS_PROXY (http://10.0.0.1:3128)'],
    ['NO_PROXY naming the endpoint host', IOT, { HTTPS_PROXY: PROXY, NO_PROXY: 'iot.cn-shanghai.aliyuncs.com' }, undefined],
    ['NO_PROXY in any case', IOT, { HTTPS_PROXY: PROXY, NO_PROXY: 'IOT.CN-SHANGHAI.ALIYUNCS.COM' }, undefined],
    ['no_proxy (lower case)', IOT, { HTTPS_PROXY: PROXY, no_proxy: 'iot.cn-shanghai.aliyuncs.com' }, undefined],
    ['NO_PROXY domain suffix', IOT, { HTTPS_PROXY: PROXY, NO_PROXY: 'aliyuncs.com' }, undefined],
    ['NO_PROXY domain suffix with a leading dot', IOT, { HTTPS_PROXY: PROXY, NO_PROXY: '.aliyuncs.com' }, undefined],
    [
      'NO_PROXY suffix of a bucket host',
      'https://fw.oss-cn-shanghai.aliyuncs.com/k',
      { HTTPS_PROXY: PROXY, NO_PROXY: 'oss-cn-shanghai.aliyuncs.com' },
      undefined
    ],
    [
      'NO_PROXY matches whole labels only',
      'https://fw.oss-cn-shanghai.aliyuncs.com/k',
      { HTTPS_PROXY: PROXY, NO_PROXY: 'cn-shanghai.aliyuncs.com' },
      `HTTPS_PROXY (${PROXY})`
    ],
    ['NO_PROXY in a list with spaces', IOT, { HTTPS_PROXY: PROXY, NO_PROXY: 'intranet.corp, iot.cn-shanghai.aliyuncs.com ,' }, undefined],
    ['NO_PROXY for another host', IOT, { HTTPS_PROXY: PROXY, NO_PROXY: 'intranet.corp' }, `HTTPS_PROXY (${PROXY})`],
    ['NO_PROXY host:port, default port', IOT, { HTTPS_PROXY: PROXY, NO_PROXY: 'iot.cn-shanghai.aliyuncs.com:443' }, undefined],
    [
      'NO_PROXY host:port, other port',
      'https://iot.cn-shanghai.aliyuncs.com:8443/',
      { HTTPS_PROXY: PROXY, NO_PROXY: 'iot.cn-shanghai.aliyuncs.com:443' },
      `HTTPS_PROXY (${PROXY})`
    ],
    ['NO_PROXY *', IOT, { HTTPS_PROXY: PROXY, NO_PROXY: '*' }, undefined],
    ['loopback 127.0.0.1 never', 'http://127.0.0.1:8787/', { HTTP_PROXY: PROXY }, undefined],
    ['loopback 127.x never', 'https://127.1.2.3/', { HTTPS_PROXY: PROXY }, undefined],
    ['loopback localhost never', 'http://localhost:8787/', { HTTP_PROXY: PROXY }, undefined],
    ['loopback [::1] never', 'http://[::1]:8787/', { HTTP_PROXY: PROXY }, undefined],
    ['a private IP is proxied', 'http://192.168.1.20:8787/', { HTTP_PROXY: PROXY }, `HTTP_PROXY (${PROXY})`]
  ]
  it.each(cases)('%s', (_what, target, env, expected) => {
    setProxyEnv(env)
    const route = proxyRoute(target, 1000)
    expect(route?.source).toBe(expected)
    if (route) expect(route.agent).toBeDefined()
  })
})

describe('proxyRoute: a value http-client cannot read', () => {
  it('is an error naming the variable, not showing the value', () => {
    setProxyEnv({ HTTPS_PROXY: '10.0.0.1:s3cret' })
    expect(() => proxyRoute(IOT, 1000)).toThrow(ActionError)
    expect(() => proxyRoute(IOT, 1000)).toThrow(/^HTTPS_PROXY cannot be read as a proxy URL\.$/)
  })
})

describe('maskProxyCredentials', () => {
  function masked(env: Record<string, string>): string[] {
    setProxyEnv(env)
    const secrets: string[] = []
    maskProxyCredentials((s) => secrets.push(s))
    return secrets
  }

  it('masks the password as written and decoded, user:password and the Basic credential', () => {
    const secrets = masked({ HTTPS_PROXY: 'http://alice:p%40ss@proxy.corp:3128' })
    expect(secrets).toEqual(expect.arrayContaining(['p@ss', 'p%40ss', 'alice:p@ss', 'alice:p%40ss', Buffer.from('alice:p@ss').toString('base64')]))
    expect(secrets).not.toContain('alice')
  })

  it('masks every proxy variable, also values the proxy decision would not read', () => {
    const secrets = masked({ http_proxy: 'http://bob:one@p:1', HTTP_PROXY: 'carol:two@p:2', NO_PROXY: '*' })
    expect(secrets).toEqual(expect.arrayContaining(['one', 'two']))
  })

  it('masks a user name given alone (a token)', () => {
    expect(masked({ HTTPS_PROXY: 'http://tok3n@proxy.corp:3128' })).toContain('tok3n')
  })

  it('masks a password that is not valid percent-encoding as written', () => {
    expect(masked({ HTTPS_PROXY: 'http://alice:50%zz@proxy.corp:3128' })).toEqual(expect.arrayContaining(['50%zz', 'alice:50%zz']))
  })

  it('masks nothing without credentials', () => {
    expect(masked({ HTTPS_PROXY: PROXY, HTTP_PROXY: 'not a url' })).toEqual([])
  })
})

describe('throughProxy: errors say when the proxy is at fault', () => {
  const route: ProxyRoute = { agent: undefined as never, source: `HTTPS_PROXY (${PROXY})`, variable: 'HTTPS_PROXY' }
  const target = new URL(IOT)
  const tunnelError = (rest: string): Error => Object.assign(new Error(`tunneling socket could not be established, ${rest}`), { code: 'ECONNRESET' })

  it('407: permanent, names the variable, says what to fix', () => {
    const err = throughProxy(tunnelError('statusCode=407'), route, target)
    expect(err).toBeInstanceOf(ActionError)
    expect((err as ActionError).message).toBe(
      `The proxy from HTTPS_PROXY (${PROXY}) refused to open a tunnel to iot.cn-shanghai.aliyuncs.com:443: HTTP 407 (Proxy Authentication Required). The proxy is at fault, not the request.`
    )
    expect((err as ActionError).hint).toContain('HTTPS_PROXY')
    expect((err as ActionError).code).toBe('ProxyAuthenticationRequired')
  })

  it('another 4xx refusal (as ali-oss words it): permanent', () => {
    const wrapped = new Error(
      'HeadObject: tunneling socket could not be established, statusCode=403, HEAD https://fw.oss-cn-shanghai.aliyuncs.com/k -1 (connected: false)'
    )
    const err = throughProxy(wrapped, route, new URL('https://fw.oss-cn-shanghai.aliyuncs.com/k'))
    expect(err).toBeInstanceOf(ActionError)
    expect((err as Error).message).toContain('to fw.oss-cn-shanghai.aliyuncs.com:443: HTTP 403')
  })

  it('5xx from the proxy: retried as a network failure that names the proxy', () => {
    const err = throughProxy(tunnelError('statusCode=502'), route, target)
    expect(err).toBeInstanceOf(TransportError)
    expect(err).toMatchObject({ kind: 'network', requestSent: false })
    expect((err as Error).message).toContain(`HTTPS_PROXY (${PROXY})`)
  })

  it('a proxy that cannot be reached: retried, names the proxy and the cause', () => {
    const err = throughProxy(tunnelError('cause=getaddrinfo ENOTFOUND proxy.corp'), route, target)
    expect(err).toBeInstanceOf(TransportError)
    expect(err).toMatchObject({ kind: 'network', requestSent: false, code: 'ProxyUnreachable' })
    expect((err as Error).message).toBe(
      `Could not reach the proxy from HTTPS_PROXY (${PROXY}) for iot.cn-shanghai.aliyuncs.com:443: getaddrinfo ENOTFOUND proxy.corp`
    )
  })

  it('the cause as ali-oss words it: cut before the request line', () => {
    const wrapped = new TransportError(
      'PutObject: tunneling socket could not be established, cause=connect ECONNREFUSED 10.0.0.1:3128, PUT https://fw.oss-cn-shanghai.aliyuncs.com/k -1 (connected: false)',
      'network',
      true
    )
    expect((throughProxy(wrapped, route, target) as Error).message).toBe(
      `Could not reach the proxy from HTTPS_PROXY (${PROXY}) for iot.cn-shanghai.aliyuncs.com:443: connect ECONNREFUSED 10.0.0.1:3128`
    )
  })

  it('other network failures say which proxy they went through', () => {
    const original = new TransportError('ECONNRESET: socket hang up (iot.cn-shanghai.aliyuncs.com)', 'network', true, 'ECONNRESET')
    const err = throughProxy(original, route, target)
    expect(err).toMatchObject({ kind: 'network', requestSent: true, code: 'ECONNRESET' })
    expect((err as Error).message).toBe(`ECONNRESET: socket hang up (iot.cn-shanghai.aliyuncs.com) through the proxy from HTTPS_PROXY (${PROXY})`)
  })

  it('leaves aborts, answers and direct requests alone', () => {
    const aborted = new TransportError('request aborted: the run ran out of time', 'aborted', false)
    expect(throughProxy(aborted, route, target)).toBe(aborted)
    const answer = new ActionError('CreateOTAFirmware failed')
    expect(throughProxy(answer, route, target)).toBe(answer)
    const direct = tunnelError('statusCode=407')
    expect(throughProxy(direct, undefined, target)).toBe(direct)
  })
})
