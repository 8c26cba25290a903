import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { applyPlan, planJob, runJob, type Connection, type Simulator } from '../../../src/index.js';
import { OPERATIONS } from '../../../src/operations/registry.js';
import { BROADWORKS_ENDPOINTS } from '../../../src/simulator/broadworks-rules.js';
import type { ScriptStep, SimulatorOptions } from '../../../src/simulator/types.js';
import { call, createRecordingLogger, login, onWrites, readJournal, readResultsJson, runAgainst, tempDir, withSimulator, writeFiles, type RecordingLogger, type ResultJson } from '../../kit/index.js';

/*
 * Issue 10 §7: a --group target of an operation Odin reads group-wide (GET /users/<feature>/bulk) is read with one
 * request instead of one GET per user. The oracle is the per-user path: the same simulator state served by a
 * simulator whose bulk read answers 404 (--no-bulk) or 403, and the simulator's own record of the requests.
 */

const CFNA = 'user-call-forwarding-no-answer';
const PATH = '/users/call-forwarding-no-answer';
const BULK = `${PATH}/bulk`;
const WANTED = { isActive: true, forwardToPhoneNumber: '4500', numberOfRings: 5 };
const SIM: SimulatorOptions = { users: 150, groupSize: 50, seed: 7, unassigned: { 'call-forwarding-no-answer': 0.2 } };
const FAST = { rate: 0, retries: 0, concurrency: 4 } as const;

const connectionOf = (sim: Simulator): Connection => ({ baseUrl: sim.url, username: sim.username, password: sim.password });

/** The same starting values on every simulator: a third already as wanted, a third off, a third forwarding elsewhere. */
function seedValues(sim: Simulator): void {
  for (const group of ['grp-01', 'grp-02', 'grp-03']) {
    sim.userIds(group).forEach((u, i) => {
      if (!sim.hasService(CFNA, u)) return;
      const values = [WANTED, { isActive: false, forwardToPhoneNumber: null, numberOfRings: 3 }, { isActive: true, forwardToPhoneNumber: '5551234', numberOfRings: 4 }];
      sim.setFields(CFNA, u, values[i % 3]!);
    });
  }
}

/** What a row came to, without what only says how it was read (its request count, the wording of a failure). */
const outcome = (r: ResultJson) => ({ line: r.line, userId: r.userId, status: r.status, requested: r.requested, before: r.before, after: r.after, changed: r.changed });

const withoutService = (sim: Simulator, group: string) => sim.userIds(group).filter((u) => !sim.hasService(CFNA, u));

/** Starts the simulator's request record and counts afresh. */
function fresh(sim: Simulator): void {
  sim.clearRequests();
  sim.resetStats();
}

const groupLines = (logger: RecordingLogger) => logger.lines.filter((l) => l.message.startsWith('group sim-sp/'));

describe('--group with a group-wide read: one GET for the group, the same rows as per-user GETs', () => {
  const bulk = withSimulator(SIM);
  const missing = withSimulator({ ...SIM, bulk: 'missing' });
  const forbidden = withSimulator({ ...SIM, bulk: 'forbidden' });
  let dir: string;
  let job: string;
  beforeAll(async () => {
    dir = await tempDir();
    job = await writeFiles(dir, { 'cfna.json': JSON.stringify({ operation: CFNA, defaults: WANTED }) });
    for (const sim of [bulk, missing, forbidden]) seedValues(sim);
    // The three play the same Odin: the same users lack the service (the seed decides), with the same values.
    expect(withoutService(missing, 'grp-01')).toEqual(withoutService(bulk, 'grp-01'));
    expect(withoutService(forbidden, 'grp-01')).toEqual(withoutService(bulk, 'grp-01'));
    expect(withoutService(bulk, 'grp-01').length).toBeGreaterThan(0);
  });

  const plan = async (sim: Simulator, name: string, group = 'sim-sp/grp-01') => {
    fresh(sim);
    const logger = createRecordingLogger();
    const out = join(dir, name);
    const result = await planJob({ job, group, out, connection: connectionOf(sim), logger, ...FAST });
    return { result, logger, out, rows: await readResultsJson(out) };
  };

  it('plan: 1 GET for the 50 users instead of 50; before values, statuses and NOT_ASSIGNED as the per-user reads give them', async () => {
    const viaBulk = await plan(bulk, 'plan-bulk');
    expect(bulk.count('GET', BULK)).toBe(1);
    expect(bulk.count('GET', PATH)).toBe(0);
    expect(bulk.count('PUT', PATH)).toBe(0);
    expect(viaBulk.result.summary.requests).toBe(2); // the group's user list and its settings
    expect(viaBulk.rows.every((r) => r.requests === 0)).toBe(true);

    const unassigned = withoutService(bulk, 'grp-01');
    expect(viaBulk.rows.filter((r) => r.status === 'failed').map((r) => r.userId)).toEqual(unassigned);
    for (const r of viaBulk.rows.filter((x) => x.status === 'failed')) {
      expect(r.error).toContain('does not have the Call Forwarding No Answer service');
      expect(r.before).toBeNull();
    }
    const journal = await readJournal(viaBulk.out);
    expect(journal.filter((j) => j.errorCode === 'NOT_ASSIGNED').map((j) => j.id).sort()).toEqual([...unassigned].sort());
    expect(new Set(viaBulk.rows.map((r) => r.status))).toEqual(new Set(['planned', 'unchanged', 'failed']));
    // An unset forwarding number (left out of the answer) reads as null, as it does user by user.
    expect(viaBulk.rows.some((r) => r.before?.forwardToPhoneNumber === null)).toBe(true);
    // Said once, in run.log only (debug): the normal case is no news on the console.
    expect(groupLines(viaBulk.logger).filter((l) => l.level !== 'debug')).toEqual([]);
    expect(await readFile(join(viaBulk.out, 'run.log'), 'utf8')).toContain(
      `group sim-sp/grp-01: 50 of 50 users read in one request (GET ${BULK}); ${unassigned.length} without the Call Forwarding No Answer service, not written`,
    );

    for (const [sim, name, status] of [[missing, 'plan-missing', 404], [forbidden, 'plan-forbidden', 403]] as const) {
      const perUser = await plan(sim, name);
      expect(sim.count('GET', BULK)).toBe(1);
      expect(sim.count('GET', PATH)).toBe(50);
      expect(perUser.rows.map(outcome)).toEqual(viaBulk.rows.map(outcome));
      expect((await readJournal(perUser.out)).filter((j) => j.errorCode === 'NOT_ASSIGNED')).toHaveLength(unassigned.length);
      expect(perUser.result.summary).toEqual({ ...viaBulk.result.summary, requests: 52, durationMs: perUser.result.summary.durationMs });
      // The fallback is said once, not per row.
      expect(groupLines(perUser.logger)).toEqual([
        { level: 'warn', message: expect.stringMatching(new RegExp(`^group sim-sp/grp-01: cannot read the group at once \\(GET ${BULK}: .*HTTP ${status} [^;]*\\); reading its 50 users one by one$`)) },
      ]);
    }
  });

  it('run: users without the service are never PUT; the rest are written and verified from the PUT answers, as with per-user reads', async () => {
    const results: ResultJson[][] = [];
    for (const sim of [bulk, missing]) {
      fresh(sim);
      const out = join(dir, `run-${results.length}`);
      const result = await runJob({ job, group: 'sim-sp/grp-02', out, connection: connectionOf(sim), ...FAST });
      expect(result.exitCode).toBe(1); // the users without the service fail
      results.push(await readResultsJson(out));
      const unassigned = withoutService(sim, 'grp-02');
      const puts = sim.requests.filter((r) => r.method === 'PUT').map((r) => r.key);
      expect(puts.filter((u) => unassigned.includes(u!))).toEqual([]);
      expect(puts.sort()).toEqual(results.at(-1)!.filter((r) => r.status === 'updated').map((r) => r.userId).sort());
      for (const u of sim.userIds('grp-02')) if (!unassigned.includes(u)) expect(sim.getFields(CFNA, u)).toEqual(WANTED);
    }
    expect(bulk.count('GET', PATH)).toBe(0); // before values from the group's read, after values from the PUT answers
    expect(bulk.count('GET', BULK)).toBe(1);
    expect(missing.count('GET', PATH)).toBe(50);
    expect(results[0]!.map(outcome)).toEqual(results[1]!.map(outcome));
    expect(results[0]!.filter((r) => r.status === 'updated').length).toBeGreaterThan(10);
  });

  it('a group run stopped part way, then run again: the second reads the group afresh, with one request, and finishes it', async () => {
    const users = bulk.userIds('grp-01');
    const unassigned = withoutService(bulk, 'grp-01');
    fresh(bulk);
    const first = await runAgainst(bulk, { job, group: 'sim-sp/grp-01', out: join(dir, 'stopped'), concurrency: 2 }, { wrap: onWrites((count, _key, stop) => count === 5 && stop.stop('test interrupt')) });
    expect(first.stopReason).toMatch(/test interrupt/);
    const writtenFirst = (await readResultsJson(join(dir, 'stopped'))).filter((r) => r.status === 'updated').map((r) => r.userId);
    expect(writtenFirst.length).toBeGreaterThanOrEqual(5);
    await runAgainst(bulk, { job, group: 'sim-sp/grp-01', out: join(dir, 'again') });
    expect(bulk.count('GET', BULK)).toBe(2);
    expect(bulk.count('GET', PATH)).toBe(0);
    // seedValues: every third user already had the values asked for; the first run's writes are seen by the second.
    const changed = (u: string, i: number) => !unassigned.includes(u) && i % 3 !== 0 && !writtenFirst.includes(u);
    expect((await readResultsJson(join(dir, 'again'))).map((r) => [r.userId, r.status])).toEqual(
      users.map((u, i) => [u, unassigned.includes(u) ? 'failed' : changed(u, i) ? 'updated' : 'unchanged']),
    );
    for (const u of users) if (!unassigned.includes(u)) expect(bulk.getFields(CFNA, u)).toEqual(WANTED);
  });

  it('apply of a group plan reads the group once, and still refuses a row changed since the plan', async () => {
    const planned = await plan(bulk, 'apply-plan', 'sim-sp/grp-03');
    const toApply = planned.rows.filter((r) => r.status === 'planned');
    const drifted = toApply[0]!.userId;
    bulk.setFields(CFNA, drifted, { isActive: false, forwardToPhoneNumber: '7777', numberOfRings: 3 });
    fresh(bulk);
    const applied = await applyPlan({ plan: planned.out, out: join(dir, 'apply'), connection: connectionOf(bulk), rate: 0 });
    expect(bulk.count('GET', BULK)).toBe(1);
    expect(bulk.count('GET', PATH)).toBe(0);
    expect(applied.summary).toMatchObject({ updated: toApply.length - 1, conflict: 1 });
    const rows = await readResultsJson(join(dir, 'apply'));
    expect(rows.find((r) => r.userId === drifted)).toMatchObject({ status: 'conflict', before: { forwardToPhoneNumber: '7777' } });
    expect(bulk.requests.filter((r) => r.method === 'PUT').map((r) => r.key).sort()).toEqual(toApply.slice(1).map((r) => r.userId).sort());
    expect(bulk.getFields(CFNA, drifted)).toEqual({ isActive: false, forwardToPhoneNumber: '7777', numberOfRings: 3 });
  });
});

describe('a group-wide answer the tool cannot use: per-user GETs, said once', () => {
  const sim = withSimulator(SIM);
  let dir: string;
  let job: string;
  let reference: ResultJson[];
  let answer: Array<{ service: { assigned: boolean; serviceName: string }; user: { userId: string }; data: Record<string, unknown> }>;
  beforeAll(async () => {
    dir = await tempDir();
    job = await writeFiles(dir, { 'cfna.json': JSON.stringify({ operation: CFNA, defaults: WANTED }) });
    seedValues(sim);
    await planJob({ job, group: 'sim-sp/grp-01', out: join(dir, 'reference'), connection: connectionOf(sim), ...FAST });
    reference = await readResultsJson(join(dir, 'reference'));
    const token = await login(sim.url);
    answer = (await call(sim.url, 'GET', BULK, { token, query: { serviceProviderId: 'sim-sp', groupId: 'grp-01' } })).json;
    expect(answer).toHaveLength(50);
  });

  const planWith = async (step: ScriptStep, name: string) => {
    fresh(sim);
    sim.script('GET', BULK, [step]);
    const logger = createRecordingLogger();
    await planJob({ job, group: 'sim-sp/grp-01', out: join(dir, name), connection: connectionOf(sim), logger, ...FAST });
    return { logger, rows: await readResultsJson(join(dir, name)) };
  };

  const otherService = () => JSON.stringify(answer.map((i) => ({ ...i, service: { ...i.service, serviceName: 'Call Forwarding Busy' } })));
  it.each<[string, () => ScriptStep, RegExp]>([
    ['501 Not Implemented', () => 501, /HTTP 501/],
    ['an HTML page', () => ({ status: 200, body: '<!doctype html><html><title>Odin</title></html>', headers: { 'content-type': 'text/html' } }), /not JSON/],
    ['a body that is not a list', () => ({ status: 200, body: '{"users":[]}' }), /instead of the group's users and their settings/],
    ['an answer about another service', () => ({ status: 200, body: otherService() }), /answered about the service "Call Forwarding Busy", not Call Forwarding No Answer/],
  ])('%s: every user is read with its own GET, the rows are the same, and it is said once', async (name, step, why) => {
    const { logger, rows } = await planWith(step(), name.replace(/\W+/g, '-'));
    expect(sim.count('GET', BULK)).toBe(1); // not retried
    expect(sim.count('GET', PATH)).toBe(50);
    expect(rows.map(outcome)).toEqual(reference.map(outcome));
    const said = groupLines(logger);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatchObject({ level: 'warn', message: expect.stringMatching(why) });
    expect(said[0]!.message).toMatch(/; reading its 50 users one by one$/);
  });

  it('a user the answer leaves out, lists twice or gives no settings for is read with its own GET; the others are not', async () => {
    const assigned = answer.filter((i) => i.service.assigned);
    const [left, twice, empty] = assigned.map((i) => i.user.userId);
    const edited = answer
      .filter((i) => i.user.userId !== left)
      .flatMap((i) => (i.user.userId === twice ? [i, i] : [i]))
      .map((i) => (i.user.userId === empty ? { ...i, data: { userId: empty } } : i));
    const { logger, rows } = await planWith({ status: 200, body: JSON.stringify(edited) }, 'partial');
    expect(sim.requests.filter((r) => r.method === 'GET' && r.path === PATH).map((r) => r.key).sort()).toEqual([left, twice, empty].sort());
    expect(rows.map(outcome)).toEqual(reference.map(outcome));
    expect(groupLines(logger).filter((l) => l.level !== 'debug')).toEqual([]);
    expect(groupLines(logger)).toEqual([{ level: 'debug', message: expect.stringMatching(/: 47 of 50 users read in one request .*; 3 users read one by one \(left out of its answer, listed twice, or without settings there\)$/) }]);
  });
});

describe("which operations have a group-wide read is data in each operation's definition", () => {
  it('the same operations and paths as the simulator, whose table is written separately from the BroadWorks facts', () => {
    const tool = OPERATIONS.filter((op) => op.bulkRead).map((op) => [op.name, op.bulkRead]);
    const simulator = BROADWORKS_ENDPOINTS.filter((e) => e.bulk).map((e) => [e.name, `${e.path}/bulk`]);
    expect(tool).toEqual(simulator);
    expect(tool.map(([name]) => name)).toEqual([
      'user-call-forwarding-always',
      'user-call-forwarding-busy',
      'user-call-forwarding-no-answer',
      'user-call-forwarding-not-reachable',
      'user-call-recording',
      'user-voice-messaging',
    ]);
  });
});
