import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { isFinished, JournalDamaged, JournalIndex } from '../../../src/resume/journal-index.js';
import type { RowResult, RowStatus } from '../../../src/model/row-result.js';
import { tempDir } from '../../kit/index.js';

function result(line: number, status: RowStatus, patch: Partial<RowResult> = {}): RowResult {
  const id = `üser-${line}@例え.test`; // multi-byte text: offsets are bytes, not characters
  return { line, key: { userId: id }, id, status, requested: { clidPolicy: 'Use DN' }, before: null, after: null, changed: [], requests: 2, warnings: [], ...patch };
}
const lines = (...rs: RowResult[]) => rs.map((r) => JSON.stringify(r) + '\n').join('');

describe('JournalIndex', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir, 'journal.ndjson');
  });

  it('keeps the last entry of each line; skipped and interrupted rows are to be redone', async () => {
    const journal = lines(
      result(2, 'updated'),
      result(3, 'skipped'),
      result(4, 'failed', { errorCode: 'INTERRUPTED' }),
      result(5, 'failed', { errorCode: 'HTTP_5XX', httpStatus: 503 }),
      result(3, 'unchanged'), // a resume finished line 3
      result(6, 'updated'),
      result(6, 'skipped'), // cannot happen in practice, but the last entry rules
    );
    await writeFile(file, journal);
    const index = await JournalIndex.open(file);
    try {
      expect(index.finishedCount).toBe(3);
      expect(index.repairedBytes).toBe(0);
      expect(index.finished(2)).toEqual(result(2, 'updated'));
      expect(index.finished(3)).toEqual(result(3, 'unchanged'));
      expect(index.finished(4)).toBeUndefined();
      expect(index.finished(5)?.status).toBe('failed');
      expect(index.finished(6)).toBeUndefined();
      expect(index.finished(99)).toBeUndefined();
      expect(index.idOf(2)).toBe('üser-2@例え.test');
    } finally {
      index.close();
    }
    const retrying = await JournalIndex.open(file, { retryFailed: true });
    retrying.close();
    expect(retrying.finishedCount).toBe(2);
    expect(retrying.finished(5)).toBeUndefined();
  });

  it('cuts off a half-written last line (a crash mid-write) so appended lines start clean', async () => {
    const whole = lines(result(2, 'updated'), result(3, 'updated'));
    const half = JSON.stringify(result(4, 'updated')).slice(0, 37);
    await writeFile(file, whole + half);
    const index = await JournalIndex.open(file);
    index.close();
    expect(index.finishedCount).toBe(2);
    expect(index.repairedBytes).toBe(Buffer.byteLength(half));
    expect(await readFile(file, 'utf8')).toBe(whole);
  });

  it('reads a journal larger than its read buffer', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => result(i + 2, i % 7 === 0 ? 'skipped' : 'updated', { warnings: ['x'.repeat(i % 300)] }));
    await writeFile(file, lines(...many));
    const index = await JournalIndex.open(file);
    try {
      expect(index.finishedCount).toBe(many.filter((r) => r.status !== 'skipped').length);
      for (const r of many) expect(index.finished(r.line)).toEqual(r.status === 'skipped' ? undefined : r);
    } finally {
      index.close();
    }
  });

  it('an empty journal (killed before the first row finished) has nothing finished', async () => {
    await writeFile(file, '');
    const index = await JournalIndex.open(file);
    index.close();
    expect(index.finishedCount).toBe(0);
  });

  it('refuses a damaged line that is not the last, naming it', async () => {
    await writeFile(file, lines(result(2, 'updated')) + '{"line": 3, oops\n' + lines(result(4, 'updated')));
    await expect(JournalIndex.open(file)).rejects.toThrow(new JournalDamaged(2, 'not JSON'));
    await writeFile(file, lines(result(2, 'updated')) + '{"hello": "world"}\n');
    await expect(JournalIndex.open(file)).rejects.toThrow('line 2 of the journal is damaged: not a row result');
  });

  it('isFinished', () => {
    expect(isFinished({ status: 'updated' })).toBe(true);
    expect(isFinished({ status: 'failed', errorCode: 'TIMEOUT' })).toBe(true);
    expect(isFinished({ status: 'failed', errorCode: 'INTERRUPTED' })).toBe(false);
    expect(isFinished({ status: 'skipped' })).toBe(false);
    expect(isFinished({ status: 'failed', errorCode: 'NOT_FOUND' }, true)).toBe(false);
    expect(isFinished({ status: 'updated' }, true)).toBe(true);
  });
});
