import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './paths.js';

/** Odin's answers as its documentation prints them (test/fixtures/odin-samples/), as text. */
export function odinSampleText(file: string): string {
  return readFileSync(join(FIXTURES, 'odin-samples', file), 'utf8');
}

/** The same, parsed. */
export function odinSample<T = any>(file: string): T {
  return JSON.parse(odinSampleText(file)) as T;
}
