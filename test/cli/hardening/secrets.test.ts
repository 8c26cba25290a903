import { beforeAll, describe, expect, it } from '@jest/globals';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CliResult, listFiles, OP, POLICY, readResultsJson, runCli, tempDir, withSimulator } from '../../kit/index.js';

const PASSWORD = 'S3cret-Pa55word!xyz';
const WRONG_PASSWORD = 'Wr0ng-Passw0rd-4711';
const users = [1, 2, 3, 4].map((n) => `user0000${n}@sim.odin.test`);
/** Every simulator token is a JWT: base64url JSON, starting "eyJ". */
const TOKEN_LIKE = /eyJ[\w-]{8,}/;
const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * Runs jobs at log level debug — a good one (with a re-login and token renewals), failing
 * rows (a user that does not exist, a 500, a 400 whose message echoes the password), a failed login, a plan and its
 * apply — then searches every output for the password and every token the simulator issued: stdout, stderr and
 * every file under the report folders.
 */
describe('secrets never reach an output', () => {
  // The simulator's clock runs a minute behind this machine's: each 2-second token it issues has expired by the
  // client's clock when it arrives, so the client renews it (PUT /auth/token, granted: by the simulator's clock the
  // token is fresh) before each request. Every run takes the renewal path, with no waiting for tokens to age.
  const sim = withSimulator({ users: 10, username: 'ops-admin', password: PASSWORD, tokenLifetimeSeconds: 2, now: () => Date.now() - 60_000 });
  let dir: string;
  const outputs: Array<{ where: string; text: string }> = [];
  const keep = (what: string, res: CliResult) => {
    outputs.push({ where: `${what} stdout`, text: res.stdout }, { where: `${what} stderr`, text: res.stderr });
  };

  beforeAll(async () => {
    for (const u of users) sim.setFields(OP, u, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    const rows = users.map((u) => `${u},Use Group CLID`);
    dir = await tempDir({
      'users.csv': `userId,clidPolicy\n${rows.join('\n')}\n`,
      'run.csv': `userId,clidPolicy\n${[...rows, 'nobody@sim.odin.test,Use Group CLID'].join('\n')}\n`,
    });
    const debug = ['--log-level', 'debug', '--rate', '0', '--concurrency', '1', '--retries', '1'];

    sim.script('GET', POLICY, [401], { key: users[1] }); // forces a re-login mid-run
    sim.script('PUT', POLICY, [{ status: 500, body: '{"status":500,"error":"Internal Server Error","details":"boom"}' }, 500], { key: users[2] });
    sim.script('PUT', POLICY, [{ status: 400, body: JSON.stringify({ status: 400, error: 'Bad Request', details: `echo ${PASSWORD}` }) }], { key: users[3] });
    const run = await runCli(['run', '--manifest', join(dir, 'run.csv'), '--out', join(dir, 'run'), ...debug], { sim });
    expect(run.code).toBe(1); // the failing rows
    expect(sim.count('POST', '/auth/token')).toBeGreaterThanOrEqual(2); // the login and the re-login after the 401
    keep('run', run);

    // A refused login: exit 3, and nothing else sent, no report folder (the run's contract).
    const [logins, reads] = [sim.count('POST', '/auth/token'), sim.count('GET', POLICY)];
    const badLogin = await runCli(['run', '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'bad'), ...debug], { sim, env: { ODIN_PASSWORD: WRONG_PASSWORD } });
    expect(badLogin.code).toBe(3);
    expect(badLogin.stderr).toMatch(/^EAUTH: authentication refused for user "ops-admin"/);
    expect([sim.count('POST', '/auth/token'), sim.count('GET', POLICY)]).toEqual([logins + 1, reads]);
    expect(await exists(join(dir, 'bad'))).toBe(false);
    keep('failed login', badLogin);

    const plan = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'plan'), ...debug], { sim });
    keep('plan', plan);
    const apply = await runCli(['apply', join(dir, 'plan'), ...debug], { sim });
    keep('apply', apply);

    for (const file of await listFiles(dir)) {
      if (file !== 'users.csv' && file !== 'run.csv') outputs.push({ where: file, text: await readFile(join(dir, file), 'utf8') });
    }
  });

  it('exercised logins, a re-login, a token renewal and a refused login, and wrote reports', () => {
    expect(sim.count('POST', '/auth/token')).toBeGreaterThanOrEqual(5); // run + re-login, bad login, plan, apply
    expect(sim.count('PUT', '/auth/token')).toBeGreaterThanOrEqual(3); // renewals: in the run, the plan and the apply
    // 4 good logins, plus the renewed tokens.
    expect(sim.issuedTokens.length).toBeGreaterThanOrEqual(4 + sim.count('PUT', '/auth/token'));
    const files = outputs.map((o) => o.where);
    for (const f of ['run/run.log', 'run/journal.ndjson', 'run/results.csv', 'plan/plan.json', 'plan/run.log']) expect(files).toContain(f);
    expect(outputs.find((o) => o.where === 'run/run.log')!.text).toContain('"level":"debug"');
  });

  it('failing rows say why, with what the server echoed of the password redacted, not dropped', async () => {
    const results = await readResultsJson(join(dir, 'run'));
    expect(results.map((r) => [r.userId, r.status])).toEqual([
      [users[0], 'updated'],
      [users[1], 'updated'],
      [users[2], 'failed'],
      [users[3], 'failed'],
      ['nobody@sim.odin.test', 'failed'],
    ]);
    expect(results[3]!.error).toContain('echo ***');
    expect(results[4]!.error).toContain('HTTP 404');
  });

  it('no output holds the password, the wrong password, or any token (or its signature)', () => {
    const secrets = [PASSWORD, WRONG_PASSWORD, ...sim.issuedTokens, ...sim.issuedTokens.map((t) => t.split('.')[2]!)];
    const leaks = outputs.flatMap((o) => secrets.filter((s) => o.text.includes(s)).map((s) => `${o.where}: ${s.slice(0, 12)}…`));
    expect(leaks).toEqual([]);
    expect(outputs.filter((o) => /Bearer\s+\S/i.test(o.text)).map((o) => o.where)).toEqual([]);
    // Nor anything shaped like a token (a JWT), whoever issued it.
    expect(outputs.filter((o) => TOKEN_LIKE.test(o.text)).map((o) => o.where)).toEqual([]);
  });
});
