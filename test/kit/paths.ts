import { fileURLToPath } from 'node:url';

/** The repository's root, and the places tests read from. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The built binary, as `npm test` builds it before jest runs. */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
