import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { createOdinClient } from '../../../src/client/odin-client.js';
import { resolveJob } from '../../../src/settings/resolve-job.js';
import { silentLogger } from '../../../src/logging/create-logger.js';
import { Secrets } from '../../../src/logging/secrets.js';
import { runJob } from '../../../src/pipelines/run-job.js';
import { type ScriptStep } from '../../../src/simulator/simulator.js';
import { OP, POLICY, readCsvRecords, readJson, tempDir, withSimulator } from '../../kit/index.js';

const HTML_502 = { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><hr>nginx</body></html>' };
const RETRIES = 2;
const u = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;

type Case = { name: string; method: 'GET' | 'PUT'; steps: ScriptStep[]; expect: Record<string, unknown>; warning?: RegExp };

// Each case is one user; every row asks to set clidPolicy to a value its user does not have yet.
const CASES: Case[] = [
  { name: 'GET: an HTML 502 page, every attempt', method: 'GET', steps: [HTML_502, HTML_502, HTML_502], expect: { status: 'failed', httpStatus: 502, requests: 3, error: expect.stringMatching(/^GET \/users\/call-processing-policy: HTTP 502 Bad Gateway: an HTML page: 502 Bad Gateway$/) } },
  { name: 'GET: an HTML 502 page once, then fine', method: 'GET', steps: [HTML_502], expect: { status: 'updated', requests: 3 } },
  { name: 'GET: an empty 200 body', method: 'GET', steps: [{ status: 200, body: '' }], expect: { status: 'failed', httpStatus: 200, requests: 1, error: expect.stringContaining('HTTP 200 with an empty body instead of the current settings') } },
  { name: 'GET: [] with 200', method: 'GET', steps: [{ status: 200, body: '[]' }], expect: { status: 'failed', httpStatus: 200, error: expect.stringContaining('HTTP 200 with [] instead of the current settings') } },
  { name: 'GET: invalid JSON with 200', method: 'GET', steps: [{ status: 200, body: '{"clidPolicy": "Use' }], expect: { status: 'failed', httpStatus: 200, error: expect.stringContaining('HTTP 200 with a body that is not JSON') } },
  // A 200 HTML page (a login page) means the path is not the API: it stops the run (test/contract/fail-fast.test.ts).
  { name: 'GET: the connection reset, every attempt', method: 'GET', steps: [{ reset: true }, { reset: true }, { reset: true }], expect: { status: 'failed', requests: 3, error: expect.stringMatching(/connection failed: (ECONNRESET|EPIPE) \(the server closed the connection/) } },
  { name: 'GET: never answers, every attempt', method: 'GET', steps: [{ hang: true }, { hang: true }, { hang: true }], expect: { status: 'failed', requests: 3, error: expect.stringContaining('no answer in time') } },
  { name: 'PUT: applied, answered with an empty 200 body (read back)', method: 'PUT', steps: [{ status: 200, body: '', apply: true }], expect: { status: 'updated', requests: 3 }, warning: /read back with GET/ },
  { name: 'PUT: applied, answered [] (read back)', method: 'PUT', steps: [{ status: 200, body: '[]', apply: true }], expect: { status: 'updated' }, warning: /read back with GET/ },
  { name: 'PUT: applied, answered 200 with text that is not JSON (read back)', method: 'PUT', steps: [{ status: 200, body: 'OK', apply: true }], expect: { status: 'updated' }, warning: /read back with GET/ },
  { name: 'PUT: not applied, answered an empty 200 body', method: 'PUT', steps: [{ status: 200, body: '' }], expect: { status: 'failed', error: 'the server accepted the update but clidPolicy is "Use DN", expected "Use Group CLID"' }, warning: /read back with GET/ },
  { name: 'PUT: an HTML 502 page, every attempt', method: 'PUT', steps: [HTML_502, HTML_502, HTML_502], expect: { status: 'failed', httpStatus: 502, requests: 4, error: expect.stringContaining('PUT /users/call-processing-policy: HTTP 502 Bad Gateway: an HTML page') } },
  { name: 'PUT: the connection reset once', method: 'PUT', steps: [{ reset: true }], expect: { status: 'updated', requests: 3 } },
  { name: 'PUT: never answers once', method: 'PUT', steps: [{ hang: true }], expect: { status: 'updated', requests: 3 } },
];

/**
 * Responses a real server sends when it is unhappy: each becomes a clear row result (with the HTTP status where
 * there is one, retried where transient), never a crash or a hang. Through runJob, the real client and simulator.
 */
describe('unhappy responses', () => {
  const sim = withSimulator({ users: CASES.length + 1 });
  let out: string;
  let results: Array<Record<string, unknown>>;
  let exitCode: number;

  beforeAll(async () => {
    CASES.forEach((c, i) => {
      sim.setFields(OP, u(i + 1), { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
      sim.script(c.method, POLICY, c.steps, { key: u(i + 1) });
    });
    const manifest = ['userId,clidPolicy', ...CASES.map((_, i) => `${u(i + 1)},Use Group CLID`)].join('\n') + '\n';
    const dir = await tempDir({ 'users.csv': manifest });
    out = join(dir, 'out');
    const options = await resolveJob({ manifest: join(dir, 'users.csv'), out, retries: RETRIES, timeout: 0.3, rate: 0, concurrency: 4 });
    const secrets = new Secrets();
    const { summary } = await runJob(options, { baseUrl: sim.url, username: sim.username, password: sim.password }, {
      logger: silentLogger,
      secrets,
      now: () => new Date(),
      createClient: (conn, o) => createOdinClient({ ...conn, rate: 0, retries: o.retries, timeoutMs: o.timeoutMs, retryBaseMs: 1 }, { secrets }),
    });
    exitCode = summary.exitCode;
    results = await readJson(join(out, 'results.json'));
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s', (_name, i) => {
    const c = CASES[i]!;
    const row = results[i]!;
    expect(row).toMatchObject({ userId: u(i + 1), ...c.expect });
    if (c.warning) expect(row.warnings).toEqual([expect.stringMatching(c.warning)]);
    const live = sim.getFields(OP, u(i + 1))!.clidPolicy;
    expect(live).toBe(row.status === 'updated' ? 'Use Group CLID' : 'Use DN');
  });

  it('uses every scripted answer, ends with exit 1, and lists a row whose PUT failed in rollback.csv too', async () => {
    expect(sim.pendingScripts()).toBe(0);
    expect(exitCode).toBe(1);
    const putFailed = CASES.findIndex((c) => c.method === 'PUT' && c.expect.status === 'failed');
    const rollback = await readCsvRecords(join(out, 'rollback.csv'));
    // A PUT that failed may still have been applied (an answer lost on the way back), so the undo file covers it.
    expect(rollback.find((r) => r.userId === u(putFailed + 1))).toEqual({ userId: u(putFailed + 1), clidPolicy: 'Use DN' });
    const failed = await readCsvRecords(join(out, 'failed.csv'));
    expect(failed.map((r) => r.userId)).toEqual(results.filter((r) => r.status === 'failed').map((r) => r.userId));
  });
});
