import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { unescapeCell } from '../../../src/manifest/unescape-cell.js';
import { csvCell } from '../../../src/report/csv-cell.js';
import type { Fields } from '../../../src/operations/types.js';
import { OP, POLICY, readCsvRecords, runCli, tempDir, withSimulator } from '../../kit/index.js';

const FORMULA = /^[=+\-@\t\r]/;

// Users whose ids and values a spreadsheet would run as formulas.
const A = '=1+2@x.test';
const B = '@SUM(A1)@x.test';
const C = '-minus@x.test';
const BEFORE: Record<string, Fields> = {
  [A]: { routeOverrideDomain: '=cmd|calc', routeOverridePrefix: '+1555' },
  [B]: { routeOverrideDomain: '\tTAB', supportedMediaSetName: "'=quoted" },
  [C]: { routeOverrideDomain: 'before.example', routeOverridePrefix: '7' },
};
const WANTED: Record<string, Fields> = {
  [A]: { routeOverrideDomain: 'plain.example', routeOverridePrefix: '-9' },
  [B]: { routeOverrideDomain: '\rCR', supportedMediaSetName: '@media' },
  [C]: { routeOverrideDomain: '=fail', routeOverridePrefix: '@9' },
};

describe('CSV outputs neutralise formula injection and read back unchanged', () => {
  const sim = withSimulator({ users: 1 });
  let dir: string;
  const files = ['results.csv', 'rollback.csv', 'failed.csv'];

  beforeAll(async () => {
    for (const [id, fields] of Object.entries(BEFORE)) sim.setFields(OP, id, fields);
    const rows = Object.entries(WANTED).map(([userId, fields]) => ({ userId, ...fields }));
    dir = await tempDir({ 'users.json': JSON.stringify(rows, null, 2) });
    sim.script('PUT', POLICY, [400], { key: C });
    const res = await runCli(['run', '--manifest', join(dir, 'users.json'), '--out', join(dir, 'out'), '--rate', '0'], { sim });
    expect(res.code).toBe(1); // C failed on purpose
  });

  it('no cell of results.csv, rollback.csv or failed.csv starts with =, +, -, @, tab or CR', async () => {
    for (const name of files) {
      const rows = await readCsvRecords(join(dir, 'out', name));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(FORMULA);
    }
  });

  it('puts one apostrophe before such cells, and one more before a value that already starts with one', async () => {
    const results = await readCsvRecords(join(dir, 'out', 'results.csv'));
    expect(results.map((r) => r.userId)).toEqual([`'${A}`, `'${B}`, `'${C}`]);
    expect(results[0]).toMatchObject({ 'routeOverrideDomain.before': "'=cmd|calc", 'routeOverrideDomain.after': 'plain.example', 'routeOverridePrefix.before': "'+1555", 'routeOverridePrefix.after': "'-9" });
    expect(results[1]).toMatchObject({ 'routeOverrideDomain.before': "'\tTAB", 'routeOverrideDomain.after': "'\rCR", 'supportedMediaSetName.before': "''=quoted", 'supportedMediaSetName.after': "'@media" });
    expect(await readCsvRecords(join(dir, 'out', 'failed.csv'))).toEqual([
      { userId: `'${C}`, routeOverrideDomain: "'=fail", routeOverridePrefix: "'@9", supportedMediaSetName: '' },
    ]);
  });

  it('rollback.csv, run as a manifest, restores every value exactly', async () => {
    expect(sim.getFields(OP, A)).toMatchObject(WANTED[A]!);
    expect(sim.getFields(OP, B)).toMatchObject(WANTED[B]!);
    const res = await runCli(['run', '--manifest', join(dir, 'out', 'rollback.csv'), '--out', join(dir, 'undo'), '--rate', '0'], { sim });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    for (const id of [A, B, C]) expect(sim.getFields(OP, id)).toMatchObject(BEFORE[id]!);
  });

  it('failed.csv, run as a manifest, asks for exactly the values that failed', async () => {
    const res = await runCli(['run', '--manifest', join(dir, 'out', 'failed.csv'), '--out', join(dir, 'retry'), '--rate', '0'], { sim });
    expect(res.code).toBe(0);
    expect(sim.getFields(OP, C)).toMatchObject(WANTED[C]!);
  });

  it('the manifest reader removes exactly the apostrophe the writer added', () => {
    const values = ['=x', '+1555', '-5', '@a', '\tt', '\rr', "'=x", "''+x", "'plain", 'plain', "it's", '', "'"];
    for (const v of values) expect(unescapeCell(csvCell(v))).toBe(v);
  });
});
