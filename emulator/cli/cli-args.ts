import { parseArgs } from 'node:util'
import { parseFaultSpec, type Fault } from '../server/faults.js'
import type { EmulatorOptions } from '../server/options.js'
import { DEFAULT_MINUTE_MS } from '../jobs/clock.js'
import { fleetSpecs, type DeviceSpec } from '../devices/fleet.js'
import { parseChurnArg, parseDeviceArg, parseFleetArg, parseFleetMixArg } from '../devices/spec-args.js'

/** The CLI listens on a fixed port by default, so that scripts can hard-code the endpoint. */
export const CLI_DEFAULT_PORT = 8787

export const USAGE = `Usage: node build/emulator/cli/cli.js [options]

Runs a local Alibaba Cloud IoT OTA API (RPC at /) and OSS (the bucket from the Host header, else path-style:
the platform's bucket /iotx-ota, user buckets /<bucket>) until SIGINT/SIGTERM.

Options:
  --port N                  port (default ${CLI_DEFAULT_PORT}; 0 picks a free one)
  --host HOST               address to listen on (default 127.0.0.1)
  --data-dir DIR            where uploaded objects are stored (default: a temporary folder, removed on exit)
  --access-key-id ID        the AccessKey to accept instead of the default one (with --access-key-secret)
  --access-key-secret S
  --security-token T        make that key an STS key that needs this token
  --qps N                   calls per AccessKeyId per second (default 10; 0 disables)
  --throttle-form F         gateway (400 Throttling.User, default) or business (200 iot.common.TooManyRequest)
  --policy-ttl-ms N         upload policy lifetime (default 60000), GenerateDeviceNameListURL's too
  --upload-ttl-ms N         how long an uploaded firmware file waits for CreateOTAFirmware (default 3600000)
  --device-list-ttl-ms N    how long an uploaded DnListFileUrl file stays usable for a job (default 3600000)
  --max-upload-bytes N      content-length-range upper bound in upload policies (default 1048576000)
  --firmware-quota N        most packages the account may hold (default 500)
  --product KEY             a ProductKey that exists (repeatable; default: every ProductKey exists)
  --iot-instance-id ID      require this IotInstanceId on every request
  --module PRODUCT:NAME     an OTA module the product has besides default (repeatable; others: CreateOTAModule)
  --api-variant V           alibaba (default) or marketplace (Tuya's IoT on Alibaba Cloud instances:
                            GET with the HMAC-SHA1 query signature only, lower-camel answers, decimal ids)
  --http-methods M          declared (default: each operation takes only the methods Alibaba's API metadata
                            declares, e.g. ListOTAModuleByProduct GET only) or any (GET and POST everywhere)
  --bucket NAME             a user bucket that exists (repeatable; default: any name but iotx-ota, created on first use)
  --tls-key FILE            listen with HTTPS: the PEM private key (with --tls-cert)
  --tls-cert FILE           the PEM certificate
  --host-name NAME          answer to names under NAME (e.g. emulator.test: iot.<region>.NAME, oss-<region>.NAME,
                            <bucket>.oss-<region>.NAME) and hand out URLs with them; only a proxy can route them
  --region R                the region in those names (default cn-shanghai)
  --public-port N           the port in those URLs (default: the listening port)
  --device NAME[:BEHAVIOUR[+N][@MINUTE]]
                            a simulated device (repeatable). BEHAVIOUR: succeed (default), fail-download,
                            fail-verify, fail-install, reject, offline, stall, offline-after-upgrade
                            (goes offline for good N minutes after its upgrade succeeded), rollback
                            (reports its old version again N minutes after; the task stays SUCCEEDED);
                            +N: those N minutes (default 1); @MINUTE: not yet activated until that minute
  --devices COUNT           COUNT succeeding devices fleet-0001…
  --fleet N:FAIL_PERCENT    N devices fleet-0001…, FAIL_PERCENT % of them failing the download
  --fleet-mix N:BEHAVIOUR=PERCENT[,BEHAVIOUR=PERCENT…][:N_MINUTES]
                            N devices fleet-0001…, each BEHAVIOUR taking its PERCENT (up to 3 decimals),
                            spread evenly; the rest succeed. :N_MINUTES is +N for offline-after-upgrade
                            and rollback (e.g. 100000:fail-download=2,rollback=0.5:3)
                            (give one of --devices, --fleet, --fleet-mix; default devices: test-device-1,
                            test-device-2 and --devices 50)
  --churn PERCENT[:SPAN]    background churn: about PERCENT % (0 to 90) of the fleet offline at any time,
                            upgraded or not, redrawn per device every SPAN minutes (default 1) by a hash
  --minute-ms N             real milliseconds an OTA minute lasts (default ${DEFAULT_MINUTE_MS})
  --fault SPEC              inject a fault (repeatable): JSON, or a short form:
                              throttle:ACTION:COUNT[:gateway|business]
                              server-error:ACTION:COUNT[:500|503]
                              drop:ACTION:COUNT
                              slow:ACTION:DELAY_MS[:COUNT]
                              lost-answer:ACTION:COUNT
                              upload-fail:COUNT:status-503|drop
                              stall-upload:COUNT
                              ambiguous-create:COUNT
                              random:iot|oss:SEED:RATE[:OUTCOME,...]
                            ACTION is an RPC action, * (any RPC action), PostObject or an OSS operation
                            (PutObject, UploadPart, InitiateMultipartUpload, ...). random faults a share
                            RATE (0-1] of every IoT call or every OSS request, reproducibly for a SEED;
                            OUTCOMEs: throttle (IoT), server-error, drop, lost-answer (writes only).
  --quiet                   no request log
  --help                    this text
`

/** The PEM files to listen with HTTPS; the CLI reads them. */
interface TlsFiles {
  keyFile: string
  certFile: string
}

type CliCommand = { help: true } | { help: false; options: EmulatorOptions; tls: TlsFiles | undefined; faults: Fault[]; quiet: boolean }

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'data-dir': { type: 'string' },
  'access-key-id': { type: 'string' },
  'access-key-secret': { type: 'string' },
  'security-token': { type: 'string' },
  qps: { type: 'string' },
  'throttle-form': { type: 'string' },
  'policy-ttl-ms': { type: 'string' },
  'upload-ttl-ms': { type: 'string' },
  'device-list-ttl-ms': { type: 'string' },
  'max-upload-bytes': { type: 'string' },
  'firmware-quota': { type: 'string' },
  product: { type: 'string', multiple: true },
  bucket: { type: 'string', multiple: true },
  'iot-instance-id': { type: 'string' },
  'api-variant': { type: 'string' },
  'http-methods': { type: 'string' },
  module: { type: 'string', multiple: true },
  'tls-key': { type: 'string' },
  'tls-cert': { type: 'string' },
  'host-name': { type: 'string' },
  region: { type: 'string' },
  'public-port': { type: 'string' },
  fault: { type: 'string', multiple: true },
  device: { type: 'string', multiple: true },
  devices: { type: 'string' },
  fleet: { type: 'string' },
  'fleet-mix': { type: 'string' },
  churn: { type: 'string' },
  'minute-ms': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean' }
} as const

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new Error(`--${name} must be a whole number, got ${JSON.stringify(value)}.`)
  return Number(value)
}

/** `--module PRODUCT:NAME` values, by ProductKey. */
function modulesOf(specs: readonly string[]): Record<string, string[]> {
  const modules: Record<string, string[]> = {}
  for (const spec of specs) {
    const [productKey, name, extra] = spec.split(':')
    if (!productKey || !name || extra !== undefined) throw new Error(`--module must be PRODUCT:NAME, got ${JSON.stringify(spec)}.`)
    ;(modules[productKey] ??= []).push(name)
  }
  return modules
}

/** --device, --devices, --fleet and --fleet-mix together; none of them: the default devices. */
function deviceSpecs(devices: string[] | undefined, count: number | undefined, fleet: string | undefined, mix: string | undefined): DeviceSpec[] | undefined {
  if ([count, fleet, mix].filter((v) => v !== undefined).length > 1) throw new Error('Give one of --devices, --fleet and --fleet-mix, not several.')
  const specs = [
    ...(devices ?? []).map(parseDeviceArg),
    ...(count === undefined ? [] : fleetSpecs(count, 0)),
    ...(fleet === undefined ? [] : parseFleetArg(fleet)),
    ...(mix === undefined ? [] : parseFleetMixArg(mix))
  ]
  return specs.length > 0 ? specs : undefined
}

/** Reads the command line into emulator options; throws with a message fit for the user. */
export function parseCliArgs(argv: string[]): CliCommand {
  const { values } = parseArgs({ args: argv, strict: true, options: OPTIONS })
  if (values.help) return { help: true }
  const accessKeyId = values['access-key-id']
  const accessKeySecret = values['access-key-secret']
  if ((accessKeyId === undefined) !== (accessKeySecret === undefined)) {
    throw new Error('Give --access-key-id and --access-key-secret together.')
  }
  if (values['security-token'] !== undefined && accessKeyId === undefined) {
    throw new Error('--security-token needs --access-key-id and --access-key-secret.')
  }
  const throttleForm = values['throttle-form']
  if (throttleForm !== undefined && throttleForm !== 'gateway' && throttleForm !== 'business') {
    throw new Error(`--throttle-form must be gateway or business, got ${JSON.stringify(throttleForm)}.`)
  }
  const [keyFile, certFile] = [values['tls-key'], values['tls-cert']]
  if ((keyFile === undefined) !== (certFile === undefined)) throw new Error('Give --tls-key and --tls-cert together.')
  const options: EmulatorOptions = {
    port: integer('port', values.port) ?? CLI_DEFAULT_PORT,
    host: values.host,
    dataDir: values['data-dir'],
    accounts:
      accessKeyId === undefined || accessKeySecret === undefined ? undefined : [{ accessKeyId, accessKeySecret, securityToken: values['security-token'] }],
    qpsLimit: integer('qps', values.qps),
    throttleForm,
    uploadPolicyTtlMs: integer('policy-ttl-ms', values['policy-ttl-ms']),
    uploadTtlMs: integer('upload-ttl-ms', values['upload-ttl-ms']),
    deviceListTtlMs: integer('device-list-ttl-ms', values['device-list-ttl-ms']),
    maxUploadBytes: integer('max-upload-bytes', values['max-upload-bytes']),
    firmwareQuota: integer('firmware-quota', values['firmware-quota']),
    products: values.product,
    buckets: values.bucket,
    iotInstanceId: values['iot-instance-id'],
    modules: values.module && modulesOf(values.module),
    hostName: values['host-name'],
    region: values.region,
    publicPort: integer('public-port', values['public-port']),
    devices: deviceSpecs(values.device, integer('devices', values.devices), values.fleet, values['fleet-mix']),
    churn: values.churn === undefined ? undefined : parseChurnArg(values.churn),
    minuteMs: integer('minute-ms', values['minute-ms']),
    apiVariant: values['api-variant'] as EmulatorOptions['apiVariant'],
    httpMethods: values['http-methods'] as EmulatorOptions['httpMethods']
  }
  const faults = (values.fault ?? []).flatMap((spec) => parseFaultSpec(spec))
  const tls = keyFile === undefined || certFile === undefined ? undefined : { keyFile, certFile }
  return { help: false, options, tls, faults, quiet: values.quiet ?? false }
}
