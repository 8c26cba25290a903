import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { lineCount, pollUntil, readCsvRecords, readJson, readSummary, runCli, spawnCli, tempDir, undoAgainst, undoCommand, withSimulator, writeFiles, FAST } from '../../kit/index.js';

/*
 * jobs/new-hires-baseline.json (issue 13: assign the services, then set them) through the built binary against the
 * simulator, on groups where half the users lack the services. The simulator is the oracle: who holds which
 * service, each user's settings, and the requests it counted; never the tool's own reports. The commands under test
 * are spawned; the undo command each prints is run in this process (undoAgainst) to check that its rollback.csv
 * restores every user.
 */

const SERVICES = 'user-services';
const CFNA = 'user-call-forwarding-no-answer';
const DND = 'user-do-not-disturb';
const POLICY = 'user-call-processing-policy';
const SETTINGS = [CFNA, DND, POLICY] as const;
const VM = 'Voice Messaging User';
const CFNA_SERVICE = 'Call Forwarding No Answer';
const NUMBER = '+15550100199';
const PATHS: Record<string, string> = { [SERVICES]: '/users/services', [CFNA]: '/users/call-forwarding-no-answer', [DND]: '/users/do-not-disturb', [POLICY]: '/users/call-processing-policy' };
const WANTED: Record<string, Record<string, string | number | boolean | null>> = { [CFNA]: { isActive: true, numberOfRings: 4, forwardToPhoneNumber: NUMBER }, [DND]: { isActive: false }, [POLICY]: { useUserCLIDSetting: false } };

type Sim = ReturnType<typeof withSimulator>;
type Row = { userId: string; status: string; error?: string | null; steps?: Array<{ operation: string; status: string; error?: string | null }>; warnings?: string[] };

/** Each user's whole state: the services and packs it holds, and its settings in the steps' operations (null: it lacks the service). */
function stateOf(sim: Sim, users: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(users.map((u) => [u, { services: sim.assignedServices(u), ...Object.fromEntries(SETTINGS.map((op) => [op, sim.getFields(op, u) ?? null])) }]));
}

const heldBefore = (state: Record<string, unknown>, u: string, name: string) => (state[u] as { services: { services: string[] } }).services.services.includes(name);
const holds = (sim: Sim, u: string, name: string) => sim.assignedServices(u)!.services.includes(name);
const lacksAny = (sim: Sim, u: string) => !holds(sim, u, VM) || !holds(sim, u, CFNA_SERVICE);
const putsTo = (sim: Sim) => Object.fromEntries(Object.entries(PATHS).map(([op, path]) => [op, sim.count('PUT', path)]));
/** Every PUT the simulator received since `mark` (its request count then), to any path. */
const putsSince = (sim: Sim, mark: number) => sim.requests.slice(mark).filter((r) => r.method === 'PUT');

/** The repository's job with its manifest swapped for these users (each forwarded to the voicemail number). */
async function jobFor(users: readonly string[]): Promise<{ dir: string; job: string }> {
  const job = JSON.parse(await readFile('jobs/new-hires-baseline.json', 'utf8')) as Record<string, unknown>;
  const header = (await readFile('samples/new-hires.csv', 'utf8')).split('\n')[0]!;
  expect(header).toBe(`userId,${CFNA}.forwardToPhoneNumber`);
  const dir = await tempDir({
    'job.json': JSON.stringify({ ...job, manifest: 'users.csv' }),
    'users.csv': [header, ...users.map((u) => `${u},${NUMBER}`)].join('\n') + '\n',
  });
  return { dir, job: join(dir, 'job.json') };
}

/** Puts half of the users that hold every service at the baseline already: their settings steps must send nothing. */
function halfAtBaseline(sim: Sim, users: readonly string[]): string[] {
  const done = users.filter((u, i) => !lacksAny(sim, u) && i % 2 === 0);
  for (const u of done) for (const op of SETTINGS) sim.setFields(op, u, WANTED[op]!);
  for (const u of users.filter((x) => !done.includes(x) && !lacksAny(sim, x))) {
    sim.setFields(CFNA, u, { isActive: false, numberOfRings: 2, forwardToPhoneNumber: null });
    sim.setFields(DND, u, { isActive: true });
  }
  return done;
}

/** The PUTs each step needs: a user lacking a service gets it assigned, and every setting it does not hold yet. */
function expectedPuts(sim: Sim, users: readonly string[]): Record<string, number> {
  const differs = (op: string, u: string) => {
    const now = sim.getFields(op, u);
    return !now || Object.entries(WANTED[op]!).some(([f, v]) => now[f] !== v);
  };
  return {
    [SERVICES]: users.filter((u) => lacksAny(sim, u)).length,
    ...Object.fromEntries(SETTINGS.map((op) => [op, users.filter((u) => (op === CFNA && !holds(sim, u, CFNA_SERVICE)) || differs(op, u)).length])),
  };
}

function expectAtBaseline(sim: Sim, users: readonly string[]): void {
  for (const u of users) {
    expect([u, holds(sim, u, VM), holds(sim, u, CFNA_SERVICE)]).toEqual([u, true, true]);
    for (const op of SETTINGS) expect([u, op, sim.getFields(op, u)]).toEqual([u, op, expect.objectContaining(WANTED[op]!)]);
  }
}

/** Runs the undo command the run printed (its rollback.csv, its operation) in this process; it must end with exit 0. */
async function runUndo(sim: Sim, stdout: string, out: string): Promise<void> {
  expect(undoCommand(stdout).operation).toBe(`${POLICY}+${DND}+${CFNA}+${SERVICES}`);
  const undo = await undoAgainst(sim, stdout, out);
  expect(undo.summary.exitCode).toBe(0);
}

describe('the new-hires baseline: assign the services, then set them', () => {
  // 36 users in groups of 12; about half lack Voice Messaging or no-answer forwarding (grp-01: 7, 5 of them
  // no-answer forwarding); grp-03 has 9 Voice Messaging licences, 8 in use: 1 left for the 4 users lacking it.
  const sim = withSimulator({ users: 36, groupSize: 12, seed: 7, unassigned: { 'voice-messaging': 0.5, 'call-forwarding-no-answer': 0.3 }, licences: { 'sim-sp/grp-03:voice-messaging': 9 } });

  it('run: assigns the services to the users lacking them, then sets the settings (only the PUTs needed); the rollback restores every user exactly', async () => {
    const users = sim.userIds('grp-01');
    const lacking = users.filter((u) => lacksAny(sim, u));
    expect(lacking.length).toBeGreaterThan(4);
    expect(lacking.length).toBeLessThan(users.length - 4);
    expect(lacking.some((u) => !holds(sim, u, CFNA_SERVICE))).toBe(true);
    const atBaseline = halfAtBaseline(sim, users);
    expect(atBaseline.length).toBeGreaterThan(0);
    const before = stateOf(sim, sim.userIds());
    const expected = expectedPuts(sim, users);
    const { dir, job } = await jobFor(users);

    sim.resetStats();
    const mark = sim.requests.length;
    const run = await runCli(['run', job, '--out', join(dir, 'run'), ...FAST], { sim });
    expect(run.stderr).toContain(`licences: enough in every group for the assignments of ${lacking.length} rows`);
    expect(run.code).toBe(0);
    expect(putsTo(sim)).toEqual(expected);
    expect(putsSince(sim, mark)).toHaveLength(Object.values(expected).reduce((a, b) => a + b, 0));
    // The services PUTs hold the changes only: the names each user lacked.
    const bodies = putsSince(sim, mark).filter((r) => r.path.startsWith('/users/services')).map((r) => r.body);
    expect(bodies).toHaveLength(lacking.length);
    for (const u of lacking) {
      const names = [VM, CFNA_SERVICE].filter((n) => !heldBefore(before, u, n));
      expect(bodies).toContainEqual({ userId: u, userServices: names.map((serviceName) => ({ serviceName, assigned: true })) });
    }
    expectAtBaseline(sim, users);
    // The other groups were not touched.
    const others = sim.userIds().filter((u) => !users.includes(u));
    expect(stateOf(sim, others)).toEqual(Object.fromEntries(others.map((u) => [u, before[u]])));

    // The report: per user a status per step; the users at the baseline are unchanged in every step.
    const rows = await readJson<Row[]>(join(dir, 'run', 'results.json'));
    for (const u of atBaseline) expect(rows.find((r) => r.userId === u)).toMatchObject({ status: 'unchanged' });
    const newcomer = rows.find((r) => r.userId === lacking.find((x) => !heldBefore(before, x, CFNA_SERVICE)))!;
    expect(newcomer.status).toBe('updated');
    expect(newcomer.steps!.map((s) => [s.operation, s.status])).toEqual([[SERVICES, 'updated'], [CFNA, 'updated'], [DND, expect.any(String)], [POLICY, expect.any(String)]]);
    const csv = await readCsvRecords(join(dir, 'run', 'results.csv'));
    expect(Object.keys(csv[0]!)).toEqual(expect.arrayContaining([`${SERVICES}.status`, `${SERVICES}.assign.before`, `${SERVICES}.assign.after`, `${CFNA}.status`]));
    const summary = await readSummary(join(dir, 'run'));
    expect(summary).toMatchObject({ total: users.length, steps: { [SERVICES]: { updated: lacking.length, unchanged: users.length - lacking.length } } });
    expect(Object.keys(summary.steps!)).toEqual([SERVICES, ...SETTINGS]);
    expect(await readFile(join(dir, 'run', 'summary.md'), 'utf8')).toContain(SERVICES);
    expect(await readFile(join(dir, 'run', 'report.html'), 'utf8')).toContain(`${SERVICES}.assign`);
    const junit = await readFile(join(dir, 'run', 'junit.xml'), 'utf8');
    expect(junit).toContain(`classname="new-hires-baseline.${SERVICES}"`);

    // rollback.csv: settings last step first, then the services the run assigned.
    const rollback = await readCsvRecords(join(dir, 'run', 'rollback.csv'));
    const columns = Object.keys(rollback[0]!);
    expect(columns.slice(-2)).toEqual([`${SERVICES}.assign`, `${SERVICES}.unassign`]);
    expect(columns.indexOf(`${POLICY}.useUserCLIDSetting`)).toBeLessThan(columns.indexOf(`${CFNA}.isActive`));
    expect(rollback.filter((r) => r[`${SERVICES}.unassign`] !== '').map((r) => r.userId)).toEqual(lacking);

    sim.resetStats();
    await runUndo(sim, run.stdout, join(dir, 'undo'));
    expect(stateOf(sim, sim.userIds())).toEqual(before);
  });

  it('plan shows the assignments and the settings per step and sends no write; apply writes them (stale check per step); the rollback restores exactly', async () => {
    const users = sim.userIds('grp-02');
    const lacking = users.filter((u) => lacksAny(sim, u));
    const lackingCfna = users.filter((u) => !holds(sim, u, CFNA_SERVICE));
    expect(lackingCfna.length).toBeGreaterThan(0);
    halfAtBaseline(sim, users);
    const before = stateOf(sim, sim.userIds());
    const expected = expectedPuts(sim, users);
    const { dir, job } = await jobFor(users);

    sim.resetStats();
    const mark2 = sim.requests.length;
    const plan = await runCli(['plan', job, '--out', join(dir, 'plan'), ...FAST], { sim });
    expect(plan.stderr).toContain(`licences: enough in every group for the assignments of ${lacking.length} rows`);
    expect(plan.code).toBe(0);
    expect(putsSince(sim, mark2)).toEqual([]);
    expect(plan.stdout).toMatch(new RegExp(`step ${SERVICES}: .*${lacking.length} planned`));
    const planned = await readJson<Row[]>(join(dir, 'plan', 'results.json'));
    for (const u of users) {
      const row = planned.find((r) => r.userId === u)!;
      const steps = Object.fromEntries(row.steps!.map((s) => [s.operation, s.status]));
      expect([u, steps[SERVICES]]).toEqual([u, lacking.includes(u) ? 'planned' : 'unchanged']);
      // A user without no-answer forwarding yet: the step is planned (it is assigned first), its values before unknown.
      if (lackingCfna.includes(u)) {
        expect([u, steps[CFNA]]).toEqual([u, 'planned']);
        expect(row.warnings!.join('\n')).toContain(`does not have ${CFNA_SERVICE} yet`);
      }
    }
    expect(stateOf(sim, sim.userIds())).toEqual(before);

    sim.resetStats();
    const apply = await runCli(['apply', join(dir, 'plan'), '--out', join(dir, 'applied'), ...FAST], { sim });
    expect(apply.stderr).not.toContain('conflict');
    expect(apply.code).toBe(0);
    expect(putsTo(sim)).toEqual(expected);
    expectAtBaseline(sim, users);

    await runUndo(sim, apply.stdout, join(dir, 'undo'));
    expect(stateOf(sim, sim.userIds())).toEqual(before);
  });

  it('a group with too few licences is refused before any write: no step of any of its users is written (0 PUT)', async () => {
    const users = sim.userIds('grp-03');
    const lackingVm = users.filter((u) => !holds(sim, u, VM));
    expect(lackingVm.length).toBeGreaterThan(0);
    const before = stateOf(sim, sim.userIds());
    const { dir, job } = await jobFor(users);

    sim.resetStats();
    const mark4 = sim.requests.length;
    const plan = await runCli(['plan', job, '--out', join(dir, 'plan'), ...FAST], { sim });
    expect(plan.stderr).toContain('licences: group sim-sp/grp-03 would run out: Voice Messaging User');
    expect(putsSince(sim, mark4)).toEqual([]);

    sim.resetStats();
    const mark5 = sim.requests.length;
    const run = await runCli(['run', job, '--out', join(dir, 'run'), ...FAST], { sim });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('licences: group sim-sp/grp-03 would run out: Voice Messaging User');
    expect(putsSince(sim, mark5)).toEqual([]);
    expect(stateOf(sim, sim.userIds())).toEqual(before);
    const rows = await readJson<Row[]>(join(dir, 'run', 'results.json'));
    expect(rows.map((r) => r.status)).toEqual(users.map(() => 'failed'));
    expect(rows.every((r) => r.error?.includes('would run out of licences'))).toBe(true);

    // --allow-partial: the users past the limit are skipped in every step; the others get the whole baseline.
    sim.resetStats();
    const partial = await runCli(['run', job, '--allow-partial', '--out', join(dir, 'partial'), ...FAST], { sim });
    expect(partial.stderr).toContain('--allow-partial');
    const after = await readJson<Row[]>(join(dir, 'partial', 'results.json'));
    const skipped = after.filter((r) => r.status === 'skipped').map((r) => r.userId);
    expect(skipped.length).toBeGreaterThan(0);
    for (const u of skipped) {
      expect(sim.assignedServices(u)).toEqual((before[u] as { services: unknown }).services);
      for (const op of SETTINGS) expect([u, op, sim.getFields(op, u) ?? null]).toEqual([u, op, (before[u] as Record<string, unknown>)[op]]);
    }
    expectAtBaseline(sim, users.filter((u) => !skipped.includes(u)));
  });
});

describe('the new-hires baseline: validation of the services columns, and --resume', () => {
  const sim = withSimulator({ users: 24, groupSize: 24, seed: 3, unassigned: { 'voice-messaging': 0.5, 'call-forwarding-no-answer': 0.5 } });

  it('checks the user-services.FIELD cells with the other steps\' before anything is sent: file:line OPERATION.FIELD', async () => {
    const [a, b, c] = sim.userIds().slice(0, 3);
    const { dir, job } = await jobFor([]);
    await writeFiles(dir, {
      'users.csv': [
        `userId,${SERVICES}.assign,${SERVICES}.unassign,${CFNA}.forwardToPhoneNumber`,
        `${a},${VM};;Call Waiting,,${NUMBER}`,
        `${b},Call Waiting,Call Waiting,${NUMBER}`,
        `${c},,,${NUMBER}`,
      ].join('\n') + '\n',
    });
    const mark = sim.requests.length;
    const r = await runCli(['run', job, '--out', join(dir, 'run'), ...FAST], { sim });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`users.csv:2 ${SERVICES}.assign:`);
    expect(r.stderr).toContain(`users.csv:3 ${SERVICES}.unassign: "Call Waiting" is also in ${SERVICES}.assign`);
    expect(sim.requests.length).toBe(mark);
  });

  it('kill -9 mid-baseline, then --resume: every user gets the services and the settings, no PUT twice, the rollback restores the state before', async () => {
    const users = sim.userIds();
    expect(users.filter((u) => lacksAny(sim, u)).length).toBeGreaterThan(users.length / 2);
    const before = stateOf(sim, users);
    const { dir, job } = await jobFor(users);
    const out = join(dir, 'run');
    // Users 9 to 12 (each lacking a service) are held at their DND read, after their services and their no-answer
    // forwarding were written, until after the kill: with 4 rows at a time they fill every slot, so the kill lands
    // mid-user, with 8 users finished and 12 not started.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = users.slice(8, 12);
    expect(held.every((u) => lacksAny(sim, u))).toBe(true);
    for (const u of held) sim.script('GET', PATHS[DND]!, [{ until: gate }], { key: u });
    const run = spawnCli(['run', job, '--out', out, '--concurrency', '4', '--rate', '0', '--retries', '0'], { sim });
    await pollUntil(async () => held.every((u) => sim.count('GET', PATHS[DND]!, u) === 1) && (await lineCount(join(out, 'journal.ndjson'))) >= 8, 'four users held at their DND step');
    run.child.kill('SIGKILL');
    await run.exited;
    release();
    for (const u of held) expect([u, sim.count('PUT', PATHS[SERVICES]!, u), sim.count('PUT', PATHS[CFNA]!, u)]).toEqual([u, 1, 1]);
    const journal = (await readFile(join(out, 'journal.ndjson'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);
    expect(journal.length).toBeLessThan(users.length);
    expect(journal[0]!.steps!.map((s) => s.operation)).toEqual([SERVICES, ...SETTINGS]);
    await rm(join(out, 'odin-bulk.lock'));

    const resumed = await runCli(['run', job, '--resume', out, ...FAST], { sim });
    expect(resumed.code).toBe(0);
    expectAtBaseline(sim, users);
    for (const u of users) for (const path of Object.values(PATHS)) expect([u, path, sim.count('PUT', path, u) <= 1]).toEqual([u, path, true]);
    expect((await readJson<Row[]>(join(out, 'results.json'))).map((x) => x.userId)).toEqual(users);

    await runUndo(sim, resumed.stdout, join(dir, 'undo'));
    expect(stateOf(sim, users)).toEqual(before);
  });
});
