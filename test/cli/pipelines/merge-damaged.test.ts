import { beforeAll, describe, expect, it } from '@jest/globals';
import { appendFile, cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Simulator } from '../../../src/simulator/simulator.js';
import { clidManifest, range, runAgainst, runCli, simulators, tempDir } from '../../kit/index.js';

/**
 * merge-reports given a part that was damaged after its run: the merged folder is a safety record (rollback.csv, and
 * the journal a --resume of it reads), so a damaged part is refused (exit 2) naming the file and line, and leaves
 * neither the merged folder nor its staging folder behind. The parts are made in this process (runAgainst).
 */
const QUICK = { rate: 0, retries: 0, concurrency: 4 };
const text = (file: string) => readFile(file, 'utf8');
const lines = async (file: string) => (await text(file)).split('\n').filter((l) => l !== '');

describe('merge-reports refuses a damaged part', () => {
  const startSimulator = simulators({ users: 12, record: false });
  let sim: Simulator;
  let dir: string;
  const part = (k: number) => join(dir, `shard-${k}`);
  let damaged = 0;

  beforeAll(async () => {
    sim = await startSimulator();
    dir = await tempDir({ 'users.csv': clidManifest(range(1, 12)) });
    for (const k of [1, 2]) {
      const run = await runAgainst(sim, { manifest: join(dir, 'users.csv'), shard: `${k}/2`, out: part(k), ...QUICK });
      expect(run.summary.exitCode).toBe(0);
    }
    // The point of the journal checks: every part wrote rows (updated, so writes.ndjson has lines too).
    for (const k of [1, 2]) expect((await lines(join(part(k), 'writes.ndjson'))).length).toBeGreaterThan(2);
  });

  /** A copy of shard `k` whose `file` is changed by `change`. */
  async function copyOf(k: number, file: string, change: (content: string) => string): Promise<string> {
    const to = join(dir, `damaged-${++damaged}`);
    await cp(part(k), to, { recursive: true });
    await writeFile(join(to, file), change(await text(join(to, file))));
    return to;
  }

  const replaceLine = (n: number, by: string) => (content: string) => {
    const all = content.split('\n');
    all[n - 1] = by;
    return all.join('\n');
  };

  /** Merges `parts` into a new folder: exit 2, stderr matching every one of `says`, and nothing left beside --out. */
  async function refused(parts: string[], ...says: (string | RegExp)[]): Promise<string> {
    const out = join(dir, `merged-${damaged}`);
    const r = await runCli(['merge-reports', ...parts, '--out', out]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    for (const said of says) expect(r.stderr).toMatch(said);
    // Neither the merged folder nor its staging folder (.merged-N.merging-…) was left behind.
    expect((await readdir(dir)).filter((n) => n.includes(`merged-${damaged}`))).toEqual([]);
    return r.stderr;
  }

  it('a results.json with a second JSON document, or garbage, after its closing ]', async () => {
    const rows = await lines(join(part(1), 'results.json'));
    const appended = await copyOf(1, 'results.json', (c) => `${c}[{"line": 99, "userId": "extra@sim.odin.test", "status": "updated"}]\n`);
    await refused(
      [appended, part(2)],
      `EINPUT: ${join(appended, 'results.json')}:${rows.length + 1}: there is text after the closing ] of its rows; this part's results.json is damaged, nothing was written`,
      `Run that shard again into a new folder, or run it again with --resume ${appended}`,
    );
    const garbage = await copyOf(2, 'results.json', (c) => `${c}\ngarbage`);
    const rows2 = (await text(join(part(2), 'results.json'))).split('\n').length;
    await refused([part(1), garbage], `${join(garbage, 'results.json')}:${rows2 + 1}: there is text after the closing ]`);
  });

  it('a results.json that lost a row, or lists one twice', async () => {
    const lost = await copyOf(1, 'results.json', (c) => c.split('\n').filter((_, i) => i !== 2).join('\n'));
    const total = (await lines(join(part(1), 'results.json'))).length - 2;
    await refused(
      [lost, part(2)],
      "a part's results.json does not hold the rows its run counted: it is damaged; nothing was written",
      `${join(lost, 'results.json')} holds ${total - 1} rows; ${join(lost, 'summary.json')} counts ${total}`,
    );
    const twice = await copyOf(2, 'results.json', (c) => {
      const all = c.split('\n');
      return [...all.slice(0, 3), all[2], ...all.slice(3)].join('\n');
    });
    await refused([part(1), twice], /manifest line \d+ \(.*\) appears out of order in .*damaged-\d+: the folders overlap/);
  });

  it('a line in the middle of journal.ndjson that is not JSON, or JSON but not a row', async () => {
    const notJson = await copyOf(1, 'journal.ndjson', replaceLine(3, '{"line": 4, "id": "user0'));
    await refused(
      [notJson, part(2)],
      `EINPUT: ${join(notJson, 'journal.ndjson')}:3: not JSON; this part's journal.ndjson is damaged, nothing was written`,
      'A --resume of the merged folder would read the merged journal.ndjson',
    );
    const notRow = await copyOf(2, 'journal.ndjson', replaceLine(2, '{"line": "two", "status": "updated"}'));
    await refused([part(1), notRow], `${join(notRow, 'journal.ndjson')}:2: not a row result (line, id and status expected)`);
  });

  it('a journal line that is not its part’s row in results.json: another part’s row, or another status', async () => {
    const foreign = (await lines(join(part(2), 'journal.ndjson')))[0]!;
    const line = (JSON.parse(foreign) as { line: number }).line;
    const withForeign = await copyOf(1, 'journal.ndjson', (c) => `${c}${foreign}\n`);
    const count = (await lines(join(part(1), 'journal.ndjson'))).length;
    await refused(
      [withForeign, part(2)],
      `${join(withForeign, 'journal.ndjson')}:${count + 1}: manifest line ${line} is not a row of ${join(withForeign, 'results.json')}: ` +
        "this part's journal.ndjson and results.json disagree (one of them is damaged); nothing was written",
    );
    const otherStatus = await copyOf(2, 'journal.ndjson', (c) => c.replace('"status":"updated"', '"status":"failed"'));
    await refused([part(1), otherStatus], new RegExp(`${join(otherStatus, 'journal.ndjson')}:1: manifest line \\d+ is "failed .*" here, "updated .*" in`));
  });

  it('a damaged line in writes.ndjson, or a record of a PUT to a row of another part', async () => {
    const bad = await copyOf(2, 'writes.ndjson', replaceLine(2, '{"line": 3, "id": "user00003@sim.odin.test"}'));
    await refused([part(1), bad], `${join(bad, 'writes.ndjson')}:2: not a record of a PUT (line, id, before and changed expected); this part's writes.ndjson is damaged`);
    const foreign = (await lines(join(part(1), 'writes.ndjson')))[0]!;
    const line = (JSON.parse(foreign) as { line: number }).line;
    const withForeign = await copyOf(2, 'writes.ndjson', (c) => `${foreign}\n${c}`);
    await refused(
      [part(1), withForeign],
      `${join(withForeign, 'writes.ndjson')}:1: manifest line ${line} is not a row of ${join(withForeign, 'results.json')}: ` +
        "this part's writes.ndjson and results.json disagree (one of them is damaged); nothing was written",
    );
  });

  it('a half-written last line (no newline) is left out with a warning, as --resume cuts it off, and the merged folder resumes', async () => {
    const cut = join(dir, 'cut');
    await cp(part(1), cut, { recursive: true });
    const count = (await lines(join(cut, 'journal.ndjson'))).length;
    await appendFile(join(cut, 'journal.ndjson'), '{"line":2,"key":{"userId":"user0');
    await appendFile(join(cut, 'writes.ndjson'), '{"line":2,"id":"user0');
    const out = join(dir, 'merged-cut');
    const r = await runCli(['merge-reports', cut, part(2), '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${join(cut, 'journal.ndjson')}:${count + 1}: the last line has no newline (32 bytes: a write cut short by a crash); left out of the merged journal.ndjson, as --resume cuts such a line off`);
    expect(r.stderr).toContain(`warning: ${join(cut, 'writes.ndjson')}:`);
    // The merged files are the parts' whole lines, every one ending in a newline: nothing half-written in the middle.
    const whole = async (name: string) => (await text(join(part(1), name))) + (await text(join(part(2), name)));
    expect(await text(join(out, 'journal.ndjson'))).toBe(await whole('journal.ndjson'));
    expect(await text(join(out, 'writes.ndjson'))).toBe(await whole('writes.ndjson'));
    // What a --resume of the merged folder reads is whole: it keeps every row.
    const resumed = await runCli(['run', '--manifest', join(dir, 'users.csv'), '--resume', out, '--rate', '0'], { sim });
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('12 of 12 rows finished earlier and are kept; 0 to do');
    expect(resumed.stdout).toContain('12 rows: 12 updated in');
  });
});
