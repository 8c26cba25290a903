import { createReadStream } from 'node:fs';
import { JobError } from '../errors.js';
import { ROW_STATUSES, type RowResult, type RowStatus } from '../run/row-result.js';

/**
 * Streams the rows of a results.json as RowResults, one line at a time: the report writer puts one row per line
 * (`[`, `{…},`, …, `]`), so a 200,000-row file is never held whole. Anything else is an input error (exit 2).
 */
export async function* readResultRows(file: string, keyFields: readonly string[]): AsyncGenerator<RowResult> {
  let lineNo = 0;
  for await (const text of readLines(file)) {
    lineNo++;
    const line = text.trim();
    if (line === '' || line === '[' || line === ']' || line === '[]') continue;
    const row = toRowResult(parseLine(line), keyFields);
    if (!row) {
      throw new JobError('EINPUT', `${file}:${lineNo} is not a row of a results.json written by odin-bulk; nothing was written`, [
        'merge-reports reads results.json as odin-bulk writes it: one JSON row per line.',
      ]);
    }
    yield row;
  }
}

async function* readLines(file: string): AsyncGenerator<string> {
  let rest = '';
  // A utf8 stream decodes across chunk boundaries, so a character split between chunks stays whole.
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop()!;
    yield* parts;
  }
  if (rest) yield rest;
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line);
  } catch {
    return undefined;
  }
}

/** Back from the results.json shape (`{line, ...key, status, requested, before, after, changed, attempts, error}`). */
function toRowResult(value: unknown, keyFields: readonly string[]): RowResult | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  if (!Number.isInteger(v.line) || !ROW_STATUSES.includes(v.status as RowStatus)) return undefined;
  const key: Record<string, string> = {};
  for (const k of keyFields) {
    if (typeof v[k] !== 'string') return undefined;
    key[k] = v[k] as string;
  }
  return {
    line: v.line as number,
    key,
    id: keyFields.map((k) => key[k]).join('/'),
    status: v.status as RowStatus,
    requested: (v.requested ?? {}) as RowResult['requested'],
    before: (v.before ?? null) as RowResult['before'],
    after: (v.after ?? null) as RowResult['after'],
    changed: Array.isArray(v.changed) ? (v.changed as string[]) : [],
    attempts: typeof v.attempts === 'number' ? v.attempts : 0,
    ...(typeof v.error === 'string' ? { error: v.error } : {}),
    ...(typeof v.httpStatus === 'number' ? { httpStatus: v.httpStatus } : {}),
    warnings: Array.isArray(v.warnings) ? (v.warnings as string[]) : [],
  };
}
