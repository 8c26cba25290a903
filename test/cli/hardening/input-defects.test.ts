import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type CliResult, libraryPlan, POLICY, runCli, tempDir, withSimulator } from '../../kit/index.js';

const U = (n: number) => `user0000${n}@sim.odin.test`;
const exists = (file: string) => access(file).then(() => true, () => false);

/** Names every JavaScript object has: a lookup that is not own-key-only finds them on Object.prototype. */
const INHERITED = ['constructor', 'toString', 'hasOwnProperty', '__proto__'];

describe('names every object has are unknown fields, wherever a name from input meets a field table (exit 2, nothing sent)', () => {
  const sim = withSimulator({ users: 10 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });
  beforeEach(() => sim.resetStats());

  const listsAll = (res: CliResult, code: string, where: (name: string) => string) => {
    expect({ code: res.code, stdout: res.stdout }).toEqual({ code: 2, stdout: '' });
    expect(res.stderr.split('\n')[0]).toMatch(new RegExp(`^${code}: `));
    for (const name of INHERITED) expect(res.stderr).toContain(where(name));
    expect(res.stderr).not.toContain('internal error');
    expect(sim.stats.total).toBe(0); // not even a login
  };

  it('CSV columns (once silently ignored, or a crash with exit 70)', async () => {
    const file = join(dir, 'columns.csv');
    await writeFile(file, `userId,${INHERITED.join(',')},clidPolicy\n${U(1)},a,b,c,d,Use DN\n`);
    listsAll(await runCli(['run', '--manifest', file, '--out', join(dir, 'o-columns')], { sim }), 'EMANIFEST_INVALID', (n) => `${file}:1 ${n}: unknown field "${n}"`);
  });

  it('JSON row keys', async () => {
    const file = join(dir, 'keys.json');
    const keys = INHERITED.map((n) => `"${n}": "x"`).join(', ');
    await writeFile(file, `[\n  {"userId": "${U(1)}", "clidPolicy": "Use DN"},\n  {"userId": "${U(2)}", ${keys}}\n]\n`);
    listsAll(await runCli(['run', '--manifest', file, '--out', join(dir, 'o-keys')], { sim }), 'EMANIFEST_INVALID', (n) => `${file}:3 ${n}: unknown field "${n}"`);
  });

  it('JSON manifest defaults', async () => {
    const file = join(dir, 'defaults.json');
    const keys = INHERITED.map((n) => `"${n}": true`).join(', ');
    await writeFile(file, `{"defaults": {${keys}}, "rows": [{"userId": "${U(1)}", "clidPolicy": "Use DN"}]}\n`);
    listsAll(await runCli(['validate', '--manifest', file], { sim }), 'EMANIFEST_INVALID', (n) => `${file} defaults.${n}: unknown field "${n}"`);
  });

  it('job-file defaults', async () => {
    await writeFile(join(dir, 'users.csv'), `userId,clidPolicy\n${U(1)},Use DN\n`);
    const job = join(dir, 'job.json');
    const keys = INHERITED.map((n) => `"${n}": true`).join(', ');
    await writeFile(job, `{"manifest": "users.csv", "defaults": {${keys}}}\n`);
    listsAll(await runCli(['run', job, '--out', join(dir, 'o-job')], { sim }), 'EMANIFEST_INVALID', (n) => `${job} defaults.${n}: unknown field "${n}"`);
  });

  it('export --fields', async () => {
    const res = await runCli(['export', '--group', 'sim-sp/grp-01', '--fields', `clidPolicy,${INHERITED.join(',')}`, '--out', join(dir, 'e.csv')], { sim });
    listsAll(res, 'EINPUT', (n) => `command line --fields: unknown field "${n}"`);
  });

  it('--operation: an unknown operation, with a suggestion for a near miss', async () => {
    const file = join(dir, 'op.csv');
    await writeFile(file, `userId,clidPolicy\n${U(1)},Use DN\n`);
    const res = await runCli(['run', '--manifest', file, '--operation', 'constructor'], { sim });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('command line --operation: unknown operation "constructor" (one of: ');
    const near = await runCli(['validate', '--manifest', file, '--operation', 'user-do-not-disturbe'], { sim });
    expect(near.stderr).toContain('unknown operation "user-do-not-disturbe": did you mean "user-do-not-disturb"?');
    expect(sim.stats.total).toBe(0);
  });

  it('an edited plan.json whose "set" names them is EPLAN, nothing sent', async () => {
    const manifest = join(dir, 'plan.csv');
    await writeFile(manifest, `userId,useUserCLIDSetting,clidPolicy\n${U(3)},true,Use Group CLID\n`);
    sim.setFields('user-call-processing-policy', U(3), { useUserCLIDSetting: false, clidPolicy: 'Use DN' });
    const planDir = join(dir, 'plan');
    expect((await libraryPlan(sim, { manifest, out: planDir })).exitCode).toBe(0); // set-up: the plan to edit
    const file = join(planDir, 'plan.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"set":{', `"set":{${INHERITED.map((n) => `"${n}":true,`).join('')}`));
    sim.resetStats();
    listsAll(await runCli(['apply', planDir], { sim }), 'EPLAN', (n) => `set.${n}: unknown field for user-call-processing-policy`);
  });
});

describe('a JSON row that names a key twice is refused (JSON would keep the last one silently)', () => {
  const sim = withSimulator({ users: 10 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  it('names the file, the line and the key; exit 2 and nothing sent', async () => {
    const file = join(dir, 'twice.json');
    await writeFile(file, [
      '[',
      `  {"userId": "${U(1)}", "clidPolicy": "Use DN"},`,
      `  {"userId": "${U(2)}",`,
      `   "clidPolicy": "Use DN",`,
      `   "userId": "${U(3)}"},`,
      `  {"userId": "${U(4)}", "clidPolicy": "Use DN", "clidPolicy": "Use Group CLID"}`,
      ']',
    ].join('\n'));
    const res = await runCli(['run', '--manifest', file, '--out', join(dir, 'out')], { sim });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `EMANIFEST_INVALID: ${file} has 2 problems; nothing was sent\n` +
        `  ${file}:3 userId: "userId" is named twice in this row (lines 3 and 5); JSON would keep only the last one, so the row is refused: remove one\n` +
        `  ${file}:6 clidPolicy: "clidPolicy" is named twice in this row; JSON would keep only the last one, so the row is refused: remove one\n`,
    );
    expect(sim.stats.total).toBe(0);
  });

  it('a key named twice in "defaults" refuses the file', async () => {
    const file = join(dir, 'defaults-twice.json');
    await writeFile(file, `{"defaults": {"clidPolicy": "Use DN",\n "clidPolicy": "Use Group CLID"}, "rows": [{"userId": "${U(1)}"}]}\n`);
    const res = await runCli(['validate', '--manifest', file], {});
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${file}:2: "defaults" names "clidPolicy" twice (lines 1 and 2): JSON keeps only the last one, so the file is refused; remove one of them`);
  });
});

describe('--out naming an existing file: exit 2, EINPUT, before the login', () => {
  const sim = withSimulator({ users: 10 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  it.each([['run'], ['plan']])('%s', async (command) => {
    await writeFile(join(dir, 'users.csv'), `userId,clidPolicy\n${U(1)},Use DN\n`);
    await writeFile(join(dir, 'notes.txt'), 'keep me\n');
    sim.resetStats();
    const res = await runCli([command, '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'notes.txt')], { sim });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(new RegExp(`^EINPUT: the report folder ${join(dir, 'notes.txt')} is a file, not a folder; nothing was sent\n`));
    expect(sim.stats.total).toBe(0);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('keep me\n');
  });

  it('apply', async () => {
    await writeFile(join(dir, 'u.csv'), `userId,clidPolicy\n${U(2)},Use Group CLID\n`);
    expect((await libraryPlan(sim, { manifest: join(dir, 'u.csv'), out: join(dir, 'p') })).exitCode).toBe(0); // set-up: a plan to apply
    sim.resetStats();
    const res = await runCli(['apply', join(dir, 'p'), '--out', join(dir, 'notes.txt')], { sim });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('is a file, not a folder; nothing was sent');
    expect(sim.stats.total).toBe(0);
  });
});

describe('one report folder, one run: the folder is claimed with a lock file', () => {
  const sim = withSimulator({ users: 10 });
  let dir: string;
  const users = [1, 2, 3, 4, 5, 6].map(U);
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'users.csv'), `userId,clidPolicy\n${users.map((u) => `${u},Use Group CLID`).join('\n')}\n`);
    for (const u of users) sim.setFields('user-call-processing-policy', u, { clidPolicy: 'Use DN' });
  });

  it('two runs started at the same moment into one --out: one runs, the other exits 2 before any request', async () => {
    const out = join(dir, 'both');
    sim.record = true;
    sim.clearRequests();
    sim.resetStats();
    const args = ['run', '--manifest', join(dir, 'users.csv'), '--out', out, '--concurrency', '1', '--rate', '0'];
    const pids: number[] = [];
    // The winner's first read is held until one of the two has ended (the loser): the winner is still running, its
    // lock held, whenever the loser looks, whatever the machine's load.
    let oneEnded!: () => void;
    const ended = new Promise<void>((resolve) => (oneEnded = resolve));
    sim.script('GET', POLICY, [{ until: ended }], { key: users[0] });
    const start = (child: ChildProcess) => {
      pids.push(child.pid!);
      child.once('exit', () => oneEnded());
    };
    const [a, b] = await Promise.all([0, 1].map(() => runCli(args, { sim, onStart: start })));
    // The simulator's own record: one login, one token, each user read once and written once.
    expect(sim.requests.filter((r) => r.path === '/auth/token')).toHaveLength(1);
    expect(sim.issuedTokens).toHaveLength(1);
    for (const u of users) {
      expect(sim.requests.filter((r) => r.path === POLICY && r.key === u).map((r) => r.method)).toEqual(['GET', 'PUT']);
    }
    const [winner, loser] = a!.code === 0 ? [a!, b!] : [b!, a!];
    expect([winner.code, loser.code]).toEqual([0, 2]);
    const winnerPid = pids[a!.code === 0 ? 0 : 1];
    // The loser names the winner; or, if it looked in the instant between the winner creating its lock file and
    // writing it (the two start together), says the lock file is being written. Either way: in use, nothing sent.
    // (The pid form is also checked, deterministically, by the --resume test below.)
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const named = `(pid ${winnerPid}, \`odin-bulk run\` started `;
    const writing = '(its lock file odin-bulk.lock is being written); nothing was sent';
    expect(loser.stderr).toMatch(new RegExp(`EINPUT: report folder ${escape(out)} is in use by another odin-bulk run (${escape(named)}|${escape(writing)})`));
    expect(loser.stdout).toBe('');
    const journal = (await readFile(join(out, 'journal.ndjson'), 'utf8')).trim().split('\n');
    expect(journal).toHaveLength(users.length); // one line per row, not two
    expect(await exists(join(out, 'odin-bulk.lock'))).toBe(false); // released at the end
  });

  it('a lock left by a process that no longer runs is named, with how to clear it; --resume takes the same lock', async () => {
    const out = join(dir, 'stale');
    await mkdir(out);
    const dead = await deadPid();
    const lock = join(out, 'odin-bulk.lock');
    await writeFile(lock, JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-11-30T10:15:00.000Z', command: 'run' }));
    sim.resetStats();
    const args = ['run', '--manifest', join(dir, 'users.csv'), '--out', out, '--rate', '0'];
    const res = await runCli(args, { sim });
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `EINPUT: report folder ${out} is locked by a run that is no longer running (pid ${dead}, \`odin-bulk run\` started 2026-11-30T10:15:00.000Z); nothing was sent\n` +
        '  That run was probably killed (kill -9, a crash, a power cut) before it could remove its lock.\n' +
        `  If no other odin-bulk run uses this folder, remove the stale lock: rm ${lock}\n` +
        `  Then continue that run with --resume ${out} (its journal records every row it finished).\n`,
    );
    expect(sim.stats.total).toBe(0);
    expect(await readFile(lock, 'utf8')).toContain(`"pid":${dead}`); // never taken over silently
  });

  it('--resume takes the same lock: a folder another run holds is refused before anything is read or sent', async () => {
    const out = join(dir, 'held');
    const args = ['plan', '--manifest', join(dir, 'users.csv'), '--rate', '0'];
    expect((await libraryPlan(sim, { manifest: join(dir, 'users.csv'), out })).exitCode).toBe(0); // set-up: a folder to resume
    // A live holder: this test process.
    await writeFile(join(out, 'odin-bulk.lock'), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2026-11-30T10:15:00.000Z', command: 'plan' }));
    sim.resetStats();
    const resumed = await runCli([...args, '--resume', out], { sim });
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain(`EINPUT: report folder ${out} is in use by another odin-bulk run (pid ${process.pid}, \`odin-bulk plan\` started 2026-11-30T10:15:00.000Z); nothing was sent\n`);
    expect(resumed.stderr).toContain(`If that process is not an odin-bulk run using this folder, remove the lock: rm ${join(out, 'odin-bulk.lock')}`);
    expect(sim.stats.total).toBe(0);
  });
});

/** The pid of a process that has ended. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(child.pid!));
  });
}
