import { beforeEach, describe, expect, it } from '@jest/globals';
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closedPort, odinEnv, OP, POLICY, readAllFiles, readResultsJson, readSummary, RUN_REPORT_FILES, runCli, simUsers, tempDir, withSimulator } from '../kit/index.js';

const PASSWORD = 'Sim-Pa55word-not-real';
const [U1, U2, U3] = simUsers(3);

const sim = withSimulator({ users: 20, password: PASSWORD });
let cwd: string;
beforeEach(async () => {
  sim.clearRequests();
  sim.clearScripts();
  sim.resetStats();
  cwd = await tempDir();
});

/** A manifest in the temp dir that flips useGroupName for each user (so every row writes). */
async function flipManifest(name: string, users: string[]): Promise<string> {
  const lines = users.map((u) => `${u},${!sim.getFields(OP, u)?.useGroupName}`);
  await writeFile(join(cwd, name), ['userId,useGroupName', ...lines, ''].join('\n'));
  return name;
}
const exists = (path: string) => access(path).then(() => true, () => false);

describe('odin-bulk run', () => {
  it('exit 0: prints the summary and the report folder, writes the reports, changes the server', async () => {
    const manifest = await flipManifest('users.csv', [U1, U2, U3]);
    const wanted = [U1, U2, U3].map((u) => !sim.getFields(OP, u)!.useGroupName);

    const { code, stdout, stderr } = await runCli(['run', '--manifest', manifest, '--out', 'out', '--rate', '0'], { cwd, env: odinEnv(sim) });

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Job "users": 3 rows: 3 updated in \d+\.\d s \(6 requests, 0 retries\)$/m);
    expect(stdout).toContain('Reports: out\n');
    expect(stdout).toContain('Undo this run:         odin-bulk run --manifest out/rollback.csv');
    expect((await readdir(join(cwd, 'out'))).sort()).toEqual(RUN_REPORT_FILES);
    expect(await readSummary(join(cwd, 'out'))).toMatchObject({ total: 3, updated: 3, exitCode: 0 });
    expect([U1, U2, U3].map((u) => sim.getFields(OP, u)!.useGroupName)).toEqual(wanted);
  });

  it('without --out, a run whose reports/<job>-<UTC time> folder is there already (same job, same second) writes to …-2', async () => {
    const manifest = await flipManifest('users.csv', [U1]);
    // The folders of a run of this job started in any of the next 60 seconds, each holding a report.
    const now = Date.now();
    const taken = Array.from({ length: 60 }, (_, s) => `users-${new Date(now + s * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`);
    for (const dir of taken) {
      await mkdir(join(cwd, 'reports', dir), { recursive: true });
      await writeFile(join(cwd, 'reports', dir, 'summary.json'), '{}\n');
    }
    const { code, stdout } = await runCli(['run', '--manifest', manifest, '--rate', '0'], { cwd, env: odinEnv(sim) });
    expect(code).toBe(0);
    const folder = /^Reports: reports\/(\S+)$/m.exec(stdout)?.[1];
    expect(taken.map((dir) => `${dir}-2`)).toContain(folder);
    expect(await readSummary(join(cwd, 'reports', folder!))).toMatchObject({ total: 1, updated: 1 });
  });

  it('a job file gives the settings; flags override them', async () => {
    await flipManifest('users.csv', [U1, U2]);
    await writeFile(join(cwd, 'job.json'), JSON.stringify({ name: 'from-job', manifest: 'users.csv', rate: 1, concurrency: 1 }));

    const { code, stdout } = await runCli(['run', 'job.json', '--rate', '0', '--name', 'flagged', '--out', 'out'], { cwd, env: odinEnv(sim) });

    expect(code).toBe(0);
    expect(stdout).toContain('Job "flagged": 2 rows: 2 updated');
    const runInfo = (await readAllFiles(join(cwd, 'out'))).find((f) => f.path.endsWith('run.json'))!;
    expect(JSON.parse(runInfo.text)).toMatchObject({ job: 'flagged', settings: { rate: 0, concurrency: 1 } });
  });

  it('exit 1 when a row fails; the summary points at failed.csv', async () => {
    await flipManifest('users.csv', [U1, 'nobody@sim.odin.test']);

    const { code, stdout, stderr } = await runCli(['run', '-m', 'users.csv', '-o', 'out', '--rate', '0'], { cwd, env: odinEnv(sim) });

    expect(code).toBe(1);
    expect(stdout).toMatch(/^Job "users": 2 rows: 1 updated, 1 failed in /m);
    expect(stdout).toContain('Retry the failed rows: odin-bulk run --manifest out/failed.csv');
    expect(stderr).toContain('line 3 nobody@sim.odin.test: failed: GET /users/call-processing-policy: HTTP 404');
    expect((await readResultsJson(join(cwd, 'out'))).map((r) => r.status)).toEqual(['updated', 'failed']);
  });

  it.each([
    ['an unknown flag', ['--concurency', '2'], /^EINPUT: unknown option --concurency for run: did you mean --concurrency\?\n  Run odin-bulk run --help for its options\.\n$/],
    ['a flag out of range', ['--concurrency', '0'], /--concurrency: must be a whole number from 1 to 256 or auto, got "0"/],
    ['a flag that is not a number', ['--rate', 'fast'], /--rate: must be a number from 0 to 10000, got text that is not a number\n/],
  ])('exit 2 for %s, nothing sent', async (_, flags, message) => {
    await flipManifest('users.csv', [U1]);
    const { code, stderr } = await runCli(['run', '--manifest', 'users.csv', ...flags], { cwd, env: odinEnv(sim) });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^EINPUT: /);
    expect(stderr).toMatch(message);
    expect(sim.stats.total).toBe(0);
  });

  it('exit 2 when the connection variables are missing, saying which', async () => {
    await flipManifest('users.csv', [U1]);
    const { code, stderr } = await runCli(['run', '--manifest', 'users.csv'], { cwd, env: { ODIN_USERNAME: 'admin' } });
    expect(code).toBe(2);
    expect(stderr).toContain('EINPUT: ODIN_BASE_URL, ODIN_PASSWORD are not set');
    expect(stderr).toContain('Set ODIN_BASE_URL');
  });

  it('a bad manifest is reported before missing connection variables (both exit 2, nothing sent)', async () => {
    await writeFile(join(cwd, 'bad.csv'), `userId,clidPolicy\n${U1},use dn\n`);
    const { code, stderr } = await runCli(['run', '--manifest', 'bad.csv'], { cwd, env: {} });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^EMANIFEST_INVALID: bad\.csv has 1 problem; nothing was sent\n  bad\.csv:2 clidPolicy: "use dn" is not allowed: did you mean 'Use DN'\?/);
    expect(stderr).not.toContain('ODIN_BASE_URL');
  });

  it('exit 3 when the base URL cannot be reached', async () => {
    await flipManifest('users.csv', [U1]);
    const url = `http://127.0.0.1:${await closedPort()}/api/v2`;
    const { code, stderr } = await runCli(['run', '--manifest', 'users.csv', '--retries', '0', '--out', 'out'], { cwd, env: { ...odinEnv(sim), ODIN_BASE_URL: url } });
    expect(code).toBe(3);
    expect(stderr).toContain(`EUNREACHABLE: cannot log in at ${url}/auth/token: connection failed: ECONNREFUSED`);
    expect(await exists(join(cwd, 'out'))).toBe(false);
  });
});
