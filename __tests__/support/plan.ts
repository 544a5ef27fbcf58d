import type { Plan } from '../../src/plan/plan.js'

/** A plan for module wifi, DestVersion 1.2.3 from the tag wifi/v1.2.3; override what a test needs. */
export function makePlan(overrides: Partial<Plan> = {}): Plan {
  return {
    productKey: 'a1pk',
    moduleName: 'wifi',
    destVersion: '1.2.3',
    firmwareName: 'a1pk-wifi-1_2_3',
    needToVerify: true,
    signMethod: 'MD5',
    type: 0,
    version: { destVersion: '1.2.3', source: 'ref', tag: 'wifi/v1.2.3', tagModule: 'wifi', major: '1', minor: '2', patch: '3', isPrerelease: false, notes: [] },
    notes: [],
    ...overrides
  }
}
