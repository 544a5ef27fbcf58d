import { readMetadata, type Metadata } from '../../support/action-metadata.js'
import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { actionErrorOf } from '../../support/action-error.js'
import { makePlan } from '../../support/plan.js'
import { parseConnection } from '../../../src/config/connection.js'
import { parseInputs } from '../../../src/config/inputs.js'
import type { Environment } from '../../../src/config/readers.js'
import { DEFAULTS, INPUT, JOB_DEFAULTS, OUTPUT, PRUNE_DEFAULTS, PRUNE_INPUT, ROLLOUT_INPUT, VERIFY_INPUT } from '../../../src/contract/names.js'
import { zeroCounts } from '../../../src/jobs/tasks.js'
import { buildOutputs } from '../../../src/publish/outputs.js'
import { parseRolloutInputs } from '../../../src/rollout/inputs.js'
import { buildRolloutOutputs } from '../../../src/rollout/summary.js'
import { buildPlanOutputs } from '../../../src/rollout/plan/report.js'
import { countFailureClasses } from '../../../src/jobs/failure-class.js'
import type { PlanOutcome } from '../../../src/rollout/plan/outcome.js'

/** A plan run's outcome, for the outputs plan mode sets. */
const PLAN_OUTCOME: PlanOutcome = {
  result: 'in-progress',
  plan: 'p',
  stageCount: 2,
  current: 1,
  stages: [],
  totals: { succeeded: 0, failed: 0, canceled: 0 },
  fleet: 0,
  failureClasses: countFailureClasses([]),
  failedTasks: []
}
import { parseVerifyInputs } from '../../../src/verify/inputs.js'
import { parsePruneInputs } from '../../../src/prune/inputs.js'
import { buildPruneOutputs } from '../../../src/prune/summary.js'
import { buildVerifyOutputs } from '../../../src/verify/summary.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

const defaultsOf = (m: Metadata): Record<string, string> =>
  Object.fromEntries([...m.inputs].filter(([, e]) => e.default !== undefined).map(([name, e]) => [name, e.default!]))
const requiredOf = (m: Metadata): string[] => [...m.inputs].filter(([, e]) => e.required === 'true').map(([name]) => name)
const strings = (values: Record<string, string | number | boolean>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)]))

/**
 * The defaults the code applies to the connection inputs every action shares. api-variant has none
 * declared: left empty, the endpoint's host decides, which a declared default would hide.
 */
const CONNECTION_DEFAULTS = {
  [INPUT.regionId]: DEFAULTS.regionId,
  [INPUT.maxAttempts]: DEFAULTS.maxAttempts,
  [INPUT.requestTimeoutSeconds]: DEFAULTS.requestTimeoutSeconds
}
/** The defaults both job actions apply to the job inputs they share. */
const JOB_BASICS_DEFAULTS = {
  [VERIFY_INPUT.needPush]: JOB_DEFAULTS.needPush,
  [VERIFY_INPUT.needConfirm]: JOB_DEFAULTS.needConfirm,
  [VERIFY_INPUT.downloadProtocol]: JOB_DEFAULTS.downloadProtocol
}

const CREDENTIALS: Environment = { ALIBABA_CLOUD_ACCESS_KEY_ID: 'LTAI5tExampleKey', ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'example-secret' }
const NOW = new Date('2026-05-01T00:00:00Z')

interface ActionCase {
  file: string
  /** Every input name the code reads. */
  names: Record<string, string>
  /** Every default the code applies to an empty input, by input name. */
  defaults: Record<string, string | number | boolean>
  /** Parses the inputs as the action does; throws an ActionError naming a bad or missing input. */
  parse: (inputs: Record<string, string>) => unknown
  /** Inputs besides the required ones that make a minimal run (publish: files, required but for upload-mode url). */
  minimal: Record<string, string>
  /** The outputs the code sets on success. */
  outputs: string[]
  main: string
}

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

const ACTIONS: ActionCase[] = [
  {
    file: 'action.yml',
    names: INPUT,
    defaults: Object.fromEntries(
      Object.entries(DEFAULTS)
        .filter(([key]) => key !== 'apiVariant')
        .map(([key, value]) => [INPUT[key as keyof typeof DEFAULTS], value])
    ),
    parse: (inputs) => parseInputs(reader(inputs), CREDENTIALS),
    minimal: { [INPUT.files]: 'build/*.bin' },
    // manifest-path is set once the manifest is written, beside these.
    outputs: [...Object.keys(buildOutputs(makePlan(), { result: 'created', firmwareId: 'F', size: 1, sign: 'x', signMethod: 'MD5' })), OUTPUT.manifestPath],
    main: 'dist/publish/index.js'
  },
  {
    file: 'verify/action.yml',
    names: VERIFY_INPUT,
    defaults: {
      ...CONNECTION_DEFAULTS,
      ...JOB_BASICS_DEFAULTS,
      [VERIFY_INPUT.timeoutMinutes]: JOB_DEFAULTS.verifyTimeoutMinutes,
      [VERIFY_INPUT.wait]: JOB_DEFAULTS.wait
    },
    parse: (inputs) => {
      const connection = parseConnection(reader(inputs), CREDENTIALS)
      return { connection, inputs: parseVerifyInputs(reader(inputs), connection) }
    },
    minimal: {},
    outputs: Object.keys(
      buildVerifyOutputs({
        result: 'verified',
        jobId: 'V1',
        firmwareId: 'F',
        origin: 'created',
        firmware: { FirmwareId: 'F', FirmwareName: 'fw', DestVersion: '1.2.3', ModuleName: 'default', Status: 1, VerifyProgress: 100 },
        timedOut: false,
        neverReported: [],
        waitMinutes: 45,
        devices: [{ name: 'dev-1', status: 'SUCCEEDED', progress: 100 }]
      })
    ),
    main: '../dist/verify/index.js'
  },
  {
    file: 'rollout/action.yml',
    names: ROLLOUT_INPUT,
    defaults: {
      ...CONNECTION_DEFAULTS,
      ...JOB_BASICS_DEFAULTS,
      [ROLLOUT_INPUT.selection]: JOB_DEFAULTS.selection,
      [ROLLOUT_INPUT.dynamic]: JOB_DEFAULTS.dynamic,
      [ROLLOUT_INPUT.overwrite]: JOB_DEFAULTS.overwrite,
      [ROLLOUT_INPUT.waitMinutes]: JOB_DEFAULTS.rolloutWaitMinutes,
      [ROLLOUT_INPUT.minFinishedDevices]: JOB_DEFAULTS.minFinishedDevices,
      [ROLLOUT_INPUT.minSuccessPercent]: JOB_DEFAULTS.minSuccessPercent,
      [ROLLOUT_INPUT.soakMinutes]: JOB_DEFAULTS.soakMinutes,
      [ROLLOUT_INPUT.operation]: JOB_DEFAULTS.operation,
      [ROLLOUT_INPUT.healthCheck]: JOB_DEFAULTS.healthCheck,
      [ROLLOUT_INPUT.maxUnhealthyPercent]: JOB_DEFAULTS.maxUnhealthyPercent,
      [ROLLOUT_INPUT.healthSample]: JOB_DEFAULTS.healthSample
    },
    parse: (inputs) => {
      const connection = parseConnection(reader(inputs), CREDENTIALS)
      return { connection, inputs: parseRolloutInputs(reader(inputs), connection, NOW) }
    },
    minimal: {},
    outputs: [
      ...Object.keys(buildPlanOutputs(PLAN_OUTCOME)),
      ...Object.keys(
        buildRolloutOutputs({
          result: 'completed',
          jobId: 'J1',
          origin: 'created',
          jobStatus: 'COMPLETED',
          counts: zeroCounts(),
          total: 0,
          failedTasks: [],
          cancelled: [],
          stillRunning: [],
          stillRunningCount: 0
        })
      )
    ].filter((name, i, all) => all.indexOf(name) === i),
    main: '../dist/rollout/index.js'
  },
  {
    file: 'prune/action.yml',
    names: PRUNE_INPUT,
    defaults: {
      ...CONNECTION_DEFAULTS,
      [PRUNE_INPUT.prereleases]: PRUNE_DEFAULTS.prereleases,
      [PRUNE_INPUT.maxDeletions]: PRUNE_DEFAULTS.maxDeletions,
      [PRUNE_INPUT.dryRun]: PRUNE_DEFAULTS.dryRun
    },
    parse: (inputs) => {
      const connection = parseConnection(reader(inputs), CREDENTIALS)
      return { connection, inputs: parsePruneInputs(reader(inputs), connection) }
    },
    minimal: {},
    outputs: Object.keys(buildPruneOutputs({ dryRun: false, deletions: [], plan: { modules: [], queue: [] }, accountPackages: 1 })),
    main: '../dist/prune/index.js'
  }
]

/** Values the required inputs take in a minimal run. */
const SAMPLE: Record<string, string> = { 'product-key': 'a1uctKe1234', 'firmware-id': 'fw-0100', devices: 'test-device-1', 'keep-last': '5' }

describe.each(ACTIONS)('$file', (action) => {
  const metadata = readMetadata(ROOT, action.file)
  const required = requiredOf(metadata)
  const minimal = { ...Object.fromEntries(required.map((name) => [name, SAMPLE[name] ?? ''])), ...action.minimal }

  it('declares every input the code reads, and no other', () => {
    expect([...metadata.inputs.keys()].sort()).toEqual([...new Set(Object.values(action.names))].sort())
  })

  it('declares exactly the defaults the code applies to an empty input', () => {
    expect(defaultsOf(metadata)).toEqual(strings(action.defaults))
  })

  it('its declared defaults read as the empty inputs do', () => {
    expect(action.parse({ ...minimal, ...defaultsOf(metadata) })).toEqual(action.parse(minimal))
  })

  it('marks required the inputs a run cannot do without, and only those', () => {
    expect(required.every((name) => SAMPLE[name] !== undefined)).toBe(true)
    expect(() => action.parse(minimal)).not.toThrow()
    for (const name of required) expect(actionErrorOf(() => action.parse({ ...minimal, [name]: '' })).input).toBe(name)
  })

  it('says which api-variant applies when it is left empty', () => {
    expect(metadata.inputs.get(INPUT.apiVariant)?.description).toContain('.tuyacloud.com')
  })

  it('describes every input and output', () => {
    for (const [name, entry] of [...metadata.inputs, ...metadata.outputs]) expect([name, entry.description ?? '']).toEqual([name, expect.stringMatching(/\S/)])
  })

  it('declares the outputs the code sets, and no other', () => {
    expect([...metadata.outputs.keys()].sort()).toEqual([...action.outputs].sort())
  })

  it(`runs on node24 from ${action.main}, which exists`, () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: action.main })
    expect(existsSync(join(ROOT, dirname(action.file), action.main))).toBe(true)
  })
})
