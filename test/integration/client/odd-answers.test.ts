import { afterAll, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createOdinClient, RowFailure } from '../../../src/client/odin-client.js';
import { applyPlan, planJob } from '../../../src/index.js';
import { Secrets } from '../../../src/logging/secrets.js';
import { userCallForwardingAlways as cfa } from '../../../src/operations/user-call-forwarding-always.js';
import type { ScriptStep } from '../../../src/simulator/types.js';
import { call, login, readCsvRecords, readJournal, readResultsJson, runTestJob, simUsers, tempDir, testJobOptions, withSimulator, writeCsvManifest, writeFiles } from '../../kit/index.js';

/*
 * Answers a real Odin, or a proxy in front of it, may give that are not what the API documents. Each must end as a
 * row result that is true: never `updated` or `unchanged` on an answer that is not the user's settings, never a
 * wrong before value (rollback.csv would put it back), and never the token or password sent somewhere else.
 */

const CFA = '/users/call-forwarding-always';
const json = (o: unknown) => JSON.stringify(o);

describe('a GET answered with 200 and an object that is not this user\'s settings', () => {
  const sim = withSimulator({ users: 20 });
  const users = simUsers(20);
  const other = users[19]!;

  // The row only clears nothing and sets a number: taken as settings, each answer below read as "no number", so the
  // row was `updated` with before null, and rollback.csv cleared the user's real number.
  const CASES: Array<[string, (u: string) => string, RegExp]> = [
    ["another user's settings", () => json({ isActive: true, forwardToPhoneNumber: '9999', isRingSplashActive: false, userId: other }), /the settings of userId "user00020@sim\.odin\.test" \(the row's is "user000\d\d@sim\.odin\.test"\)/],
    ['an empty object', () => '{}', /none of the operation's fields \(an empty object\)/],
    ['an error object sent with 200', () => json({ error: 'Internal Error', details: 'session lost' }), /none of the operation's fields \(keys: error, details\)/],
    ['the settings wrapped in {"data": …}', (u) => json({ data: { isActive: true, forwardToPhoneNumber: '1234', userId: u } }), /\(keys: data\)/],
    ['a field named in another case', (u) => json({ isActive: true, ForwardToPhoneNumber: '1234', userId: u }), /a field named "ForwardToPhoneNumber" where the API names it "forwardToPhoneNumber"/],
  ];

  it.each(CASES.map(([name, body, why], i) => [name, i, body, why] as const))('%s: the row fails BAD_RESPONSE, no PUT, no rollback line', async (_name, i, body, why) => {
    const user = users[i]!;
    sim.setFields(cfa.name, user, { isActive: true, forwardToPhoneNumber: '1234', isRingSplashActive: false });
    sim.script('GET', CFA, [{ status: 200, body: body(user) }], { key: user });
    const dir = await tempDir();
    const manifest = await writeCsvManifest(dir, 'm.csv', ['userId', 'forwardToPhoneNumber'], [[user, '5550001']]);
    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { op: cfa, retries: 0 }));

    const [row] = await readResultsJson(join(dir, 'r'));
    expect(row).toMatchObject({ status: 'failed', httpStatus: 200, before: null, after: null, requests: 1 });
    expect(row!.error).toMatch(/^GET \/users\/call-forwarding-always: HTTP 200 with /);
    expect(row!.error).toMatch(why);
    expect(row!.error).toMatch(/instead of the current settings; nothing was written$/);
    expect(sim.count('PUT', CFA, user)).toBe(0);
    expect(sim.getFields(cfa.name, user)).toMatchObject({ forwardToPhoneNumber: '1234' });
    expect(await readCsvRecords(join(dir, 'r', 'rollback.csv'))).toEqual([]);
    expect((await readJournal(join(dir, 'r'))).map((j) => j.errorCode)).toEqual(['BAD_RESPONSE']);
    expect(summary).toMatchObject({ failed: 1, updated: 0, exitCode: 1 });
  });

  it("the same user's id in another case is the same user", async () => {
    const user = users[10]!;
    sim.setFields(cfa.name, user, { isActive: true, forwardToPhoneNumber: '1234', isRingSplashActive: false });
    sim.script('GET', CFA, [{ status: 200, body: json({ isActive: true, forwardToPhoneNumber: '1234', userId: user.toUpperCase() }) }], { key: user });
    const dir = await tempDir();
    const manifest = await writeCsvManifest(dir, 'm.csv', ['userId', 'forwardToPhoneNumber'], [[user, '1234']]);
    await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { op: cfa, retries: 0 }));
    expect((await readResultsJson(join(dir, 'r')))[0]).toMatchObject({ status: 'unchanged', before: { forwardToPhoneNumber: '1234' } });
  });

  it("a PUT answered 200 with Odin's error shape and not applied: VERIFY, with the server's words in the row's error", async () => {
    const user = users[12]!;
    sim.setFields(cfa.name, user, { isActive: false, forwardToPhoneNumber: '1234', isRingSplashActive: false });
    sim.script('PUT', CFA, [{ status: 200, body: json({ status: 200, error: 'Not Applied', details: 'forwarding is locked by the group policy' }) }], { key: user });
    const dir = await tempDir();
    const manifest = await writeCsvManifest(dir, 'm.csv', ['userId', 'isActive'], [[user, 'true']]);
    await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { op: cfa, retries: 0 }));

    const [row] = await readResultsJson(join(dir, 'r'));
    expect(row).toMatchObject({
      status: 'failed',
      error: "the server accepted the update but isActive is false, expected true; the PUT's answer said: forwarding is locked by the group policy",
      warnings: ["the PUT's answer did not hold this target's updated settings (it said: forwarding is locked by the group policy); after values were read back with GET"],
    });
  });

  it("a PUT answered with another user's settings (as the row asked) is not taken as done: read back, VERIFY", async () => {
    const user = users[11]!;
    sim.setFields(cfa.name, user, { isActive: false, forwardToPhoneNumber: '1234', isRingSplashActive: false });
    // Not applied; the answer holds exactly what the row asked for, but for another user.
    sim.script('PUT', CFA, [{ status: 200, body: json({ isActive: true, forwardToPhoneNumber: '5550001', isRingSplashActive: false, userId: other }) }], { key: user });
    const dir = await tempDir();
    const manifest = await writeCsvManifest(dir, 'm.csv', ['userId', 'isActive', 'forwardToPhoneNumber'], [[user, 'true', '5550001']]);
    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { op: cfa, retries: 0 }));

    const [row] = await readResultsJson(join(dir, 'r'));
    expect(row).toMatchObject({
      status: 'failed',
      error: 'the server accepted the update but isActive is false, expected true; forwardToPhoneNumber is "1234", expected "5550001"',
      before: { isActive: false, forwardToPhoneNumber: '1234' },
      after: { isActive: false, forwardToPhoneNumber: '1234' },
      warnings: [expect.stringMatching(/read back with GET/)],
      requests: 3,
    });
    expect((await readJournal(join(dir, 'r'))).map((j) => j.errorCode)).toEqual(['VERIFY']);
    expect(await readCsvRecords(join(dir, 'r', 'rollback.csv'))).toEqual([{ userId: user, isActive: 'false', forwardToPhoneNumber: '1234' }]);
    expect(summary).toMatchObject({ updated: 0, failed: 1, exitCode: 1 });
  });
});

describe("a live value that is not one of the field's values (\"isActive\": 1)", () => {
  const sim = withSimulator({ users: 10 });
  const users = simUsers(10);
  /** A GET answer for `user` whose isActive is 1, not true or false; the rest as the simulator holds it. */
  const oddAnswer = (user: string) => json({ isActive: 1, forwardToPhoneNumber: '1234', isRingSplashActive: false, userId: user });

  it('a row that would change it fails BAD_RESPONSE: no PUT, no rollback line (its cell would be refused)', async () => {
    const user = users[0]!;
    sim.setFields(cfa.name, user, { isActive: true, forwardToPhoneNumber: '1234', isRingSplashActive: false });
    sim.script('GET', CFA, [{ status: 200, body: oddAnswer(user) }], { key: user });
    const dir = await tempDir();
    const manifest = await writeCsvManifest(dir, 'm.csv', ['userId', 'isActive'], [[user, 'false']]);
    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { op: cfa, retries: 0 }));

    const [row] = await readResultsJson(join(dir, 'r'));
    expect(row).toMatchObject({ status: 'failed', before: { isActive: 1 }, changed: [] });
    expect(row!.error).toBe('not written: the server\'s isActive is 1 (expected true or false, got "1"): rollback.csv could not put that value back, so the change could not be undone');
    expect(sim.count('PUT', CFA, user)).toBe(0);
    expect(await readCsvRecords(join(dir, 'r', 'rollback.csv'))).toEqual([]);
    expect(summary).toMatchObject({ failed: 1, exitCode: 1 });
  });

  it('a row that leaves that field alone is written as usual', async () => {
    const user = users[1]!;
    sim.setFields(cfa.name, user, { isActive: true, forwardToPhoneNumber: '1234', isRingSplashActive: false });
    sim.script('GET', CFA, [{ status: 200, body: oddAnswer(user) }], { key: user });
    const dir = await tempDir();
    const manifest = await writeCsvManifest(dir, 'm.csv', ['userId', 'forwardToPhoneNumber'], [[user, '5550002']]);
    await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { op: cfa, retries: 0 }));
    expect((await readResultsJson(join(dir, 'r')))[0]).toMatchObject({ status: 'updated', before: { forwardToPhoneNumber: '1234' } });
    expect(await readCsvRecords(join(dir, 'r', 'rollback.csv'))).toEqual([{ userId: user, forwardToPhoneNumber: '1234' }]);
  });

  it('plan does not plan it, and apply --force of a plan made before the value turned odd does not write it', async () => {
    const [planned, applied] = [users[2]!, users[3]!];
    for (const u of [planned, applied]) sim.setFields(cfa.name, u, { isActive: true, forwardToPhoneNumber: '1234', isRingSplashActive: false });
    const dir = await tempDir();
    const manifest = await writeCsvManifest(dir, 'm.csv', ['userId', 'isActive'], [[planned, 'false'], [applied, 'false']]);
    const connection = { baseUrl: sim.url, username: sim.username, password: sim.password };
    // The plan: the first user answers the odd value, the second a good one (its row is planned).
    sim.script('GET', CFA, [{ status: 200, body: oddAnswer(planned) }], { key: planned });
    await planJob({ manifest, operation: cfa.name, out: join(dir, 'p'), connection, rate: 0, retries: 0 });
    const plan = await readResultsJson(join(dir, 'p'));
    expect(plan.map((r) => [r.userId, r.status])).toEqual([[planned, 'failed'], [applied, 'planned']]);
    expect(plan[0]!.error).toMatch(/^not written: the server's isActive is 1 /);

    // Without --force the changed value is a conflict already; with it, the odd value still is not written over.
    sim.script('GET', CFA, [{ status: 200, body: oddAnswer(applied) }], { key: applied });
    await applyPlan({ plan: join(dir, 'p'), out: join(dir, 'a'), connection, rate: 0, retries: 0, force: true });
    const [, row] = await readResultsJson(join(dir, 'a'));
    expect(row).toMatchObject({ userId: applied, status: 'failed', before: { isActive: 1 } });
    expect(row!.error).toMatch(/^not written: the server's isActive is 1 /);
    expect(sim.count('PUT', CFA, applied)).toBe(0);
    expect(await readCsvRecords(join(dir, 'a', 'rollback.csv'))).toEqual([]);
  });
});

describe("a group-wide read whose item's data is another user's", () => {
  const sim = withSimulator({ users: 5, groupSize: 5 });

  it('that user is read with its own GET; its plan row holds its own values', async () => {
    const [a, b] = sim.userIds('grp-01');
    sim.setFields(cfa.name, a!, { isActive: true, forwardToPhoneNumber: '1111' });
    sim.setFields(cfa.name, b!, { isActive: true, forwardToPhoneNumber: '2222' });
    const token = await login(sim.url);
    const answer = (await call(sim.url, 'GET', `${CFA}/bulk`, { token, query: { serviceProviderId: 'sim-sp', groupId: 'grp-01' } })).json as Array<{ user: { userId: string }; data: unknown }>;
    const dataOf = (u: string) => answer.find((i) => i.user.userId === u)!.data;
    const swapped = answer.map((i) => (i.user.userId === a ? { ...i, data: dataOf(b!) } : i));
    sim.script('GET', `${CFA}/bulk`, [{ status: 200, body: json(swapped) }]);
    sim.clearRequests();
    const dir = await tempDir();
    const job = await writeFiles(dir, { 'j.json': json({ operation: cfa.name, defaults: { forwardToPhoneNumber: '1111' } }) });
    const connection = { baseUrl: sim.url, username: sim.username, password: sim.password };
    await planJob({ job, group: 'sim-sp/grp-01', out: join(dir, 'p'), connection, rate: 0, retries: 0 });

    const rows = await readResultsJson(join(dir, 'p'));
    expect(rows.find((r) => r.userId === a)).toMatchObject({ status: 'unchanged', before: { forwardToPhoneNumber: '1111' } });
    expect(rows.find((r) => r.userId === b)).toMatchObject({ status: 'planned', before: { forwardToPhoneNumber: '2222' } });
    expect(sim.requests.filter((r) => r.method === 'GET' && r.path === CFA).map((r) => r.key)).toEqual([a]);
  });
});

/** A server of the test's own: `answer` handles a request, or returns false to answer as a tiny Odin does. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => boolean = () => false) {
  const seen: Array<{ method: string; url: string; authorization?: string; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      if (answer(req, res)) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(req.url!.endsWith('/auth/token') ? json({ token: TOKEN }) : json({ isActive: false, isRingSplashActive: false, userId: USER }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  servers.push(server);
  return { url: `http://127.0.0.1:${port}/api/v2`, seen };
}
const servers: ReturnType<typeof createServer>[] = [];
afterAll(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

const TOKEN = 'token-that-must-stay-here-0123456789';
const PASSWORD = 'password-that-must-stay-here';
const USER = 'u1@odd.test';

function clientOf(baseUrl: string, timeoutMs = 5000) {
  return createOdinClient({ baseUrl, username: 'admin', password: PASSWORD, rate: 0, retries: 1, timeoutMs, retryBaseMs: 1 }, { secrets: new Secrets() });
}

/** The RowFailure (or JobError) a call ends with. */
async function failureOf(work: Promise<unknown>): Promise<{ code?: string; message: string; status?: number }> {
  try {
    await work;
  } catch (error) {
    return error as RowFailure;
  }
  throw new Error('expected the call to fail');
}

describe('a redirect to another host is not followed: the token and password stay with the API', () => {
  it.each([
    ['GET', (c: ReturnType<typeof clientOf>) => c.read(cfa, { userId: USER }, { requests: 0, retries: 0 })],
    ['PUT', (c: ReturnType<typeof clientOf>) => c.write(cfa, { userId: USER }, { isActive: true }, { requests: 0, retries: 0 })],
  ] as const)('a %s answered 307 to another host: ENDPOINT_MISSING naming where, nothing sent there', async (method, work) => {
    const elsewhere = await serve();
    const api = await serve((req, res) => {
      if (req.method !== method) return false;
      res.writeHead(307, { location: `${elsewhere.url}${CFA}?userId=${USER}` });
      res.end();
      return true;
    });
    const client = clientOf(api.url);
    await client.start();
    const failure = await failureOf(work(client));
    client.close();
    expect(failure).toBeInstanceOf(RowFailure);
    expect(failure).toMatchObject({ code: 'ENDPOINT_MISSING', status: 307 });
    expect(failure.message).toContain(`${method} ${CFA}: no such endpoint here: HTTP 307 redirect to ${new URL(elsewhere.url).origin}/api/v2${CFA} (another host or port): not followed`);
    expect(elsewhere.seen).toEqual([]);
  });

  it('a login answered 307 to another host: cannot log in, the password is not resent there', async () => {
    const elsewhere = await serve();
    const api = await serve((req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}/auth/token` });
      res.end();
      return true;
    });
    const client = clientOf(api.url);
    const failure = await failureOf(client.start());
    client.close();
    expect(failure).toMatchObject({ code: 'EUNREACHABLE', message: expect.stringContaining('HTTP 307 redirect to') });
    expect(elsewhere.seen).toEqual([]);
  });

  it('a redirect within the API\'s own origin is still followed, with the token', async () => {
    const api = await serve((req, res) => {
      if (!req.url!.startsWith('/old/')) return false;
      res.writeHead(301, { location: req.url!.slice('/old'.length) });
      res.end();
      return true;
    });
    const client = clientOf(api.url.replace('/api/v2', '/old/api/v2'));
    await client.start();
    expect(await client.read(cfa, { userId: USER }, { requests: 0, retries: 0 })).toMatchObject({ isActive: false });
    client.close();
    expect(api.seen.filter((s) => s.url.startsWith('/api/v2/users')).map((s) => s.authorization)).toEqual([`Bearer ${TOKEN}`]);
  });

  it('a redirect loop fails BAD_RESPONSE saying so', async () => {
    const api = await serve((req, res) => {
      if (req.method !== 'GET') return false;
      res.writeHead(302, { location: req.url });
      res.end();
      return true;
    });
    const client = clientOf(api.url);
    await client.start();
    const failure = await failureOf(client.read(cfa, { userId: USER }, { requests: 0, retries: 0 }));
    client.close();
    expect(failure).toMatchObject({ code: 'BAD_RESPONSE', message: `GET ${CFA}: redirected again and again (a redirect loop; the last answer was HTTP 302)` });
  });
});

describe('an answer whose body does not come whole', () => {
  it('headers of a 200, then a stall past the timeout: TIMEOUT, retried, not "HTTP 200 … empty body"', async () => {
    const api = await serve((req, res) => {
      if (req.method !== 'GET') return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"isActive":');
      return true;
    });
    const client = clientOf(api.url, 200);
    await client.start();
    const track = { requests: 0, retries: 0 };
    const failure = await failureOf(client.read(cfa, { userId: USER }, track));
    client.close();
    expect(failure).toMatchObject({ code: 'TIMEOUT', status: undefined });
    expect(failure.message).toMatch(/^GET \/users\/call-forwarding-always: no answer in time \(.*\); the server sent the headers of HTTP 200 and not the whole body$/);
    expect(track).toEqual({ requests: 2, retries: 1 });
  });
});

describe("Odin's error shape with details that are not text", () => {
  const sim = withSimulator({ users: 2 });
  it('is shown as JSON, not [object Object]', async () => {
    const [user] = simUsers(1);
    const step: ScriptStep = { status: 400, body: json({ status: 400, error: 'Bad Request', details: { field: 'isActive', reason: 'invalid' } }) };
    sim.script('GET', CFA, [step], { key: user });
    const c = createOdinClient({ baseUrl: sim.url, username: sim.username, password: sim.password, rate: 0, retries: 0, timeoutMs: 5000 }, { secrets: new Secrets() });
    await c.start();
    const failure = await failureOf(c.read(cfa, { userId: user! }, { requests: 0, retries: 0 }));
    c.close();
    expect(failure).toMatchObject({ code: 'HTTP_4XX', message: `GET ${CFA}: HTTP 400 Bad Request: {"field":"isActive","reason":"invalid"}` });
  });
});
