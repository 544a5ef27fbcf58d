/**
 * Proxy support with the toolkit's own rules and agents (@actions/http-client): `https_proxy` /
 * `HTTPS_PROXY` for https URLs, `http_proxy` / `HTTP_PROXY` for http URLs, `no_proxy` / `NO_PROXY`
 * to bypass, loopback never proxied, every request through a CONNECT tunnel (`tunnel`), the
 * credentials of the proxy URL sent as Proxy-Authorization.
 */
import { HttpClient, getProxyUrl } from '@actions/http-client'
import type { Agent, ClientRequest, RequestOptions } from 'node:http'
import { ActionError, describeError } from '../contract/action-error.js'
import { TransportError, type HttpRequest, type HttpResponse } from './transport.js'

/** The variables a proxy is read from, in the toolkit's order of precedence, by target protocol. */
const PROXY_VARIABLES = { 'https:': ['https_proxy', 'HTTPS_PROXY'], 'http:': ['http_proxy', 'HTTP_PROXY'] } as const

/** A request's way out through a proxy. */
export interface ProxyRoute {
  /** Opens a CONNECT tunnel through the proxy; TLS to the target is verified with Node's trust store. */
  readonly agent: Agent
  /** Where the proxy came from, for messages, e.g. `HTTPS_PROXY (http://proxy.corp:3128)`; never its credentials. */
  readonly source: string
  /** The variable the proxy came from, e.g. `HTTPS_PROXY`. */
  readonly variable: string
}

/** What http-client's CONNECT agent (`tunnel`) is, beyond a Node agent. */
interface TunnelAgent extends Agent {
  defaultPort?: number
  /** Sends the CONNECT request to the proxy. */
  request?: (options: RequestOptions) => ClientRequest
}

/**
 * `tunnel` puts no time limit on the CONNECT: a proxy that took the connection and never answered
 * would hang the request (its own idle timeout only starts once the tunnel is open), and keep the
 * process alive after the run gave up.
 */
function limitConnect(agent: TunnelAgent, timeoutMs: number): void {
  const send = agent.request
  if (send === undefined) return
  agent.request = (options) => {
    const req = send(options)
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer from the proxy within ${timeoutMs / 1000} s`)))
    return req
  }
}

/** http-client's reading of the proxy variables for `url` ('' for none); a value it chokes on is named, not shown. */
function readProxyVariable(url: URL, variable: string): string {
  try {
    return getProxyUrl(url.href)
  } catch {
    throw new ActionError(`${variable} cannot be read as a proxy URL.`, {
      hint: `Write it as http://host:port or http://user:password@host:port, with special characters of the user and password percent-encoded (% as %25).`
    })
  }
}

/**
 * The proxy route for a request to `target`, or undefined when it goes direct. `connectTimeoutMs`
 * bounds the wait for the proxy to open the tunnel.
 */
export function proxyRoute(target: string | URL, connectTimeoutMs: number): ProxyRoute | undefined {
  const url = new URL(target)
  const names = url.protocol === 'https:' ? PROXY_VARIABLES['https:'] : PROXY_VARIABLES['http:']
  const variable = names.find((name) => process.env[name]) ?? names[1]
  const proxy = readProxyVariable(url, variable)
  if (proxy === '') return undefined
  const parsed = new URL(proxy)
  // As http-client: a value it cannot read as a URL with a host is no proxy.
  if (parsed.hostname === '') return undefined
  const agent: TunnelAgent = new HttpClient().getAgent(url.href)
  // tunnel leaves it unset for http: Node would then send `Host: name:80`, unlike a direct request.
  agent.defaultPort ??= url.protocol === 'https:' ? 443 : 80
  limitConnect(agent, connectTimeoutMs)
  return {
    agent,
    source: `${variable} (${parsed.protocol}//${parsed.host})`,
    variable
  }
}

function readProxyUrl(value: string): URL | undefined {
  for (const candidate of [value, `http://${value}`]) {
    try {
      const url = new URL(candidate)
      if (url.hostname !== '') return url
    } catch {
      // not a URL in this form
    }
  }
  return undefined
}

function decoded(component: string): string {
  try {
    return decodeURIComponent(component)
  } catch {
    return component
  }
}

/**
 * Masks the credentials of every proxy variable in the forms a log could show them: the password
 * and `user:password` as written (percent-encoded) and decoded, and the Basic credential sent to
 * the proxy. A user name alone is masked too (some proxies take a token there).
 */
export function maskProxyCredentials(setSecret: (secret: string) => void): void {
  const all = [...PROXY_VARIABLES['https:'], ...PROXY_VARIABLES['http:']]
  for (const name of all) {
    const url = readProxyUrl(process.env[name]?.trim() ?? '')
    if (url === undefined || (url.username === '' && url.password === '')) continue
    const user = decoded(url.username)
    const password = decoded(url.password)
    const pair = `${user}:${password}`
    const secrets = [pair, `${url.username}:${url.password}`, Buffer.from(pair).toString('base64')]
    if (password === '') secrets.push(user, url.username)
    else secrets.push(password, url.password)
    for (const secret of new Set(secrets)) setSecret(secret)
  }
}

// The messages of `tunnel` (the CONNECT agent of http-client) when the tunnel is not opened.
const TUNNEL_REFUSED = /tunneling socket could not be established, statusCode=(\d+)/
const TUNNEL_FAILED = /tunneling socket could not be established, cause=(.+?)(?:, [A-Z]+ https?:\/\/|\n|$)/

function hostAndPort(target: URL): string {
  return `${target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`
}

function refused(status: number, route: ProxyRoute, target: URL): Error {
  const what = `The proxy from ${route.source} refused to open a tunnel to ${hostAndPort(target)}: HTTP ${status}`
  if (status === 407) {
    return new ActionError(`${what} (Proxy Authentication Required). The proxy is at fault, not the request.`, {
      code: 'ProxyAuthenticationRequired',
      hint: `Give the proxy's user and password in ${route.variable} as http://user:password@host:port (percent-encode special characters), and check them with the proxy's administrators.`
    })
  }
  if (status >= 400 && status < 500) {
    return new ActionError(`${what}. The proxy is at fault, not the request.`, {
      code: `ProxyHTTP${status}`,
      hint: `Ask the proxy's administrators to allow ${hostAndPort(target)}, or list the host in NO_PROXY if the runner reaches it directly.`
    })
  }
  return new TransportError(`${what} (the proxy could not reach it)`, 'network', false, `ProxyHTTP${status}`)
}

/**
 * When `error` says the tunnel through the proxy could not be opened: an error that says the proxy
 * is at fault and names the variable it came from. A refusal with 4xx (407: the credentials) is
 * permanent: another attempt would only be refused again. A proxy that cannot be reached, or that
 * cannot reach the target (5xx), may recover: that stays a TransportError.
 */
function proxyFailure(error: unknown, route: ProxyRoute, target: URL): Error | undefined {
  const message = describeError(error)
  const status = TUNNEL_REFUSED.exec(message)?.[1]
  if (status !== undefined) return refused(Number(status), route, target)
  const cause = TUNNEL_FAILED.exec(message)?.[1]?.replace(` (${target.host})`, '')
  if (cause === undefined) return undefined
  return new TransportError(`Could not reach the proxy from ${route.source} for ${hostAndPort(target)}: ${cause}`, 'network', false, 'ProxyUnreachable')
}

/**
 * The error to report for a request to `target` that failed on `route`: the proxy's own failures
 * say so (see proxyFailure); other network failures say which proxy they went through.
 */
export function throughProxy(error: unknown, route: ProxyRoute | undefined, target: URL): unknown {
  if (route === undefined) return error
  const failure = proxyFailure(error, route, target)
  if (failure !== undefined) return failure
  if (error instanceof TransportError && error.kind !== 'aborted') {
    return new TransportError(`${error.message} through the proxy from ${route.source}`, error.kind, error.requestSent, error.code)
  }
  return error
}

/** `send` with each request routed as the proxy variables say. */
export function withProxy(send: (req: HttpRequest) => Promise<HttpResponse>): (req: HttpRequest) => Promise<HttpResponse> {
  return async (req) => {
    const target = new URL(req.url)
    const route = proxyRoute(target, req.idleTimeoutMs)
    try {
      return await send(route ? { ...req, agent: route.agent } : req)
    } catch (error) {
      throw throughProxy(error, route, target)
    }
  }
}
