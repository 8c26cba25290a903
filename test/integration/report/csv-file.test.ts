import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvFile } from '../../../src/report/csv-file.js';
import { tempDir } from '../../kit/index.js';

describe('CsvFile: CSV rows written in batches', () => {
  it('writes what csv-stringify makes of each row on its own, across many batches, and redacts the rows but not the header', async () => {
    const dir = await tempDir();
    const path = join(dir, 'results.csv');
    const header = ['line', 'userId', 'secret-word'];
    const rows = Array.from({ length: 1000 }, (_, i) => [String(i + 2), `u${i}@d, "quoted"\nnext`, i % 7 === 0 ? 'a secret-word here' : '']);
    const file = new CsvFile(path, header, (text) => text.split('secret-word').join('***'));
    rows.forEach((r) => file.row(r));
    await expect(access(path)).rejects.toThrow(); // only the .partial exists until commit
    await file.commit();

    const text = await readFile(path, 'utf8');
    const expected = [header, ...rows.map((r) => r.map((c) => c.split('secret-word').join('***')))].map((r) => stringify([r])).join('');
    expect(text).toBe(expected);
    expect(parse(text)).toHaveLength(1001);
    expect(text.split('\n', 1)[0]).toBe('line,userId,secret-word');
  });

  it('a file with no rows holds its header', async () => {
    const dir = await tempDir();
    const file = new CsvFile(join(dir, 'failed.csv'), ['userId', 'clidPolicy']);
    await file.commit();
    expect(await readFile(join(dir, 'failed.csv'), 'utf8')).toBe('userId,clidPolicy\n');
  });
});
