import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFiles, OP, POLICY, pollUntil, readCsvRecords, readJson, runCli, tempDir, withSimulator } from '../../kit/index.js';

const [U1, U2, U3] = ['user00001@sim.odin.test', 'user00002@sim.odin.test', 'user00003@sim.odin.test'];
const MANIFEST = `userId,clidPolicy\n${U1},Use Group CLID\n${U2},Use Group CLID\n${U3},Use Group CLID\n`;
/** Files that grow as the run goes by design (the append-only journal and log), and the start marker. */
const LIVE = ['journal.ndjson', 'run.json', 'run.log'];
/** A run (not a plan) also records each PUT before sending it. */
const RUN_LIVE = [...LIVE, 'writes.ndjson'];
/** Held while the run works (it claims the folder), removed at the end; a kill -9 leaves it behind. */
const LOCK = 'odin-bulk.lock';
const REPORTS = ['failed.csv', 'results.csv', 'results.json', 'rollback.csv', 'summary.json'];

/** Mid-run or after a kill: the live files and the lock, and every other file only as `.partial` (never a final report name). */
function expectOnlyPartials(files: string[], partials: string[], live = LIVE): void {
  expect(files).toContain(LOCK);
  expect(files.filter((f) => !live.includes(f) && f !== LOCK && !f.endsWith('.partial'))).toEqual([]);
  for (const f of partials) expect(files).toContain(`${f}.partial`);
  for (const f of live) expect(files).toContain(f);
}

/** After a run: every report whole under its final name, no `.partial` left. */
function expectAllWhole(files: string[], reports: string[], live = LIVE): void {
  expect(files.filter((f) => f.endsWith('.partial') || f === LOCK)).toEqual([]);
  for (const f of [...live, ...reports]) expect(files).toContain(f);
}

async function journalLines(dir: string): Promise<unknown[]> {
  const text = await readFile(join(dir, 'journal.ndjson'), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown); // every line whole
}

/** Every report file is whole or absent: no half file under its final name, ever. */
describe('outputs that cannot be half-written', () => {
  const sim = withSimulator({ users: 5 }, { each: true });

  async function setup(): Promise<string> {
    for (const u of [U1, U2, U3]) sim.setFields(OP, u, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    return tempDir({ 'users.csv': MANIFEST });
  }

  it('while rows are in flight only .partial reports exist; at the end every report is whole and no .partial is left', async () => {
    const dir = await setup();
    const out = join(dir, 'out');
    sim.script('PUT', POLICY, [{ hang: true }], { key: U2 });
    let seenMidRun: string[];
    const run = runCli(['run', '--manifest', join(dir, 'users.csv'), '--out', out, '--timeout', '1', '--retries', '0', '--rate', '0'], { sim });
    await pollUntil(async () => (await journalLines(out)).length === 2 && sim.stats.inFlight === 1, 'two rows done, one hanging', 10_000);
    seenMidRun = await listFiles(out);
    expectOnlyPartials(seenMidRun, REPORTS.filter((f) => f !== 'summary.json'), RUN_LIVE);
    expect(await readJson(join(out, 'run.json'))).toMatchObject({ job: 'users', dryRun: false });

    const res = await run;
    expect(res.code).toBe(1); // U2 timed out
    expectAllWhole(await listFiles(out), REPORTS, RUN_LIVE);
    expect(await readJson(join(out, 'results.json'))).toHaveLength(3);
    expect(await readJson(join(out, 'summary.json'))).toMatchObject({ total: 3, updated: 2, failed: 1 });
    expect(await readCsvRecords(join(out, 'results.csv'))).toHaveLength(3);
    expect(await journalLines(out)).toHaveLength(3);
  });

  it('a kill -9 mid-plan leaves whole files and .partial ones, never a half report or half plan.json', async () => {
    const dir = await setup();
    const out = join(dir, 'plan');
    sim.script('GET', POLICY, [{ hang: true }], { key: U3 });
    const res = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', out, '--timeout', '30', '--rate', '0'], {
      sim,
      onStart: (child) => {
        const kill = () => child.kill('SIGKILL');
        pollUntil(async () => (await journalLines(out)).length === 2, 'two rows planned', 10_000).then(kill, kill);
      },
    });
    expect(res.signal).toBe('SIGKILL');
    expectOnlyPartials(await listFiles(out), ['plan.json', ...REPORTS.filter((f) => f !== 'summary.json')]);
    expect(await readJson(join(out, 'run.json'))).toMatchObject({ dryRun: true });
    expect(await journalLines(out)).toHaveLength(2);
  });

  it('a finished plan has a whole plan.json beside its reports', async () => {
    const dir = await setup();
    const out = join(dir, 'plan');
    const res = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', out, '--rate', '0'], { sim });
    expect(res.code).toBe(0);
    expectAllWhole(await listFiles(out), ['plan.json', ...REPORTS]);
    expect((await readJson(join(out, 'plan.json'))).rows).toHaveLength(3);
  });
});
