import base from './jest.config.js';

/**
 * The package as users get it (npm pack, install the tarball into an empty project, run it): `npm run test:package`.
 * Slow (it builds, packs and installs, which needs the package registry), so it is not part of `npm test`; .ci/run runs both.
 */
/** @type {import('jest').Config} */
export default {
  ...base,
  testMatch: ['<rootDir>/test/package/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300_000,
};
