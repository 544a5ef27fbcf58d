import { parseCliArgs, USAGE } from './cli-args.js'
import { DEFAULT_ACCOUNT, startEmulator } from './index.js'

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
  const { options, faults, quiet } = command
  const emulator = await startEmulator({ ...options, log: quiet ? undefined : (line) => console.log(line) })
  for (const fault of faults) emulator.faults.add(fault)
  const account = options.accounts?.[0] ?? DEFAULT_ACCOUNT
  const host = new URL(emulator.url).host
  // Printing the emulator's own credentials is the point: scripts and the SDK need them.
  console.log(
    [
      `Alibaba Cloud IoT OTA emulator (${options.apiVariant ?? 'alibaba'} variant) listening on ${emulator.url}`,
      `  IoT endpoint    ${emulator.url}/  (SDK: endpoint '${host}', protocol 'http')`,
      `  OSS bucket      ${emulator.url}/iotx-ota`,
      `  User buckets    ${emulator.url}/<bucket>/<key>  (action: oss-endpoint '${emulator.url}'; ali-oss: endpoint '${emulator.url}', sldEnable)`,
      `  AccessKeyId     ${account.accessKeyId}`,
      `  AccessKeySecret ${account.accessKeySecret}`,
      ...(account.securityToken ? [`  SecurityToken   ${account.securityToken}`] : []),
      `  Data dir        ${emulator.dataDir}`,
      `  Control         GET ${emulator.url}/__emulator/state, POST|DELETE ${emulator.url}/__emulator/faults, POST ${emulator.url}/__emulator/reset`,
      ...faults.map((fault) => `  Fault           ${JSON.stringify(fault)}`)
    ].join('\n')
  )
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
