import { fileURLToPath } from 'node:url';

/** The repository's root, and the places tests read from. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The built binary, as `npm test` builds it before jest runs: what package.json's "bin" names. */
export const CLI = fileURLToPath(new URL('../../dist/odin-bulk.mjs', import.meta.url));
export const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
