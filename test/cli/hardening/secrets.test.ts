import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CliResult, listFiles, OP, POLICY, runCli, tempDir, withSimulator } from '../../kit/index.js';

const PASSWORD = 'S3cret-Pa55word!xyz';
const WRONG_PASSWORD = 'Wr0ng-Passw0rd-4711';
const users = [1, 2, 3, 4].map((n) => `user0000${n}@sim.odin.test`);

/**
 * Runs jobs at log level debug — a good one (with a re-login and, as requests are slow, a token refresh), a failing row, a failed
 * login, a plan and its apply — then searches every output for the password and every token the simulator
 * issued: stdout, stderr and every file under the report folders.
 */
describe('secrets never reach an output', () => {
  const sim = withSimulator({ users: 10, username: 'ops-admin', password: PASSWORD, tokenLifetimeSeconds: 2, latencyMs: 400 });
  let dir: string;
  const outputs: Array<{ where: string; text: string }> = [];
  const keep = (what: string, res: CliResult) => {
    outputs.push({ where: `${what} stdout`, text: res.stdout }, { where: `${what} stderr`, text: res.stderr });
  };

  beforeAll(async () => {
    for (const u of users) sim.setFields(OP, u, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    const manifest = `userId,clidPolicy\n${users.map((u) => `${u},Use Group CLID`).join('\n')}\n`;
    dir = await tempDir({ 'users.csv': manifest });
    const debug = ['--log-level', 'debug', '--rate', '0', '--concurrency', '1', '--retries', '1'];

    sim.script('GET', POLICY, [401], { key: users[1] }); // forces a re-login mid-run
    sim.script('PUT', POLICY, [{ status: 500, body: '{"status":500,"error":"Internal Server Error","details":"boom"}' }, 500], { key: users[2] });
    const run = await runCli(['run', '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'run'), ...debug], { sim });
    expect(run.code).toBe(1); // the failing row
    keep('run', run);
    sim.setFaults({ latencyMs: 0 });

    const badLogin = await runCli(['run', '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'bad'), ...debug], { sim, env: { ODIN_PASSWORD: WRONG_PASSWORD } });
    expect(badLogin.code).toBe(3);
    expect(badLogin.stderr).toMatch(/^EAUTH: authentication refused for user "ops-admin"/);
    keep('failed login', badLogin);

    const plan = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'plan'), ...debug], { sim });
    keep('plan', plan);
    const apply = await runCli(['apply', join(dir, 'plan'), ...debug], { sim });
    keep('apply', apply);

    for (const file of await listFiles(dir)) {
      if (file !== 'users.csv') outputs.push({ where: file, text: await readFile(join(dir, file), 'utf8') });
    }
  });

  it('exercised logins, a re-login, a token renewal and a refused login, and wrote reports', () => {
    expect(sim.count('POST', '/auth/token')).toBeGreaterThanOrEqual(5); // run + re-login, bad login, plan, apply
    // 4 good logins, plus at least one token renewed as the 2-second tokens ran out (a refresh, or a re-login
    // when a request under load arrived after expiry).
    expect(sim.issuedTokens.length).toBeGreaterThanOrEqual(5);
    const files = outputs.map((o) => o.where);
    for (const f of ['run/run.log', 'run/journal.ndjson', 'run/results.csv', 'plan/plan.json', 'plan/run.log']) expect(files).toContain(f);
    expect(outputs.find((o) => o.where === 'run/run.log')!.text).toContain('"level":"debug"');
  });

  it('no output holds the password, the wrong password, or any token (or its signature)', () => {
    const secrets = [PASSWORD, WRONG_PASSWORD, ...sim.issuedTokens, ...sim.issuedTokens.map((t) => t.split('.')[2]!)];
    const leaks = outputs.flatMap((o) => secrets.filter((s) => o.text.includes(s)).map((s) => `${o.where}: ${s.slice(0, 12)}…`));
    expect(leaks).toEqual([]);
    expect(outputs.filter((o) => /Bearer\s+\S/i.test(o.text)).map((o) => o.where)).toEqual([]);
  });
});
