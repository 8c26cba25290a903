import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { readResults } from '../../../src/records/read-results.js';
import { decodeResultRow } from '../../../src/records/row-codec.js';
import type { RowResult } from '../../../src/model/row-result.js';
import { rebuildArtefacts } from '../../kit/artefacts.js';
import { reportFolder, row, runInfo } from '../../kit/report-fixtures.js';
import { tempDir } from '../../kit/index.js';

/** What the rows written by the fixtures read back as: the RowResults the report writer wrote them from. */
const decoded = (rows: readonly object[]) => rows.map((r) => decodeResultRow(r, ['userId']));

async function collect(dir: string): Promise<RowResult[]> {
  const out: RowResult[] = [];
  for await (const r of readResults(dir, ['userId'])) out.push(r);
  return out;
}

describe('readResults', () => {
  const rows = [row(2, 'a@x.test', 'updated'), row(3, 'b@x.test', 'failed')];

  it('streams the report writer’s one-row-per-line layout', async () => {
    expect(await collect(await reportFolder(rows))).toEqual(decoded(rows));
    expect(await collect(await reportFolder([]))).toEqual([]);
  });

  it('reads any other JSON array layout whole', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'results.json'), JSON.stringify(rows, null, 2));
    expect(await collect(dir)).toEqual(decoded(rows));
    await writeFile(join(dir, 'results.json'), JSON.stringify(rows));
    expect(await collect(dir)).toEqual(decoded(rows));
  });

  it('refuses a truncated file, and rebuildArtefacts then leaves no partial artefact behind', async () => {
    const dir = await reportFolder(rows);
    await writeFile(join(dir, 'results.json'), `[\n${JSON.stringify(rows[0])},\n{"line": 3, "userId"`);
    await expect(collect(dir)).rejects.toThrow(/results\.json:3: a row line is not valid JSON \(after 1 rows\)/);
    await expect(rebuildArtefacts(dir, runInfo())).rejects.toThrow(/not valid JSON/);
    expect((await readdir(dir)).sort()).toEqual(['results.json', 'run.json', 'summary.json']);
  });
});
