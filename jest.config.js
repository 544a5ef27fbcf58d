/** ESM jest: the toolkit packages (@actions/core 3, glob, github) are ESM-only. */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  clearMocks: true,
  reporters: ['default', '<rootDir>/scripts/jest-count-reporter.cjs'],
  testTimeout: 60000,
  // Most integration tests wait on the emulator's clock rather than compute: more files than cores run at once.
  maxWorkers: 4
}
