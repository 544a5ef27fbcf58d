import { readFileSync } from 'node:fs'
import { parseCliArgs, USAGE } from './cli-args.js'
import { DEFAULT_ACCOUNT, startEmulator, type Emulator } from '../index.js'
import { DEFAULT_MINUTE_MS } from '../jobs/clock.js'
import { DEFAULT_DEVICES, describeFleet } from '../devices/fleet.js'
import type { EmulatorOptions } from '../server/options.js'

/** What the emulator prints at start: where each service is, and the credentials it accepts. */
function banner(emulator: Emulator, account: typeof DEFAULT_ACCOUNT, faults: readonly unknown[], options: EmulatorOptions): string {
  const { iot, oss } = emulator.hostUrls
  const iotUrl = new URL(iot)
  // Printing the emulator's own credentials is the point: scripts and the SDK need them.
  return [
    `Alibaba Cloud IoT OTA emulator listening on ${emulator.url}`,
    `  IoT endpoint    ${iot}/  (SDK: endpoint '${iotUrl.host}', protocol '${iotUrl.protocol.slice(0, -1)}')`,
    `  OSS bucket      ${emulator.hostUrls.bucket('iotx-ota')}`,
    `  User buckets    ${emulator.hostUrls.bucket('<bucket>')}/<key>  (action: oss-endpoint '${oss}'; ali-oss: endpoint '${oss}')`,
    `  AccessKeyId     ${account.accessKeyId}`,
    `  AccessKeySecret ${account.accessKeySecret}`,
    ...(account.securityToken ? [`  SecurityToken   ${account.securityToken}`] : []),
    `  Data dir        ${emulator.dataDir}`,
    `  Devices         ${describeFleet(options.devices ?? DEFAULT_DEVICES)}; one OTA minute lasts ${options.minuteMs ?? DEFAULT_MINUTE_MS} ms`,
    ...(options.churn
      ? [`  Churn           about ${options.churn.percent} % offline at any time, redrawn every ${options.churn.spanMinutes ?? 1} minute(s)`]
      : []),
    `  Control         GET ${emulator.url}/__emulator/state, POST|DELETE ${emulator.url}/__emulator/faults, POST ${emulator.url}/__emulator/firmwares, POST ${emulator.url}/__emulator/reset`,
    ...faults.map((fault) => `  Fault           ${JSON.stringify(fault)}`)
  ].join('\n')
}

async function main(): Promise<void> {
  let command
  try {
    command = parseCliArgs(process.argv.slice(2))
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`)
    process.exitCode = 2
    return
  }
  if (command.help) {
    console.log(USAGE)
    return
  }
  const { options, faults, quiet, tls } = command
  const emulator = await startEmulator({
    ...options,
    ...(tls && { tls: { key: readFileSync(tls.keyFile), cert: readFileSync(tls.certFile) } }),
    log: quiet ? undefined : (line) => console.log(line)
  })
  for (const fault of faults) emulator.faults.add(fault)
  console.log(banner(emulator, options.accounts?.[0] ?? DEFAULT_ACCOUNT, faults, options))
  const stop = () => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error)
        process.exit(1)
      }
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error((error as Error).message)
  process.exitCode = 1
})
