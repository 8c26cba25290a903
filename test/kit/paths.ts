import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's root, and the places tests read from. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The built binary, as `npm test` builds it before jest runs: what package.json's "bin" names. */
export const CLI = fileURLToPath(new URL('../../dist/odin-bulk.mjs', import.meta.url));
export const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** The version in the repository's package.json: the oracle for what odin-bulk records as its own version. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
