// jest in ESM mode (NestJS 12 is ESM-only): see ../shared/STACK-NOTES.md.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  moduleNameMapper: {
    '^#libs/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // Every response an e2e spec receives through test/support is checked against the OpenAPI document
  // (test/support/response-contract.ts); a file with a mismatch fails, and the run writes a summary.
  setupFilesAfterEnv: ['<rootDir>/test/support/contract-check.setup.ts'],
  globalSetup: '<rootDir>/test/support/contract-check.global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/contract-check.global-teardown.mjs',
  testTimeout: 60000,
  maxWorkers: 2,
  // Slowest files first, from jest's cache or, on a clean clone, the committed durations.
  testSequencer: '<rootDir>/test/support/sequencer.mjs',
  // Each spec file loads the whole Nest application graph into its own VM context; a worker that has
  // run many of them holds their heaps and slows down (measured: a suite taking 5.6 s alone took 47 s
  // late in the full run). A worker over this much memory after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '1GB',
};
