import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../../../src/model/errors.js';
import { readResultRows } from '../../../src/merge/read-result-rows.js';
import { tempDir } from '../../kit/index.js';

async function folder(resultsJson: string): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'results.json'), resultsJson);
  return dir;
}

async function all(dir: string) {
  const rows = [];
  for await (const row of readResultRows(dir, ['userId'])) rows.push(row);
  return rows;
}

const ROW = { line: 2, userId: 'a@x', status: 'updated', requested: { useGroupName: true }, before: { useGroupName: false }, after: { useGroupName: true }, changed: ['useGroupName'], requests: 2, error: null };

describe('readResultRows (merge-reports input)', () => {
  it('reads the rows of a results.json as odin-bulk writes it, back into RowResults', async () => {
    const dir = await folder(`[\n${JSON.stringify(ROW)},\n${JSON.stringify({ ...ROW, line: 3, userId: 'b@x', status: 'failed', error: 'HTTP 404', httpStatus: 404 })}\n]\n`);
    expect(await all(dir)).toEqual([
      { line: 2, key: { userId: 'a@x' }, id: 'a@x', status: 'updated', requested: ROW.requested, before: ROW.before, after: ROW.after, changed: ['useGroupName'], requests: 2, warnings: [] },
      expect.objectContaining({ line: 3, id: 'b@x', status: 'failed', error: 'HTTP 404', httpStatus: 404 }),
    ]);
  });

  it('reads a report folder of an earlier version, whose rows count their requests as "attempts"', async () => {
    const { requests: _requests, ...old } = ROW;
    const dir = await folder(`[\n${JSON.stringify({ ...old, attempts: 3 })}\n]\n`);
    expect(await all(dir)).toEqual([expect.objectContaining({ line: 2, requests: 3 })]);
    expect((await all(dir))[0]).not.toHaveProperty('attempts');
  });

  it('refuses a row that is not an odin-bulk result, and damaged JSON, with EINPUT naming the file', async () => {
    const noStatus = await folder(`[\n${JSON.stringify({ ...ROW, status: 'done' })}\n]\n`);
    await expect(all(noStatus)).rejects.toMatchObject({ code: 'EINPUT', message: expect.stringContaining(`${join(noStatus, 'results.json')}: row 1 is not a row`) });
    const damaged = await folder(`[\n${JSON.stringify(ROW)},\n{"line": 3, "userId": \n]\n`);
    const error = await all(damaged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect((error as JobError).message).toContain('the text after row 1 is not a row');
  });
});
