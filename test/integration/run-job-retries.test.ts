import { beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { OP, POLICY, readCsvRecords, readResultsJson, runTestJob, simUsers, tempDir, testJobOptions, withSimulator, writeCsvManifest } from '../kit/index.js';

/** How far the simulator's clock (token issue and expiry) is ahead of this machine's; moved by a test. */
let clockAhead = 0;
const sim = withSimulator({ users: 50, now: () => Date.now() + clockAhead }, { each: true });
let dir: string;
beforeEach(async () => {
  clockAhead = 0;
  dir = await tempDir();
});

/** A script step's `until` that moves the simulator's clock forward as the request it holds arrives, then lets it go on. */
const clockJumps = (ms: number): PromiseLike<void> => ({
  then(resolve) {
    clockAhead += ms;
    return Promise.resolve().then(resolve);
  },
});

const [U1, U2, U3] = simUsers(3);

/** A manifest that sets useGroupName on each user to the opposite of its current value, so every row writes. */
async function flipManifest(users: string[]): Promise<string> {
  return writeCsvManifest(dir, 'flip.csv', ['userId', 'useGroupName'], users.map((u) => [u, !sim.getFields(OP, u)!.useGroupName]));
}
const requestsOf = (method: string, key: string) => sim.requests.filter((r) => r.method === method && r.path === POLICY && r.key === key);

describe('runJob: retries', () => {
  it('retries a 500 (and a 503 on the GET) and the row succeeds; requests and retries are counted', async () => {
    sim.script('GET', POLICY, [503], { key: U1 });
    sim.script('PUT', POLICY, [500, 500], { key: U1 });
    const manifest = await flipManifest([U1, U2]);

    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r')));

    expect(requestsOf('GET', U1).map((r) => r.status)).toEqual([503, 200]);
    expect(requestsOf('PUT', U1).map((r) => r.status)).toEqual([500, 500, 200]);
    const [r1, r2] = await readResultsJson(join(dir, 'r'));
    expect(r1).toMatchObject({ userId: U1, status: 'updated', requests: 5, error: null });
    expect(r2).toMatchObject({ userId: U2, status: 'updated', requests: 2 });
    expect(summary).toMatchObject({ updated: 2, failed: 0, requests: 7, retries: 3, exitCode: 0 });
    expect(sim.pendingScripts()).toBe(0);
  });

  it('gives up after --retries and reports the last status', async () => {
    sim.script('PUT', POLICY, [502, 502, 502], { key: U1 });
    const manifest = await flipManifest([U1]);
    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { retries: 2 }));
    expect(requestsOf('PUT', U1)).toHaveLength(3);
    const [r1] = await readResultsJson(join(dir, 'r'));
    expect(r1).toMatchObject({ status: 'failed', httpStatus: 502, requests: 4, error: expect.stringMatching(/^PUT \/users\/call-processing-policy: HTTP 502 .*Scripted 502 response/) });
    expect(summary).toMatchObject({ failed: 1, retries: 2, exitCode: 1 });
  });

  it('honours Retry-After on a 429: the retry comes at least a second later', async () => {
    sim.script('PUT', POLICY, [{ status: 429, headers: { 'Retry-After': '1' } }], { key: U1 });
    const manifest = await flipManifest([U1]);

    await runTestJob(sim, testJobOptions(manifest, join(dir, 'r')));

    const puts = requestsOf('PUT', U1);
    expect(puts.map((r) => r.status)).toEqual([429, 200]);
    // A correctness bound, not a speed target: the client's own backoff here is 1 ms, so only Retry-After explains it.
    expect(puts[1]!.at - puts[0]!.at).toBeGreaterThanOrEqual(990);
    expect((await readResultsJson(join(dir, 'r')))[0]).toMatchObject({ status: 'updated', requests: 3 });
  });

  it('a 429 asking to wait longer than odin-bulk waits (Retry-After: 300) fails at once, saying what to do', async () => {
    sim.script('PUT', POLICY, [{ status: 429, headers: { 'Retry-After': '300' } }], { key: U1 });
    const manifest = await flipManifest([U1]);

    await runTestJob(sim, testJobOptions(manifest, join(dir, 'r')));

    expect(requestsOf('PUT', U1).map((r) => r.status)).toEqual([429]);
    const [r1] = await readResultsJson(join(dir, 'r'));
    expect(r1).toMatchObject({ status: 'failed', httpStatus: 429 });
    expect(r1!.error).toMatch(/^PUT \/users\/call-processing-policy: HTTP 429 Too Many Requests: .*; the server asks for fewer requests \(Retry-After: 300\): lower --rate or --concurrency/);
  });

  it('a 429 with Retry-After: 0 is retried at once, not taken as "do not retry"', async () => {
    sim.script('PUT', POLICY, [{ status: 429, headers: { 'Retry-After': '0' } }], { key: U1 });
    const manifest = await flipManifest([U1]);

    await runTestJob(sim, testJobOptions(manifest, join(dir, 'r')));

    expect(requestsOf('PUT', U1).map((r) => r.status)).toEqual([429, 200]);
    expect((await readResultsJson(join(dir, 'r')))[0]).toMatchObject({ status: 'updated', requests: 3 });
  });

  it('never retries a 400: the row fails with the server\'s details and the run goes on', async () => {
    sim.script('PUT', POLICY, [400], { key: U1 });
    const manifest = await flipManifest([U1, U2]);

    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r')));

    expect(requestsOf('PUT', U1)).toHaveLength(1);
    const [r1, r2] = await readResultsJson(join(dir, 'r'));
    expect(r1).toMatchObject({ status: 'failed', httpStatus: 400, requests: 2, error: 'PUT /users/call-processing-policy: HTTP 400 Bad Request: Scripted 400 response' });
    expect(r2).toMatchObject({ status: 'updated' });
    expect(summary).toMatchObject({ updated: 1, failed: 1, retries: 0, exitCode: 1 });
  });

  it('an unknown user fails with 404, is listed in failed.csv, and the other rows are written', async () => {
    const ghost = 'nobody@sim.odin.test';
    const manifest = await writeCsvManifest(dir, 'ghost.csv', ['userId', 'useGroupName'], [[U1, !sim.getFields(OP, U1)!.useGroupName], [ghost, true], [U2, !sim.getFields(OP, U2)!.useGroupName]]);

    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r')));

    const results = await readResultsJson(join(dir, 'r'));
    expect(results.map((r) => r.status)).toEqual(['updated', 'failed', 'updated']);
    expect(results[1]).toMatchObject({ userId: ghost, httpStatus: 404, requests: 1, before: null, after: null, error: expect.stringContaining(`User not found: ${ghost}`) });
    expect(sim.count('GET', POLICY, ghost)).toBe(1); // a 404 is not retried
    expect(sim.count('PUT', POLICY, ghost)).toBe(0);
    expect(summary).toMatchObject({ updated: 2, failed: 1, exitCode: 1 });
    expect(await readCsvRecords(join(dir, 'r', 'failed.csv'))).toEqual([{ userId: ghost, useGroupName: 'true' }]);
  });
});

describe('runJob: authentication during the run', () => {
  it('a 401 mid-run → one re-login, then the request is sent again and the row succeeds', async () => {
    sim.script('GET', POLICY, [401], { key: U2 });
    const manifest = await flipManifest([U1, U2, U3]);

    const { summary, client } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { concurrency: 1 }));

    expect(sim.count('POST', '/auth/token')).toBe(2);
    expect(client.stats.logins).toBe(2);
    expect(requestsOf('GET', U2).map((r) => r.status)).toEqual([401, 200]);
    expect(summary).toMatchObject({ updated: 3, failed: 0, exitCode: 0 });
  });

  it('a 401 that persists after the re-login fails that row, after exactly one re-login, and stops the run (systemic)', async () => {
    sim.script('GET', POLICY, [401, 401], { key: U2 });
    const manifest = await flipManifest([U1, U2, U3]);

    const { summary, client } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { concurrency: 1 }));

    expect(client.stats.logins).toBe(2);
    expect(requestsOf('GET', U2).map((r) => r.status)).toEqual([401, 401]);
    const results = await readResultsJson(join(dir, 'r'));
    expect(results.map((r) => r.status)).toEqual(['updated', 'failed', 'skipped']);
    expect(results[1]).toMatchObject({ httpStatus: 401 });
    expect(summary).toMatchObject({ updated: 1, failed: 1, skipped: 1, exitCode: 4 });
  });

  it('a token that expires mid-run is replaced and every row succeeds', async () => {
    sim.setFaults({ tokenLifetimeSeconds: 5 });
    const users = simUsers(6);
    // As the third row's GET arrives, the simulator's clock moves 7 s, past the 5-second token's expiry (counted in
    // whole seconds): that request and the rows after it need a new token.
    sim.script('GET', POLICY, [{ status: 200, until: clockJumps(7000) }], { key: users[2] });
    const manifest = await flipManifest(users);

    const { summary, client } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { concurrency: 1 }));

    expect(summary).toMatchObject({ total: 6, updated: 6, failed: 0, exitCode: 0 });
    expect(client.stats.logins + client.stats.refreshes).toBeGreaterThanOrEqual(2);
    expect(requestsOf('GET', users[2]!).map((r) => r.status)).toEqual([401, 200]); // the token had expired
    for (const u of users.slice(3)) expect(requestsOf('PUT', u).map((r) => r.status)).toEqual([200]);
  });

  it('on a long run the token is refreshed before it expires: no request is refused', async () => {
    // Tokens live 2 s; requests every 40 ms for about 2 s, so one lands in the refresh window before exp.
    sim.setFaults({ tokenLifetimeSeconds: 2 });
    const users = simUsers(26);
    const manifest = await flipManifest(users);

    const { summary, client } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { concurrency: 2, rate: 25 }));

    expect(summary).toMatchObject({ updated: 26, failed: 0 });
    expect(client.stats.refreshes).toBeGreaterThanOrEqual(1);
    expect(sim.count('PUT', '/auth/token')).toBe(client.stats.refreshes);
    expect(sim.requests.filter((r) => r.status === 401)).toEqual([]);
    expect(client.stats.logins).toBe(1);
  });
});
