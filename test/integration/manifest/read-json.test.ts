import { beforeAll, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonReadError, readJsonDefaults, readJsonRows } from '../../../src/manifest/read-json.js';
import type { RawRow } from '../../../src/manifest/types.js';
import { tempDir } from '../../kit/index.js';

describe('readJsonRows: a JSON manifest, streamed', () => {
  let dir: string;
  let n = 0;
  beforeAll(async () => (dir = await tempDir()));
  const file = async (text: string | Buffer) => {
    const path = join(dir, `${++n}.json`);
    await writeFile(path, text);
    return path;
  };
  async function read(path: string): Promise<{ rows: RawRow[]; defaults: Record<string, unknown> }> {
    const rows: RawRow[] = [];
    const it = readJsonRows(path);
    for (let next = await it.next(); ; next = await it.next()) {
      if (next.done) return { rows, defaults: next.value };
      rows.push(next.value);
    }
  }
  const failure = (path: string) => read(path).then(() => undefined, (e: unknown) => e as JsonReadError);

  it('reads rows across many 64 KB chunks, with escapes and multi-byte text on the boundaries, each with its line', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => ({ userId: `u${i}@x.test`, note: `é "q" \\ ${'ü'.repeat(i % 50)}` }));
    const text = '\uFEFF{"rows": [\n' + rows.map((r) => JSON.stringify(r)).join(',\n') + '\n], "defaults": {"useGroupName": true}}\n';
    expect(Buffer.byteLength(text)).toBeGreaterThan(4 * 64 * 1024);
    const got = await read(await file(text));
    expect(got.rows.map((r) => r.cells)).toEqual(rows);
    expect(got.rows.map((r) => r.line)).toEqual(rows.map((_, i) => i + 2));
    expect(got.defaults).toEqual({ useGroupName: true }); // after the rows in the file: known once it is read through
  });

  it('a top-level array; a row that is not an object is marked for the validator', async () => {
    const got = await read(await file('[\n {"userId": "a@x"},\n\n "b@x"\n]'));
    expect(got).toEqual({ rows: [{ line: 2, path: '[0]', cells: { userId: 'a@x' } }, { line: 4, path: '[1]', cells: {}, notObject: { value: 'b@x' } }], defaults: {} });
    expect(await readJsonDefaults(await file('{"defaults": {"x": 1}, "rows": []}'))).toEqual({ x: 1 });
  });

  it.each([
    ['a trailing comma', '[\n {"userId": "a@x"},\n {"userId": "b@x",}\n]', 3, 'unexpected "}" where a key should be (a trailing comma?)'],
    ['a missing comma', '[\n {"userId": "a@x"}\n {"userId": "b@x"}\n]', 3, 'unexpected "{": a comma or a closing bracket or brace should come first'],
    ['a file cut short', '[\n {"userId": "a@x"},\n {"userId": "b@', 3, 'the file ends before the JSON does (cut short, or a bracket or brace not closed)'],
    ['a second value after the first', '[{"userId": "a@x"}]\n\n[1]', 3, 'unexpected "[" after the end of the JSON value'],
  ])('%s: not valid JSON, on its line', async (_what, text, line, message) => {
    const error = await failure(await file(text));
    expect(error).toBeInstanceOf(JsonReadError);
    expect({ line: error!.line, message: error!.message }).toEqual({ line, message: `not valid JSON: ${message}` });
  });

  it('the line of a syntax error counts bytes right after a BOM and multi-byte text', async () => {
    const error = await failure(await file('\uFEFF[\n {"userId": "é@x", "note": "ü"},\n {"userId": "b@x", "useGroupName": tru}\n]'));
    expect(error?.line).toBe(3);
  });

  it.each([
    ['a number', '42'],
    ['an object without rows', '{"users": []}'],
    ['rows that are not an array', '{"rows": {"userId": "a@x"}}'],
  ])('refuses %s at the top level', async (_what, text) => {
    const error = await failure(await file(text));
    expect({ line: error?.line, message: error?.message }).toEqual({ line: 1, message: 'expected an array of row objects, or an object {"defaults": {...}, "rows": [...]}' });
  });

  it('only white space (a newline, a BOM) is an empty file, without a line', async () => {
    for (const text of ['  \n ', '\n', '\uFEFF\r\n']) {
      const error = await failure(await file(text));
      expect({ line: error?.line, message: error?.message }).toEqual({ line: undefined, message: 'the file is empty: expected a header row with the key columns (userId, or serviceProviderId and groupId) and fields' });
    }
  });

  it('refuses keys other than defaults and rows, and defaults that are not an object', async () => {
    expect((await failure(await file('{"rows": [], "users": [], "x": 1}')))?.message).toBe('unexpected top-level key "users", "x": expected only "defaults" and "rows"');
    expect((await failure(await file('{"rows": [], "defaults": [1]}')))?.message).toBe('"defaults" must be an object of field values');
  });
});
