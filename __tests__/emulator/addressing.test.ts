import { describe, expect, it } from '@jest/globals'
import { bucketOfHost, ossAddress } from '../../emulator/oss/addressing.js'

describe('OSS addressing as OSS reads it', () => {
  it.each<[string | undefined, string | undefined, string | undefined]>([
    ['acme.oss-cn-shanghai.aliyuncs.com', undefined, 'acme'],
    ['acme.oss-cn-shanghai.aliyuncs.com:8787', undefined, 'acme'],
    ['oss-cn-shanghai.aliyuncs.com', undefined, undefined],
    ['127.0.0.1:8787', undefined, undefined],
    ['[::1]:8787', undefined, undefined],
    ['localhost:8787', undefined, undefined],
    ['acme.localhost:8787', undefined, 'acme'],
    ['iotx-ota.oss-cn-shanghai.emulator.test', 'emulator.test', 'iotx-ota'],
    ['oss-cn-shanghai.emulator.test:443', 'emulator.test', undefined],
    ['iot.cn-shanghai.emulator.test', 'emulator.test', undefined],
    ['acme.emulator.test', 'emulator.test', 'acme'],
    ['acme.oss-cn-shanghai.emulator.test', undefined, undefined],
    ['Acme.OSS-cn-shanghai.aliyuncs.com', undefined, 'acme'],
    ['a.oss-cn-shanghai.aliyuncs.com', undefined, undefined],
    ['example.com', undefined, undefined],
    [undefined, undefined, undefined]
  ])('Host %j (host name %j) names bucket %j', (host, hostName, bucket) => {
    expect(bucketOfHost(host, hostName)).toBe(bucket)
  })

  it.each<[string, string, { bucket: string; rawKey: string }]>([
    ['acme.oss-cn-shanghai.aliyuncs.com', '/ota/fw.bin', { bucket: 'acme', rawKey: 'ota/fw.bin' }],
    ['acme.oss-cn-shanghai.aliyuncs.com', '/acme/ota/fw.bin', { bucket: 'acme', rawKey: 'acme/ota/fw.bin' }],
    ['127.0.0.1:8787', '/acme/ota/fw.bin', { bucket: 'acme', rawKey: 'ota/fw.bin' }],
    ['127.0.0.1:8787', '/acme', { bucket: 'acme', rawKey: '' }],
    ['acme.oss-cn-shanghai.aliyuncs.com', '/', { bucket: 'acme', rawKey: '' }]
  ])('Host %s, path %s', (host, path, address) => {
    expect(ossAddress(host, path, undefined)).toEqual(address)
  })
})
