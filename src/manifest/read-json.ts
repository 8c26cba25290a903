import { readFile } from 'node:fs/promises';
import { jsonRowLines } from './json-row-lines.js';
import type { RawRow } from './types.js';

export class JsonReadError extends Error {
  constructor(message: string, readonly line: number | undefined) {
    super(message);
  }
}

export type JsonManifest = { defaults: Record<string, unknown>; rows: RawRow[] };

/**
 * Reads a JSON manifest: an array of row objects, or `{"defaults": {...}, "rows": [...]}`.
 * A row that is not an object is kept as an empty row with a `__notObject` marker for the validator to report.
 */
export async function readJsonManifest(file: string): Promise<JsonManifest> {
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new JsonReadError(`not valid JSON: ${(error as Error).message}`, lineOfParseError(text, error as Error));
  }
  let rows: unknown;
  let defaults: unknown = {};
  if (Array.isArray(data)) rows = data;
  else if (isPlainObject(data) && Array.isArray(data.rows)) {
    const extra = Object.keys(data).filter((k) => k !== 'rows' && k !== 'defaults');
    if (extra.length) throw new JsonReadError(`unexpected top-level key ${extra.map((k) => `"${k}"`).join(', ')}: expected only "defaults" and "rows"`, 1);
    rows = data.rows;
    defaults = data.defaults ?? {};
    if (!isPlainObject(defaults)) throw new JsonReadError('"defaults" must be an object of field values', 1);
  } else {
    throw new JsonReadError('expected an array of row objects, or an object {"defaults": {...}, "rows": [...]}', 1);
  }
  const lines = jsonRowLines(text);
  const list = rows as unknown[];
  return {
    defaults: defaults as Record<string, unknown>,
    rows: list.map((row, i) => ({
      line: lines.length === list.length ? lines[i] : i + 1,
      cells: isPlainObject(row) ? row : { __notObject: row },
    })),
  };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lineOfParseError(text: string, error: Error): number | undefined {
  const pos = /position (\d+)/.exec(error.message);
  return pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
}
