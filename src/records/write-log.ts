import { closeSync, openSync, writeSync } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Fields } from '../operations/types.js';
import { cutPartialLine, scanLines } from './ndjson-file.js';

/**
 * A PUT an earlier attempt sent (or was about to send) for a row: the fields it changes and their values before
 * this run touched them. It may have been applied even though no result was journaled (the process died, or the
 * answer never came), so a resume keeps these values for rollback.csv instead of reading the new ones as "before".
 */
export type EarlierWrite = { before: Fields; changed: string[] };

/** One line of writes.ndjson. */
export type WriteRecord = { line: number; id: string; before: Fields; changed: string[] };

/**
 * Lines of writes.ndjson for the rows `wanted` (manifest lines whose journal entry does not stand), merged per row:
 * a field's first recorded before value wins (a later attempt may have read the value an earlier PUT set), and the
 * changed fields are the union. A missing file (a run before this file existed, or a plan) reads as no writes. A
 * half-written last line is cut off: the process died in the write, before the PUT went out.
 */
export async function readWriteLog(file: string, wanted: (line: number, id: string) => boolean): Promise<Map<number, EarlierWrite>> {
  const writes = new Map<number, EarlierWrite>();
  if (!(await access(file).then(() => true, () => false))) return writes;
  await cutPartialLine(file);
  const fd = openSync(file, 'r');
  try {
    await scanLines(fd, (text, _offset, _length, lineNumber) => {
      const record = parseRecord(text, lineNumber);
      if (!wanted(record.line, record.id)) return;
      const earlier = writes.get(record.line) ?? { before: {}, changed: [] };
      for (const field of record.changed) {
        if (!earlier.changed.includes(field)) earlier.changed.push(field);
        if (!(field in earlier.before)) earlier.before[field] = record.before[field] ?? null;
      }
      writes.set(record.line, earlier);
    });
  } finally {
    closeSync(fd);
  }
  return writes;
}

export class WriteLogDamaged extends Error {
  constructor(readonly lineNumber: number) {
    super(`line ${lineNumber} of writes.ndjson is damaged`);
  }
}

function parseRecord(text: string, lineNumber: number): WriteRecord {
  const record = decodeWriteRecord(text);
  if ('problem' in record) throw new WriteLogDamaged(lineNumber);
  return record;
}

/** A line of writes.ndjson back as its record; a line that is not one says why. */
export function decodeWriteRecord(text: string): WriteRecord | { problem: string } {
  let value: Partial<WriteRecord> | null;
  try {
    value = JSON.parse(text) as Partial<WriteRecord> | null;
  } catch {
    return { problem: 'not JSON' };
  }
  if (!value || !Number.isInteger(value.line) || typeof value.id !== 'string' || !Array.isArray(value.changed) || typeof value.before !== 'object' || !value.before) {
    return { problem: 'not a record of a PUT (line, id, before and changed expected)' };
  }
  return value as WriteRecord;
}

/** Appends a record synchronously: it is in the file before the PUT it announces is sent. */
export class WriteLog {
  private readonly fd: number;

  constructor(file: string, private readonly redact: (text: string) => string) {
    this.fd = openSync(file, 'a');
  }

  record(row: { line: number; id: string }, before: Fields, changed: readonly string[]): void {
    const picked: Fields = {};
    for (const f of changed) picked[f] = before[f] ?? null;
    const line = JSON.stringify({ line: row.line, id: row.id, before: picked, changed });
    writeSync(this.fd, `${this.redact(line)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}
