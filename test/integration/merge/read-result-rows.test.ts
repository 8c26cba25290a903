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
    await expect(all(noStatus)).rejects.toMatchObject({ code: 'EINPUT', message: expect.stringContaining(`${join(noStatus, 'results.json')}:2: row 1 is not a row`) });
    const damaged = await folder(`[\n${JSON.stringify(ROW)},\n{"line": 3, "userId": \n]\n`);
    const error = await all(damaged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect((error as JobError).message).toContain(`${join(damaged, 'results.json')}:3: the text after row 1 is not a row`);
  });

  it('refuses text after the closing ], on its own line or after an empty array, naming the line', async () => {
    const appended = await folder(`[\n${JSON.stringify(ROW)}\n]\n[${JSON.stringify({ ...ROW, line: 9 })}]\n`);
    await expect(all(appended)).rejects.toMatchObject({
      code: 'EINPUT',
      message: `${join(appended, 'results.json')}:4: there is text after the closing ] of its rows; this part's results.json is damaged, nothing was written`,
    });
    const afterEmpty = await folder('[]\n\ngarbage');
    await expect(all(afterEmpty)).rejects.toMatchObject({ message: expect.stringContaining(`${join(afterEmpty, 'results.json')}:3: there is text after the closing ]`) });
    // Another JSON layout, read whole: the line comes from the parser's position.
    const pretty = await folder(`${JSON.stringify([ROW], null, 2)}\n{}`);
    await expect(all(pretty)).rejects.toMatchObject({ message: expect.stringMatching(/results\.json:\d+: there is text after the closing \]/) });
    // White space after it is no damage.
    expect(await all(await folder(`[\n${JSON.stringify(ROW)}\n]\n\n  \n`))).toHaveLength(1);
  });
});
