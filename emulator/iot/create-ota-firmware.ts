import {
  DEFAULT_SIGN_METHOD,
  FIRMWARE_DESC_MAX,
  fitsFirmwareDesc,
  fitsUdi,
  isFirmwareName,
  isModuleName,
  isMultiFileName,
  multiFileNameKey,
  isSignMethod,
  isVersion,
  MULTI_FILES_MAX,
  MULTI_FILES_MIN,
  UDI_MAX,
  type SignMethod
} from './documented-rules.js'
import type { EmulatorContext } from '../server/context.js'
import { newFirmwareId } from '../state/ids.js'
import { checkMarketplaceCreate, marketplaceFirmwareId } from './marketplace.js'
import { objectAtUrl } from '../oss/user-buckets/buckets.js'
import { BusinessError } from '../server/responses.js'
import { checkProduct, type OperationCall } from './operation.js'
import { hasModule } from './ota-modules.js'
import { invalidFormat, type RpcParams } from './rpc-params.js'
import type { FirmwareRecord, MultiFileRecord, StoredObject } from '../state/store.js'

const illegal = (message: string) => new BusinessError('iot.system.IllegalRequest', message)
const nullParameter = (message: string) => new BusinessError('iot.check.NullParameter', message)

function checkFirmwareName(firmwareName: string): void {
  if (!isFirmwareName(firmwareName)) {
    throw new BusinessError(
      'iot.firmware.IncorrectFormattedFirmwareName',
      'The FirmwareName is invalid: 1 to 40 characters (a Chinese or Japanese one counts 2) of letters, digits, hyphens, underscores or parentheses, starting with a letter or digit.'
    )
  }
}

/** DestVersion, Type and SrcVersion, checked together (a differential package needs another source version). */
function versionsOf(params: RpcParams, destVersion: string): Pick<FirmwareRecord, 'DestVersion' | 'Type' | 'SrcVersion'> {
  if (!isVersion(destVersion)) throw invalidFormat('DestVersion', destVersion)
  const type = params.integer('Type') ?? 0
  if (type !== 0 && type !== 1) throw invalidFormat('Type', String(type))
  const srcVersion = params.optional('SrcVersion')
  if (srcVersion !== undefined && !isVersion(srcVersion)) throw invalidFormat('SrcVersion', srcVersion)
  if (type === 1 && srcVersion === undefined) throw nullParameter('SrcVersion is required for a differential package (Type=1).')
  if (type === 1 && srcVersion === destVersion) throw illegal('SrcVersion must differ from DestVersion for a differential package (Type=1).')
  return { DestVersion: destVersion, Type: type, SrcVersion: srcVersion }
}

function textsOf(params: RpcParams): Pick<FirmwareRecord, 'FirmwareDesc' | 'Udi'> {
  const firmwareDesc = params.optional('FirmwareDesc')
  if (firmwareDesc !== undefined && !fitsFirmwareDesc(firmwareDesc)) {
    throw new BusinessError('iot.firmware.FirmwareDescExceedLimit', `The FirmwareDesc exceeds ${FIRMWARE_DESC_MAX} characters.`)
  }
  const udi = params.optional('Udi')
  if (udi !== undefined && !fitsUdi(udi)) {
    throw new BusinessError('iot.firmware.FirmwareUdiExceedLimit', `The Udi exceeds ${UDI_MAX} characters (a Chinese or Japanese one counts 2).`)
  }
  return { FirmwareDesc: firmwareDesc, Udi: udi }
}

function signMethodOf(params: RpcParams): SignMethod {
  const signMethod = params.optional('SignMethod') ?? DEFAULT_SIGN_METHOD
  if (!isSignMethod(signMethod)) throw invalidFormat('SignMethod', signMethod)
  return signMethod
}

/** The account's limits: names are unique across the account, and it holds at most its quota. */
function checkAccount(context: EmulatorContext, firmwareName: string): void {
  const { firmwares } = context.store
  if ([...firmwares.values()].some((f) => f.FirmwareName === firmwareName)) {
    throw new BusinessError('iot.firmware.AlreadyExistedFirmwareName', 'The OTA update package already exists.')
  }
  if (firmwares.size >= context.settings.firmwareQuota) {
    throw new BusinessError(
      'iot.firmware.FirmwareCountExceedLimit',
      `The account already holds ${firmwares.size} OTA update packages, the most allowed (${context.settings.firmwareQuota}). Delete unused packages first.`
    )
  }
}

export function createOtaFirmware({ params, now, context }: OperationCall): Record<string, unknown> {
  const firmwareName = params.required('FirmwareName')
  const destVersion = params.required('DestVersion')
  checkFirmwareName(firmwareName)
  const versions = versionsOf(params, destVersion)
  const marketplace = context.settings.apiVariant === 'marketplace'
  if (marketplace) checkMarketplaceCreate(params, versions.Type)
  const signMethod = signMethodOf(params)
  const texts = textsOf(params)
  const moduleName = params.optional('ModuleName') ?? 'default'
  if (!isModuleName(moduleName)) throw new BusinessError('iot.ota.InvalidOtaModuleName', 'The ModuleName is invalid.')
  const needToVerify = params.boolean('NeedToVerify') ?? true
  const productKey = params.optional('ProductKey')
  if (productKey !== undefined) checkProduct(context, productKey)
  if (!hasModule(context, productKey, moduleName)) {
    throw new BusinessError('iot.ota.InvalidOtaModuleName', `The OTA module ${moduleName} does not exist in the product ${productKey ?? '(no ProductKey)'}.`)
  }
  checkAccount(context, firmwareName)
  const at = { context, now }
  const files = params.listIndices('MultiFiles').length > 0 ? { MultiFiles: multiFiles(params, signMethod, at) } : singleFile(params, signMethod, at)

  const utc = new Date(now).toISOString()
  const record: FirmwareRecord = {
    FirmwareId: marketplace ? marketplaceFirmwareId(context.store) : newFirmwareId(),
    FirmwareName: firmwareName,
    ...versions,
    ...texts,
    ...files,
    SignMethod: signMethod,
    ModuleName: moduleName,
    ProductKey: productKey,
    NeedToVerify: needToVerify,
    Status: needToVerify ? 0 : -1,
    VerifyProgress: 0,
    UtcCreate: utc,
    UtcModified: utc
  }
  context.store.firmwares.set(record.FirmwareId, record)
  return { Data: { FirmwareId: record.FirmwareId, UtcCreate: utc } }
}

/** Where a file is registered from, and when (real time: the platform cleans its unregistered uploads up). */
interface Registering {
  context: EmulatorContext
  now: number
}

/**
 * The object a URL names: one GenerateOTAUploadURL issued, once PostObject stored it and within
 * `uploadTtlMs` (60 minutes: later the platform cleans it up), or one in a user bucket (the
 * platform's rules for URLs outside its bucket are not documented).
 */
function uploadedObject({ context, now }: Registering, url: string, name: string): StoredObject {
  const key = context.store.uploadUrls.get(url)
  const own = key === undefined ? objectAtUrl(context, url) : undefined
  if (own) {
    if (!own.object) throw illegal(`No object exists at the ${name} ${url}: upload it first.`)
    return own.object
  }
  if (key === undefined) throw illegal(`The ${name} was neither issued by GenerateOTAUploadURL nor names an object in this OSS: ${url}`)
  const object = context.store.objects.get(key)
  if (!object) throw illegal(`No file was uploaded to the ${name} ${url}: upload it with PostObject first.`)
  if (now - (object.storedAt ?? now) > context.settings.uploadTtlMs) {
    throw illegal(`The file at the ${name} ${url} was uploaded more than 60 minutes ago and has been cleaned up: upload it again.`)
  }
  return object
}

function digest(object: StoredObject, method: SignMethod): string {
  return method === 'MD5' ? object.md5 : object.sha256
}

function checkSize(params: RpcParams, name: string, object: StoredObject): void {
  const size = params.integer(name)
  if (size !== undefined && size !== object.size) throw illegal(`The ${name} ${size} does not match the uploaded file (${object.size} bytes).`)
}

function checkDigest(params: RpcParams, name: string, method: SignMethod, expected: string): string | undefined {
  const given = params.optional(name)
  if (given !== undefined && given.toLowerCase() !== expected) throw illegal(`The ${name} does not match the ${method} of the uploaded file.`)
  return given
}

function singleFile(params: RpcParams, method: SignMethod, at: Registering): Pick<FirmwareRecord, 'FirmwareUrl' | 'FirmwareSign' | 'FirmwareSize'> {
  const url = params.optional('FirmwareUrl')
  if (url === undefined) throw nullParameter('FirmwareUrl is required for a single-file package.')
  const object = uploadedObject(at, url, 'FirmwareUrl')
  checkSize(params, 'FirmwareSize', object)
  const sign = checkDigest(params, 'FirmwareSign', method, digest(object, method))
  // Documented: FirmwareSign omitted, the platform takes the object's MD5, whatever SignMethod says.
  return { FirmwareUrl: url, FirmwareSign: sign ?? object.md5, FirmwareSize: object.size }
}

/**
 * What MultiFiles' documentation asks of the package as a whole: FirmwareUrl, FirmwareSign and
 * FirmwareSize are for one file only; one file goes in FirmwareUrl ("required when the package has
 * one file"), so MultiFiles holds 2 to 20; the list runs 1..N.
 */
function checkMultiFilesShape(params: RpcParams, indices: readonly number[]): void {
  const single = ['FirmwareUrl', 'FirmwareSign', 'FirmwareSize'].filter((name) => params.optional(name) !== undefined)
  if (single.length > 0) throw illegal(`${single.join(', ')} cannot be sent with MultiFiles: they describe a single-file package.`)
  const gap = indices.findIndex((index, i) => index !== i + 1)
  if (gap >= 0) throw invalidFormat('MultiFiles.N', `index ${gap + 1} is missing`)
  if (indices.length < MULTI_FILES_MIN) {
    throw nullParameter(`A package of one file takes FirmwareUrl (required then); MultiFiles is for ${MULTI_FILES_MIN} to ${MULTI_FILES_MAX} files.`)
  }
  if (indices.length > MULTI_FILES_MAX) throw illegal(`A package holds at most ${MULTI_FILES_MAX} files; MultiFiles has ${indices.length}.`)
}

/** One MultiFiles entry, checked against its uploaded object; Size, SignValue and FileMd5 default to the object's. */
function multiFile(params: RpcParams, index: number, method: SignMethod, at: Registering): MultiFileRecord {
  const prefix = `MultiFiles.${index}`
  const name = params.optional(`${prefix}.Name`)
  if (name === undefined) throw nullParameter(`${prefix}.Name is required.`)
  if (!isMultiFileName(name)) throw invalidFormat(`${prefix}.Name`, name)
  const url = params.optional(`${prefix}.Url`)
  if (url === undefined) throw nullParameter(`${prefix}.Url is required.`)
  const object = uploadedObject(at, url, `${prefix}.Url`)
  checkSize(params, `${prefix}.Size`, object)
  const signValue = checkDigest(params, `${prefix}.SignValue`, method, digest(object, method))
  const fileMd5 = checkDigest(params, `${prefix}.FileMd5`, 'MD5', object.md5)
  return { Name: name, Url: url, Size: object.size, SignValue: signValue ?? digest(object, method), FileMd5: fileMd5 ?? object.md5 }
}

/** A multi-file package's files: names unique (letter case aside), each from its own GenerateOTAUploadURL and uploaded. */
function multiFiles(params: RpcParams, method: SignMethod, at: Registering): MultiFileRecord[] {
  const indices = params.listIndices('MultiFiles')
  checkMultiFilesShape(params, indices)
  const files = indices.map((index) => multiFile(params, index, method, at))
  const twice = (key: (file: MultiFileRecord) => string) => files.find((file, i) => files.findIndex((other) => key(other) === key(file)) !== i)
  const name = twice((file) => multiFileNameKey(file.Name))?.Name
  if (name !== undefined) throw illegal(`The file name ${name} appears twice in MultiFiles (letter case aside): names are unique within a package.`)
  const url = twice((file) => file.Url)?.Url
  if (url !== undefined) throw illegal(`The Url ${url} appears twice in MultiFiles: each file has its own GenerateOTAUploadURL.`)
  return files
}
