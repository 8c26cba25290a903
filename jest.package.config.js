import base from './jest.config.js';

/**
 * The package as users get it (npm pack, install the tarball into an empty project, run it): `npm run test:package`.
 * Slow (it builds, packs and installs, which needs the package registry), so it is not part of `npm test`; .ci/run runs both.
 */
const [unit] = base.projects;

/** @type {import('jest').Config} */
export default {
  ...unit,
  displayName: 'package',
  testMatch: ['<rootDir>/test/package/**/*.test.ts'],
  testTimeout: 300_000,
};
