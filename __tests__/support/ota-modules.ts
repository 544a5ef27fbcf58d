import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { DEFAULT_ACCOUNT, type Emulator } from '../../emulator/index.js'

/** The official SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default

/**
 * Creates OTA modules for a product in the emulator as a user would before publishing to them:
 * CreateOTAModule through the official SDK (not the action's own client).
 */
export async function createOtaModules(emulator: Emulator, productKey: string, names: readonly string[]): Promise<void> {
  const { host, protocol } = new URL(emulator.url)
  const iot = new IotClient(
    new $OpenApi.Config({
      accessKeyId: DEFAULT_ACCOUNT.accessKeyId,
      accessKeySecret: DEFAULT_ACCOUNT.accessKeySecret,
      endpoint: host,
      protocol: protocol.slice(0, -1)
    })
  )
  for (const moduleName of names) {
    const answer = await iot.createOTAModule(new $Iot.CreateOTAModuleRequest({ productKey, moduleName }))
    if (answer.body?.success !== true) throw new Error(`CreateOTAModule ${moduleName}: ${answer.body?.code ?? '?'} ${answer.body?.errorMessage ?? ''}`)
  }
}
