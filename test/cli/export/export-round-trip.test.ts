import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli.js';
import { libraryRun, readCsvRecords, readJson, runCli, tempDir, withSimulator, writeFiles } from '../../kit/index.js';

const CFA = 'user-call-forwarding-always';
const CFA_PATH = '/users/call-forwarding-always';

/**
 * `odin-bulk export` through the built binary; each file it writes is then run back (through the library, in this
 * process: what is checked is the file, judged by the simulator's state and the run's counts).
 */
describe('export → run round trip', () => {
  const sim = withSimulator({ users: 40, groupSize: 20, seed: 9 });
  let dir: string;
  let users: string[];
  beforeAll(async () => {
    dir = await tempDir();
    users = sim.userIds('grp-01');
    // Values a spreadsheet would run as formulas, a cleared number, and the literal text "null".
    const numbers: (string | null)[] = ['+15551234567', '-5550001', '=1+2', '@home', null, 'null', "'+1", '2001'];
    users.forEach((u, i) => sim.setFields(CFA, u, { isActive: i % 3 === 0, forwardToPhoneNumber: numbers[i % numbers.length]!, isRingSplashActive: false }));
  });

  /** Runs an exported file back, in this process: `odin-bulk run --manifest FILE --operation OP` as the library runs it. */
  const playBack = (file: string, operation: string, out: string) => libraryRun(sim, { manifest: join(dir, file), operation, out: join(dir, out) });

  async function runMain(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    const text = (s: PassThrough) => {
      let t = '';
      s.on('data', (c: Buffer) => (t += c.toString()));
      return () => t;
    };
    const [out, err] = [text(stdout), text(stderr)];
    const env = { ODIN_BASE_URL: sim.url, ODIN_USERNAME: sim.username, ODIN_PASSWORD: sim.password };
    const code = await main(argv, { stdout, stderr, env, now: () => new Date() });
    return { code, stdout: out(), stderr: err() };
  }

  it('CSV: writes the current values, formula-like cells neutralised, and runs back with every row unchanged and no PUT', async () => {
    const exported = await runCli(['export', '--operation', CFA, '--group', 'sim-sp/grp-01', '--out', 'cfa.csv', '--rate', '0'], { cwd: dir, sim });
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(exported.stdout).toMatch(/^Exported 20 of 20 targets of group sim-sp\/grp-01 \(user-call-forwarding-always: 3 fields\) to cfa\.csv$/m);

    const text = await readFile(join(dir, 'cfa.csv'), 'utf8');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('userId,isActive,forwardToPhoneNumber,isRingSplashActive');
    expect(lines.slice(1, 9)).toEqual([
      `${users[0]},true,'+15551234567,false`,
      `${users[1]},false,'-5550001,false`,
      `${users[2]},false,'=1+2,false`,
      `${users[3]},true,'@home,false`,
      `${users[4]},false,null,false`,
      `${users[5]},false,'null,false`,
      `${users[6]},true,''+1,false`,
      `${users[7]},false,2001,false`,
    ]);
    expect(await readdir(dir)).not.toContain('cfa.csv.partial');

    sim.resetStats();
    const run = await playBack('cfa.csv', CFA, 'rerun');
    expect(run.exitCode).toBe(0);
    expect(run.summary).toMatchObject({ total: 20, unchanged: 20 });
    expect(sim.count('PUT', CFA_PATH)).toBe(0);
    expect((await readCsvRecords(join(dir, 'rerun', 'results.csv'))).map((r) => r.status)).toEqual(Array(20).fill('unchanged'));
  });

  it('JSON: the same snapshot with real nulls and types, and it restores a changed group', async () => {
    const snap = await runCli(['export', '--operation', CFA, '--group', 'sim-sp/grp-01', '--out', 'cfa.json', '--rate', '0'], { cwd: dir, sim });
    expect(snap.code).toBe(0);
    const rows = await readJson<Record<string, unknown>[]>(join(dir, 'cfa.json'));
    expect(rows).toHaveLength(20);
    expect(rows[0]).toEqual({ userId: users[0], isActive: true, forwardToPhoneNumber: '+15551234567', isRingSplashActive: false });
    expect(rows[4]).toEqual({ userId: users[4], isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false });
    expect(rows[5]!.forwardToPhoneNumber).toBe('null');

    // Someone changes the whole group (on the simulator itself); the snapshot puts it back exactly.
    const before = users.map((u) => sim.getFields(CFA, u));
    for (const u of users) sim.setFields(CFA, u, { isActive: true, forwardToPhoneNumber: '+15559990000' });
    expect(users.filter((u, i) => JSON.stringify(sim.getFields(CFA, u)) !== JSON.stringify(before[i]))).toHaveLength(20);
    const restore = await playBack('cfa.json', CFA, 'restore');
    expect(restore.exitCode).toBe(0);
    expect(users.map((u) => sim.getFields(CFA, u))).toEqual(before);
  });

  it('--manifest names the targets (other columns ignored), --fields picks the columns, a group operation exports its group', async () => {
    await writeFiles(dir, { 'some.csv': `userId,isActive\n${users[2]},true\n${users[0]},\n` });
    const picked = await runCli(['export', '--rate', '0', '--operation', CFA, '--manifest', 'some.csv', '--fields', 'forwardToPhoneNumber,isActive', '--out', 'some-out.csv'], { cwd: dir, sim });
    expect(picked.code).toBe(0);
    expect(await readFile(join(dir, 'some-out.csv'), 'utf8')).toBe(`userId,forwardToPhoneNumber,isActive\n${users[2]},'=1+2,false\n${users[0]},'+15551234567,true\n`);

    const group = await runCli(['export', '--rate', '0', '--operation', 'group-call-processing-policy', '--group', 'sim-sp/grp-02', '--fields', 'useGroupCLIDSetting,groupCallsCLIDPolicy', '--out', 'grp.csv'], { cwd: dir, sim });
    expect(group.code).toBe(0);
    expect(await readFile(join(dir, 'grp.csv'), 'utf8')).toBe('serviceProviderId,groupId,useGroupCLIDSetting,groupCallsCLIDPolicy\nsim-sp,grp-02,false,Use Extension\n');
    sim.resetStats();
    const rerun = await playBack('grp.csv', 'group-call-processing-policy', 'grp-rerun');
    expect(rerun.summary).toMatchObject({ total: 1, unchanged: 1 });
    expect(sim.count('PUT', '/groups/call-processing-policy')).toBe(0);
  });

  it('leaves out a target it cannot read (listed, exit 1), values run would refuse, and a target with nothing to write', async () => {
    await writeFiles(dir, { 'with-ghost.csv': `userId\n${users[1]}\nghost@sim.odin.test\n${users[3]}\n${users[8]}\n` });
    // users[3]: a value the API schema refuses; users[8]: an answer with no field that could be written back (a number
    // run would refuse, the rest not returned). (An answer without forwardToPhoneNumber means "no number": null.)
    sim.script('GET', CFA_PATH, [{ status: 200, body: JSON.stringify({ userId: users[3], isActive: 'maybe', forwardToPhoneNumber: '+15550001111' }) }], { key: users[3] });
    sim.script('GET', CFA_PATH, [{ status: 200, body: JSON.stringify({ userId: users[8], forwardToPhoneNumber: '555 0000' }) }], { key: users[8] });
    const res = await runCli(['export', '--rate', '0', '--operation', CFA, '--manifest', 'with-ghost.csv', '--out', 'partial.csv', '--retries', '0'], { cwd: dir, sim });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/Exported 2 of 4 targets/);
    expect(res.stdout).toMatch(new RegExp(`^isActive: left empty for 1 target \\(first ${users[3]}\\): the server's value would not be accepted back \\(expected true or false, got "maybe"\\)$`, 'm'));
    expect(res.stdout).toMatch(/^1 target left out: none of the fields could be written for it$/m);
    expect(res.stderr).toMatch(/^1 target could not be read and is not in the export:\n {2}ghost@sim\.odin\.test: GET \/users\/call-forwarding-always: HTTP 404 .*User not found/m);
    const rows = await readCsvRecords(join(dir, 'partial.csv'));
    expect(rows.map((r) => r.userId)).toEqual([users[1], users[3]]);
    expect(rows[1]).toEqual({ userId: users[3], isActive: '', forwardToPhoneNumber: "'+15550001111", isRingSplashActive: '' });
  });

  it('refuses bad settings with exit 2 and sends nothing', async () => {
    await writeFiles(dir, { 'exists.csv': 'userId\nsomeone@example.test\n' });
    sim.resetStats();
    const cases: [string[], RegExp][] = [
      [['--group', 'sim-sp/grp-01', '--fields', 'isActiv,forwardToPhoneNumber', '--out', 'x.csv'], /unknown field "isActiv": did you mean "isActive"\?/],
      [['--group', 'sim-sp/grp-01', '--out', 'x.txt'], /--out: name the file \.csv or \.json/],
      [['--group', 'sim-sp/grp-01'], /--out: name the file to write/],
      [['--group', 'sim-sp/grp-01', '--manifest', 'some.csv', '--out', 'x.csv'], /give either --manifest or --group, not both/],
      [['--group', 'sim-sp/grp-01', '--out', 'exists.csv'], /exists\.csv already exists/],
      [['--group', 'sim-sp/grp-01', '--out', join('no-such-folder', 'x.csv')], /the folder of .* does not exist/],
    ];
    // In-process through the CLI's own parser (main), which is what the spawned binary runs: same codes and text.
    for (const [args, message] of cases) {
      const res = await runMain(['export', '--operation', CFA, ...args.map((a) => (a.includes('.') && !a.startsWith('sim-sp') ? join(dir, a) : a))]);
      expect({ args, code: res.code }).toEqual({ args, code: 2 });
      expect(res.stderr).toMatch(message);
    }
    expect(sim.stats.total).toBe(0);
    const replaced = await runCli(['export', '--rate', '0', '--operation', CFA, '--group', 'sim-sp/grp-01', '--out', 'exists.csv', '--overwrite', '--fields', 'isActive'], { cwd: dir, sim });
    expect(replaced.code).toBe(0);
    expect((await readFile(join(dir, 'exists.csv'), 'utf8')).split('\n').slice(0, 2)).toEqual(['userId,isActive', `${users[0]},true`]);
  });
});
