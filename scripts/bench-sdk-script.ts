/**
 * The script a team writes without this action, as `npm run bench` times it beside the action: the
 * official SDK calls GenerateOTAUploadURL and CreateOTAFirmware, the file is posted with `fetch`,
 * `FormData` and `fs.openAsBlob`, its MD5 comes from a second read of the file, and nothing is
 * retried. Prints `{"firmwareId", "size", "md5"}` as one line.
 *
 *   OTA_ENDPOINT=127.0.0.1:8787 OTA_PROTOCOL=http ALIBABA_CLOUD_ACCESS_KEY_ID=… ALIBABA_CLOUD_ACCESS_KEY_SECRET=… \
 *   OTA_PRODUCT_KEY=… OTA_MODULE=… OTA_VERSION=1.2.3 OTA_FILE=build/app.bin node build/scripts/bench-sdk-script.js
 */
import IotModule, * as $Iot from '@alicloud/iot20180120'
import * as $OpenApi from '@alicloud/openapi-client'
import { createHash } from 'node:crypto'
import { createReadStream, openAsBlob } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename, extname } from 'node:path'

/** The SDK is CommonJS: its client class is the default export's `default`. */
const IotClient = IotModule.default

function env(name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set`)
  return value
}

async function md5Of(path: string): Promise<string> {
  const hash = createHash('md5')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

async function main(): Promise<void> {
  const file = env('OTA_FILE')
  const productKey = env('OTA_PRODUCT_KEY')
  const moduleName = env('OTA_MODULE')
  const version = env('OTA_VERSION')
  const iot = new IotClient(
    new $OpenApi.Config({
      accessKeyId: env('ALIBABA_CLOUD_ACCESS_KEY_ID'),
      accessKeySecret: env('ALIBABA_CLOUD_ACCESS_KEY_SECRET'),
      endpoint: env('OTA_ENDPOINT'),
      protocol: process.env.OTA_PROTOCOL ?? 'https'
    })
  )

  const ticket = (await iot.generateOTAUploadURL(new $Iot.GenerateOTAUploadURLRequest({ fileSuffix: extname(file).slice(1) }))).body?.data
  if (!ticket?.host || !ticket.firmwareUrl) throw new Error('GenerateOTAUploadURL returned no upload form')

  // PostObject: the form fields of the ticket, the file last.
  const form = new FormData()
  form.append('key', ticket.key ?? '')
  form.append('OSSAccessKeyId', ticket.OSSAccessKeyId ?? '')
  form.append('policy', ticket.policy ?? '')
  form.append('Signature', ticket.signature ?? '')
  form.append('success_action_status', '200')
  form.append('file', await openAsBlob(file), basename(file))
  const posted = await fetch(ticket.host, { method: 'POST', body: form })
  if (posted.status !== 200) throw new Error(`upload failed: HTTP ${posted.status} ${await posted.text()}`)

  const md5 = await md5Of(file)
  const size = (await stat(file)).size
  const created = await iot.createOTAFirmware(
    new $Iot.CreateOTAFirmwareRequest({
      productKey,
      moduleName,
      destVersion: version,
      firmwareName: `${productKey}-${moduleName}-${version.replace(/\./g, '_')}`,
      firmwareUrl: ticket.firmwareUrl,
      firmwareSign: md5,
      signMethod: 'MD5',
      firmwareSize: size
    })
  )
  const firmwareId = created.body?.data?.firmwareId
  if (!created.body?.success || !firmwareId) throw new Error(`CreateOTAFirmware failed: ${created.body?.code} ${created.body?.errorMessage}`)
  console.log(JSON.stringify({ firmwareId, size, md5 }))
}

await main()
