import { describe, expect, it } from '@jest/globals'
import { CLI_DEFAULT_PORT, parseCliArgs } from '../../emulator/cli/cli-args.js'
import { parseFaultSpec } from '../../emulator/server/faults.js'

describe('parseFaultSpec', () => {
  it.each([
    ['throttle:CreateOTAFirmware:2', { kind: 'throttle', action: 'CreateOTAFirmware', count: 2 }],
    ['throttle:*:1:business', { kind: 'throttle', action: '*', count: 1, form: 'business' }],
    ['server-error:PostObject:3:503', { kind: 'server-error', action: 'PostObject', count: 3, status: 503 }],
    ['drop:QueryOTAFirmware:1', { kind: 'drop', action: 'QueryOTAFirmware', count: 1 }],
    ['slow:*:250', { kind: 'slow', action: '*', delayMs: 250 }],
    ['slow:GenerateOTAUploadURL:250:4', { kind: 'slow', action: 'GenerateOTAUploadURL', delayMs: 250, count: 4 }],
    ['upload-fail:2:drop', { kind: 'upload-fail', count: 2, mode: 'drop' }],
    ['stall-upload:1', { kind: 'stall-upload', count: 1 }],
    ['ambiguous-create:1', { kind: 'ambiguous-create', count: 1 }],
    ['lost-answer:InitiateMultipartUpload:2', { kind: 'lost-answer', action: 'InitiateMultipartUpload', count: 2 }],
    ['lost-answer:*:1', { kind: 'lost-answer', action: '*', count: 1 }],
    ['random:oss:42:0.25', { kind: 'random', target: 'oss', seed: 42, rate: 0.25 }],
    ['random:iot:7:1:throttle,lost-answer', { kind: 'random', target: 'iot', seed: 7, rate: 1, outcomes: ['throttle', 'lost-answer'] }],
    ['{"kind":"random","target":"oss","seed":1,"rate":0.5,"outcomes":["drop"]}', { kind: 'random', target: 'oss', seed: 1, rate: 0.5, outcomes: ['drop'] }],
    ['{"kind":"drop","action":"*","count":1,"extra":true}', { kind: 'drop', action: '*', count: 1 }]
  ])('%s', (spec, fault) => {
    expect(parseFaultSpec(spec)).toEqual([fault])
  })

  it('reads a JSON array', () => {
    expect(parseFaultSpec('[{"kind":"stall-upload","count":1},{"kind":"ambiguous-create","count":2}]')).toHaveLength(2)
  })

  it.each([
    ['throttle:CreateOTAFirmware', /count must be a positive integer/],
    ['throttle:PostObject:1', /RPC actions only/],
    ['server-error:*:1:502', /status must be one of 500, 503/],
    ['upload-fail:1', /mode is required/],
    ['slow:*:soon', /delayMs/],
    ['explode:1', /kind must be/],
    ['lost-answer:GetObject:1', /OSS operations that write/],
    ['random:s3:1:0.5', /target must be iot or oss/],
    ['random:oss:-1:0.5', /seed must be/],
    ['random:oss:1:0', /rate must be/],
    ['random:oss:1:1.5', /rate must be/],
    ['random:oss:1:0.5:throttle', /outcomes must be a non-empty list of server-error, drop, lost-answer/]
  ])('refuses %s', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(message)
  })
})

describe('parseCliArgs', () => {
  it('defaults to port 8787 and the default account', () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      options: expect.objectContaining({ port: CLI_DEFAULT_PORT, accounts: undefined }),
      faults: [],
      quiet: false
    })
  })

  it('reads every option', () => {
    const command = parseCliArgs([
      '--port',
      '0',
      '--data-dir',
      '/tmp/x',
      '--qps',
      '0',
      '--throttle-form',
      'business',
      '--access-key-id',
      'id',
      '--access-key-secret',
      'secret',
      '--security-token',
      'token',
      '--product',
      'a1',
      '--product',
      'a2',
      '--fault',
      'stall-upload:1',
      '--fault',
      'drop:*:2',
      '--quiet'
    ])
    expect(command).toEqual({
      help: false,
      options: expect.objectContaining({
        port: 0,
        dataDir: '/tmp/x',
        qpsLimit: 0,
        throttleForm: 'business',
        accounts: [{ accessKeyId: 'id', accessKeySecret: 'secret', securityToken: 'token' }],
        products: ['a1', 'a2']
      }),
      faults: [
        { kind: 'stall-upload', count: 1 },
        { kind: 'drop', action: '*', count: 2 }
      ],
      quiet: true
    })
  })

  it('reads modules, TLS files and the host name', () => {
    const command = parseCliArgs([
      '--module',
      'a1pk:wifi',
      '--module',
      'a1pk:mcu',
      '--module',
      'a2pk:ble',
      '--tls-key',
      'key.pem',
      '--tls-cert',
      'cert.pem',
      '--host-name',
      'emulator.test',
      '--region',
      'cn-beijing',
      '--public-port',
      '443'
    ])
    expect(command).toEqual({
      help: false,
      options: expect.objectContaining({ modules: { a1pk: ['wifi', 'mcu'], a2pk: ['ble'] }, hostName: 'emulator.test', region: 'cn-beijing', publicPort: 443 }),
      tls: { keyFile: 'key.pem', certFile: 'cert.pem' },
      faults: [],
      quiet: false
    })
  })

  it('reads how long an upload waits for CreateOTAFirmware', () => {
    expect(parseCliArgs(['--upload-ttl-ms', '5000'])).toMatchObject({ options: { uploadTtlMs: 5000 } })
  })

  it('reads the package quota, the method check and random faults', () => {
    const command = parseCliArgs(['--firmware-quota', '3', '--http-methods', 'any', '--fault', 'random:oss:42:0.1:drop,lost-answer'])
    expect(command).toMatchObject({
      options: { firmwareQuota: 3, httpMethods: 'any' },
      faults: [{ kind: 'random', target: 'oss', seed: 42, rate: 0.1, outcomes: ['drop', 'lost-answer'] }]
    })
  })

  it.each([
    [['--module', 'wifi'], /PRODUCT:NAME/],
    [['--tls-key', 'key.pem'], /--tls-key and --tls-cert together/],
    [['--access-key-id', 'id'], /together/],
    [['--qps', 'ten'], /whole number/],
    [['--throttle-form', 'loud'], /gateway or business/],
    [['--nope'], /Unknown option/]
  ])('refuses %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message)
  })
})
