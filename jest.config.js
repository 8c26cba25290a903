/**
 * Three tiers (docs/development.md, "Running the tests"): unit (pure: no files, network or processes), integration
 * (in this process, against real files and a simulator on 127.0.0.1), cli (the built binary, spawned as a user runs
 * it). `npm test` runs them all; `npm run test:unit` and the others one tier.
 * @type {import('jest').Config}
 */
const tier = (name) => ({
  displayName: name,
  testEnvironment: 'node',
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
  // The temp folders a test file made are removed after its last test.
  setupFilesAfterEnv: ['<rootDir>/test/kit/setup.ts'],
});

export default {
  // The package test (npm pack + install) is slow and needs the registry: `npm run test:package` (jest.package.config.js).
  projects: [tier('unit'), tier('integration'), tier('cli')],
  // Most of a CLI test's time is the spawned binary's or the simulator's: a second worker overlaps those waits.
  maxWorkers: 2,
  testTimeout: 30000,
};
