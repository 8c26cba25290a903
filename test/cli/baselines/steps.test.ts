import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { lineCount, pollUntil, readCsvHeader, readCsvRecords, readJson, readResultsJson, readSummary, runAgainst, runCli, simUsers, spawnCli, tempDir, undoAgainst, withSimulator } from '../../kit/index.js';

/*
 * Jobs of several steps (issue 13 §1), through the built binary against the simulator: the simulator's state is
 * the oracle (what each user holds before and after), never the tool's own reports. The command under test is
 * spawned; set-up (a plan that apply takes, the runs a merge or a resume reads) and the rollback runs that check a
 * rollback.csv are done in this process (runAgainst, undoAgainst).
 */

const CFNA = 'user-call-forwarding-no-answer';
const DND = 'user-do-not-disturb';
const POLICY = 'user-call-processing-policy';
const STEPS = [CFNA, DND, POLICY] as const;
const PATHS: Record<string, string> = { [CFNA]: '/users/call-forwarding-no-answer', [DND]: '/users/do-not-disturb', [POLICY]: '/users/call-processing-policy' };

/** The baseline every test runs: no-answer forwarding after 4 rings, DND off, the user's own CLID setting off. */
const BASELINE = {
  name: 'baseline',
  steps: [
    { operation: CFNA, defaults: { isActive: true, numberOfRings: 4 } },
    { operation: DND, defaults: { isActive: false } },
    { operation: POLICY, defaults: { useUserCLIDSetting: false } },
  ],
};
const WANTED: Record<string, Record<string, string | number | boolean | null>> = { [CFNA]: { isActive: true, numberOfRings: 4, forwardToPhoneNumber: '+15550100199' }, [DND]: { isActive: false }, [POLICY]: { useUserCLIDSetting: false } };
const HEADER = ['userId', `${CFNA}.forwardToPhoneNumber`];

type Sim = ReturnType<typeof withSimulator>;

/** Each user's whole state in the three steps' operations, as the simulator holds it. */
function stateOf(sim: Sim, users: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(users.map((u) => [u, Object.fromEntries(STEPS.map((op) => [op, sim.getFields(op, u) ?? null]))]));
}

/** A folder with the baseline job (its manifest next to it: users, each forwarded to the voicemail number). */
async function baselineFolder(users: readonly string[], job: object = BASELINE): Promise<{ dir: string; job: string; manifest: string }> {
  const dir = await tempDir({
    'job.json': JSON.stringify({ ...job, manifest: 'users.csv' }),
    'users.csv': [HEADER.join(','), ...users.map((u) => `${u},+15550100199`)].join('\n') + '\n',
  });
  return { dir, job: join(dir, 'job.json'), manifest: join(dir, 'users.csv') };
}

const FAST = ['--rate', '0', '--retries', '0', '--concurrency', '4'];

/** Sets the users away from the baseline in every step, so each step has something to write. */
function scatter(sim: Sim, users: readonly string[]): void {
  users.forEach((u, i) => {
    sim.setFields(CFNA, u, { isActive: i % 2 === 0, numberOfRings: 2 + (i % 5), forwardToPhoneNumber: null });
    sim.setFields(DND, u, { isActive: i % 3 !== 0 });
    sim.setFields(POLICY, u, { useUserCLIDSetting: i % 2 === 1 });
  });
}

describe('a job of steps: validation before anything is sent', () => {
  const sim = withSimulator({ users: 20 });

  it('refuses bad steps in the job file, naming the file and the key, and sends nothing', async () => {
    const { job } = await baselineFolder(simUsers(3), {
      name: 'bad',
      steps: [
        { operation: 'user-call-forwarding-no-anser', defaults: { isActive: true } },
        { operation: DND, defaults: { isActve: false }, default: {} },
        { operation: POLICY, defaults: { useUserCLIDSetting: 'maybe' } },
      ],
    });
    const before = sim.stats.total;
    const r = await runCli(['run', job, ...FAST], { sim });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${job} steps[0].operation: unknown operation "user-call-forwarding-no-anser": did you mean "${CFNA}"?`);
    expect(r.stderr).toContain(`${job} steps[1].default: unknown key "default": did you mean "defaults"?`);
    expect(r.stderr).toContain(`${job} steps[1].defaults.isActve: unknown field "isActve": did you mean "isActive"?`);
    expect(r.stderr).toContain(`${job} steps[2].defaults.useUserCLIDSetting: expected true or false, got "maybe"`);
    expect(sim.stats.total).toBe(before);
  });

  it('refuses "operation" beside "steps", and a step named twice', async () => {
    const { job } = await baselineFolder(simUsers(2), { name: 'twice', operation: DND, steps: [{ operation: DND }, { operation: DND }] });
    const r = await runCli(['validate', job]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${job} operation: give either "operation" or "steps", not both`);
    expect(r.stderr).toContain(`${job} steps: operation "${DND}" is a step twice: put all of its fields in one step`);
  });

  it('checks every step\'s columns and values in the manifest: file:line OPERATION.FIELD, with "did you mean", nothing sent', async () => {
    const users = simUsers(4);
    const { dir, job } = await baselineFolder(users);
    await writeFile(
      join(dir, 'users.csv'),
      [
        `userId,${CFNA}.numberOfRings,user-do-not-disturbb.isActive,${POLICY}.clidPolicyy`,
        `${users[0]},1,false,`,
        `${users[1]},4,true,`,
        `${users[2]},25,,`,
      ].join('\n') + '\n',
    );
    const before = sim.stats.total;
    const r = await runCli(['run', job, ...FAST], { sim });
    expect(r.code).toBe(2);
    const manifest = join(dir, 'users.csv');
    expect(r.stderr).toContain(`${manifest}:1 user-do-not-disturbb.isActive: "user-do-not-disturbb" is not a step of this job: did you mean "${DND}.isActive"?`);
    expect(r.stderr).toContain(`${manifest}:1 ${POLICY}.clidPolicyy: unknown field "clidPolicyy" of step ${POLICY}: did you mean "${POLICY}.clidPolicy"?`);
    expect(r.stderr).toMatch(new RegExp(`${manifest.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2 ${CFNA}\\.numberOfRings: .*1`));
    expect(r.stderr).toContain(`${manifest}:4 ${CFNA}.numberOfRings: `);
    expect(sim.stats.total).toBe(before);
  });
});

describe('a job of steps: run, rollback, a failing step', () => {
  // Groups of 20: the --group test runs a group of 20 users, some of them lacking DND.
  const sim = withSimulator({ users: 40, groupSize: 20, unassigned: { 'do-not-disturb': 0.3 }, seed: 5 });

  it('runs the steps in order per user, writes only what differs, and one rollback.csv returns every user exactly to before', async () => {
    const users = simUsers(12);
    scatter(sim, users.filter((u) => sim.hasService(DND, u)));
    const withDnd = users.filter((u) => sim.hasService(DND, u));
    const original = stateOf(sim, users);
    const { dir, job } = await baselineFolder(users);
    const out = join(dir, 'run');
    const r = await runCli(['run', job, '--out', out, ...FAST], { sim });
    const lacking = users.filter((u) => !withDnd.includes(u));
    expect(lacking.length).toBeGreaterThan(0);
    expect(r.code).toBe(1);

    // The state: users with every service hold the baseline; a user whose second step failed got the first only.
    for (const u of withDnd) for (const op of STEPS) expect(sim.getFields(op, u)).toMatchObject(WANTED[op]!);
    for (const u of lacking) {
      expect(sim.getFields(CFNA, u)).toMatchObject(WANTED[CFNA]!);
      expect(sim.count('PUT', PATHS[POLICY]!, u)).toBe(0); // the later step was not even tried
      expect(sim.getFields(POLICY, u)).toEqual((original[u] as Record<string, unknown>)[POLICY]);
    }
    // No PUT where a step had nothing to change.
    for (const u of withDnd) {
      for (const op of STEPS) {
        const was = (original[u] as Record<string, Record<string, unknown>>)[op]!;
        const differs = Object.entries(WANTED[op]!).some(([f, v]) => was[f] !== v);
        expect(sim.count('PUT', PATHS[op]!, u)).toBe(differs ? 1 : 0);
      }
    }

    // The reports: a status per step, the overall status, skipped: an earlier step failed.
    const results = await readCsvRecords(join(out, 'results.csv'));
    expect(Object.keys(results[0]!)).toEqual(expect.arrayContaining([`${CFNA}.status`, `${DND}.status`, `${POLICY}.status`, `${CFNA}.numberOfRings.before`, `${POLICY}.useUserCLIDSetting.after`]));
    for (const row of results.filter((x) => lacking.includes(x.userId!))) {
      expect(row).toMatchObject({ status: 'failed', [`${CFNA}.status`]: 'updated', [`${DND}.status`]: 'failed', [`${POLICY}.status`]: 'skipped' });
      expect(row.error).toMatch(new RegExp(`^${DND}: `));
    }
    const json = await readResultsJson(out);
    const skipped = (json.find((x) => x.userId === lacking[0]) as unknown as { steps: Array<{ operation: string; status: string; error?: string }> }).steps;
    expect(skipped[2]).toMatchObject({ operation: POLICY, status: 'skipped', error: 'an earlier step failed' });
    const summary = await readSummary(out);
    expect(summary.steps![DND]).toMatchObject({ failed: lacking.length });
    expect(summary.steps![POLICY]!.skipped).toBe(lacking.length);
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase /g)).toHaveLength(users.length * 3);
    expect(junit).toContain(`classname="baseline.${POLICY}" name="${lacking[0]}" time="0">\n      <skipped message="an earlier step failed"/>`);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    for (const op of STEPS) expect(html).toMatch(new RegExp(`<th scope="colgroup" colspan="\\d+">${op} `));
    const md = await readFile(join(out, 'summary.md'), 'utf8');
    expect(md).toContain(`| ${DND} |`);

    // One rollback: last step first, run as the console says; the simulator returns to exactly the state before.
    expect(await readCsvHeader(join(out, 'rollback.csv'))).toEqual(['userId', `${POLICY}.useUserCLIDSetting`, `${DND}.isActive`, `${CFNA}.isActive`, `${CFNA}.forwardToPhoneNumber`, `${CFNA}.numberOfRings`]);
    const undo = /Undo this run: +odin-bulk (.*)$/m.exec(r.stdout)![1]!.split(' ');
    expect(undo).toEqual(['run', '--manifest', join(out, 'rollback.csv'), '--operation', `${POLICY}+${DND}+${CFNA}`]);
    const back = await undoAgainst(sim, r.stdout, join(dir, 'undo'));
    expect(back.summary.exitCode).toBe(0);
    expect(stateOf(sim, users)).toEqual(original);
  });

  it('--group SP/GROUP runs the steps\' defaults on every user of the group', async () => {
    const group = sim.groups()[0]!;
    const users = sim.userIds(group.groupId).filter((u) => sim.hasService(DND, u));
    expect(users.length).toBeGreaterThan(10);
    const dir = await tempDir({ 'group.json': JSON.stringify({ ...BASELINE, target: { serviceProviderId: group.serviceProviderId, groupId: group.groupId } }) });
    const r = await runCli(['run', join(dir, 'group.json'), '--out', join(dir, 'out'), ...FAST], { sim });
    expect(r.code).toBe(1); // users lacking DND fail their second step
    for (const u of users) {
      expect(sim.getFields(CFNA, u)).toMatchObject({ isActive: true, numberOfRings: 4 });
      expect(sim.getFields(DND, u)).toMatchObject({ isActive: false });
      expect(sim.getFields(POLICY, u)).toMatchObject({ useUserCLIDSetting: false });
    }
  });
});

describe('a job of steps: plan, apply, drift, export, shards', () => {
  const sim = withSimulator({ users: 30, seed: 3 });

  it('plan + apply: the stale check is per step, the conflict stops that user\'s later steps', async () => {
    const users = simUsers(6);
    scatter(sim, users);
    // Every user's DND step has something to change.
    for (const u of users) sim.setFields(DND, u, { isActive: true });
    const { dir, job } = await baselineFolder(users);
    const plan = join(dir, 'plan');
    expect((await runAgainst(sim, { job, out: plan, dryRun: true, retries: 0 })).summary.exitCode).toBe(0);
    const planRows = (await readFile(join(plan, 'plan.json'), 'utf8')).split('\n').filter((l) => l.startsWith('    {"line"')).map((l) => JSON.parse(l.replace(/,$/, '')));
    expect(planRows[0].steps).toEqual({ [CFNA]: expect.any(String), [DND]: 'planned', [POLICY]: expect.any(String) });
    const original = stateOf(sim, users);

    // After the plan, someone sets user 2's rings by hand: its first step is stale, so its later steps are not run.
    const stale = users[1]!;
    sim.setFields(CFNA, stale, { numberOfRings: 9 });
    const applied = join(plan, 'applied');
    const r = await runCli(['apply', plan, '--out', applied, '--retries', '0', '--rate', '0'], { sim });
    expect(r.code).toBe(1);
    const rows = await readCsvRecords(join(applied, 'results.csv'));
    const row = rows.find((x) => x.userId === stale)!;
    expect(row).toMatchObject({ status: 'conflict', [`${CFNA}.status`]: 'conflict', [`${DND}.status`]: 'skipped', [`${POLICY}.status`]: 'skipped' });
    const planned = (original[stale] as Record<string, Record<string, unknown>>)[CFNA]!.numberOfRings;
    expect(row.error).toContain(`${CFNA}: changed since the plan, not written: numberOfRings is 9, the plan was made from ${planned}`);
    for (const op of STEPS) expect(sim.count('PUT', PATHS[op]!, stale)).toBe(0);
    for (const u of users.filter((x) => x !== stale)) for (const op of STEPS) expect(sim.getFields(op, u)).toMatchObject(WANTED[op]!);

    // The apply's rollback undoes what it wrote.
    const undo = await runAgainst(sim, { manifest: join(applied, 'rollback.csv'), operation: `${POLICY}+${DND}+${CFNA}`, out: join(dir, 'undo'), retries: 0 });
    expect(undo.summary.exitCode).toBe(0);
    const expected = { ...original, [stale]: { ...(original[stale] as object), [CFNA]: { ...(original[stale] as Record<string, object>)[CFNA], numberOfRings: 9 } } };
    expect(stateOf(sim, users)).toEqual(expected);
  });

  it('apply: a stale later step leaves the earlier step written, and the apply\'s rollback undoes it', async () => {
    const users = simUsers(2, 15);
    for (const u of users) {
      sim.setFields(DND, u, { isActive: true });
      sim.setFields(CFNA, u, { isActive: true, numberOfRings: 3 });
    }
    const original = stateOf(sim, users);
    const job = { name: 'two', steps: [{ operation: DND, defaults: { isActive: false } }, { operation: CFNA, defaults: { isActive: true, numberOfRings: 4 } }] };
    const { dir, job: file } = await baselineFolder(users, job);
    await writeFile(join(dir, 'users.csv'), ['userId', ...users].join('\n') + '\n');
    const plan = join(dir, 'plan');
    expect((await runAgainst(sim, { job: file, out: plan, dryRun: true, retries: 0 })).summary.exitCode).toBe(0);
    const [stale] = users;
    sim.setFields(CFNA, stale!, { numberOfRings: 7 });
    const applied = join(plan, 'applied');
    expect((await runCli(['apply', plan, '--out', applied, '--retries', '0', '--rate', '0'], { sim })).code).toBe(1);
    const row = (await readCsvRecords(join(applied, 'results.csv'))).find((x) => x.userId === stale)!;
    expect(row).toMatchObject({ status: 'conflict', [`${DND}.status`]: 'updated', [`${CFNA}.status`]: 'conflict' });
    expect(sim.getFields(DND, stale!)).toMatchObject({ isActive: false }); // the first step was written
    expect(sim.count('PUT', PATHS[CFNA]!, stale)).toBe(0);
    expect((await readCsvRecords(join(applied, 'rollback.csv'))).find((x) => x.userId === stale)).toMatchObject({ [`${DND}.isActive`]: 'true', [`${CFNA}.numberOfRings`]: '' });
    const undo = await runAgainst(sim, { manifest: join(applied, 'rollback.csv'), operation: `${CFNA}+${DND}`, out: join(dir, 'undo'), retries: 0 });
    expect(undo.summary.exitCode).toBe(0);
    const expected = { ...original, [stale!]: { ...(original[stale!] as object), [CFNA]: { ...(original[stale!] as Record<string, object>)[CFNA], numberOfRings: 7 } } };
    expect(stateOf(sim, users)).toEqual(expected);
  });

  it('--fail-on-changes: a plan of the whole baseline exits 5 on drift, 0 once it holds', async () => {
    const users = simUsers(5, 10);
    scatter(sim, users);
    const { dir, job } = await baselineFolder(users);
    const drift = await runCli(['plan', job, '--fail-on-changes', '--out', join(dir, 'p1'), ...FAST], { sim });
    expect(drift.code).toBe(5);
    // The baseline comes to hold (as a run would leave it): the same check now passes.
    for (const u of users) for (const op of STEPS) sim.setFields(op, u, WANTED[op]!);
    const clean = await runCli(['plan', job, '--fail-on-changes', '--out', join(dir, 'p2'), ...FAST], { sim });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain(`\n  step ${CFNA}: 5 unchanged\n  step ${DND}: 5 unchanged\n  step ${POLICY}: 5 unchanged\n`);
    expect(await readSummary(join(dir, 'p2'))).toMatchObject({ planned: 0, unchanged: 5, steps: { [CFNA]: { unchanged: 5 }, [DND]: { unchanged: 5 }, [POLICY]: { unchanged: 5 } } });
  });

  it('export: the users\' current values in the job\'s own columns (OPERATION.FIELD, step by step), a manifest the job runs unchanged', async () => {
    const users = simUsers(4, 20);
    scatter(sim, users);
    const { dir, job } = await baselineFolder(users);
    const file = join(dir, 'now.csv');
    expect((await runCli(['export', job, '--out', file, '--rate', '0'], { sim })).code).toBe(0);
    const header = await readCsvHeader(file);
    const expectedColumns = STEPS.flatMap((op) => Object.keys(sim.getFields(op, users[0]!)!).map((f) => `${op}.${f}`));
    expect(header[0]).toBe('userId');
    expect(new Set(header.slice(1))).toEqual(new Set(expectedColumns));
    // Step by step: every column of a step before the next step's.
    expect(header.slice(1).map((c) => STEPS.indexOf(c.split('.')[0] as (typeof STEPS)[number]))).toEqual([...header.slice(1).map((c) => STEPS.indexOf(c.split('.')[0] as (typeof STEPS)[number]))].sort());
    const records = await readCsvRecords(file);
    for (const rec of records) {
      expect(rec[`${DND}.isActive`]).toBe(String(sim.getFields(DND, rec.userId!)!.isActive));
      expect(rec[`${CFNA}.numberOfRings`]).toBe(String(sim.getFields(CFNA, rec.userId!)!.numberOfRings));
    }
    // Run back with the job's operation: nothing to change.
    const again = await runAgainst(sim, { manifest: file, operation: STEPS.join('+'), out: join(dir, 'again'), retries: 0 });
    expect(again.summary.exitCode).toBe(0);
    expect(await readSummary(join(dir, 'again'))).toMatchObject({ total: 4, unchanged: 4 });
  });

  it('--shard and merge-reports: the shards\' reports join into one, with the steps\' columns and counts', async () => {
    const users = simUsers(8, 22);
    scatter(sim, users);
    const { dir, job } = await baselineFolder(users);
    const shards = [join(dir, 's1'), join(dir, 's2')];
    for (const [i, out] of shards.entries()) expect((await runAgainst(sim, { job, shard: `${i + 1}/2`, out, retries: 0 })).summary.exitCode).toBe(0);
    const merged = join(dir, 'merged');
    const m = await runCli(['merge-reports', ...shards, '--out', merged]);
    expect(m.code).toBe(0);
    const rows = await readCsvRecords(join(merged, 'results.csv'));
    expect(rows.map((x) => x.userId)).toEqual(users);
    expect(rows.every((x) => x[`${DND}.status`] !== undefined && x[`${POLICY}.status`] !== undefined)).toBe(true);
    const summary = await readSummary(merged);
    const parts = await Promise.all(shards.map((s) => readSummary(s)));
    expect(summary.steps![CFNA]!.updated).toBe(parts.reduce((n, p) => n + (p.steps![CFNA]!.updated ?? 0), 0));
    expect(await readCsvHeader(join(merged, 'rollback.csv'))).toEqual(await readCsvHeader(join(shards[0]!, 'rollback.csv')));
  });
});

describe('a job of steps: resume', () => {
  const sim = withSimulator({ users: 40, seed: 11 });

  it('kill -9 mid-baseline, then --resume: every user ends at the baseline, no step written twice, the rollback restores the state before', async () => {
    const users = simUsers(20, 1);
    scatter(sim, users);
    const original = stateOf(sim, users);
    const { dir, job } = await baselineFolder(users);
    const out = join(dir, 'run');
    // Users 9 to 12 are held at their second step's read (their first step written) until after the kill: with 4
    // rows at a time they fill every slot, so the kill lands mid-user, with 8 users finished and 8 not started.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = users.slice(8, 12);
    for (const u of held) sim.script('GET', PATHS[DND]!, [{ until: gate }], { key: u });
    const run = spawnCli(['run', job, '--out', out, ...FAST], { sim });
    await pollUntil(async () => held.every((u) => sim.count('GET', PATHS[DND]!, u) === 1) && (await lineCount(join(out, 'journal.ndjson'))) >= 8, 'four users held at their second step');
    run.child.kill('SIGKILL');
    await run.exited;
    release();
    for (const u of held) expect(sim.count('PUT', PATHS[CFNA]!, u)).toBe(1); // killed between two steps of these users
    // The journal records the user and each step.
    const journal = (await readFile(join(out, 'journal.ndjson'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(journal[0].steps.map((s: { operation: string }) => s.operation)).toEqual([...STEPS]);
    expect(journal.length).toBeLessThan(users.length);
    await rm(join(out, 'odin-bulk.lock'));
    const resumed = await runCli(['run', job, '--resume', out, ...FAST], { sim });
    expect(resumed.code).toBe(0);
    for (const u of users) {
      for (const op of STEPS) {
        expect(sim.getFields(op, u)).toMatchObject(WANTED[op]!);
        expect(sim.count('PUT', PATHS[op]!, u)).toBeLessThanOrEqual(1);
      }
    }
    expect((await readResultsJson(out)).map((x) => x.userId)).toEqual(users);
    const back = await runAgainst(sim, { manifest: join(out, 'rollback.csv'), operation: `${POLICY}+${DND}+${CFNA}`, out: join(dir, 'undo'), retries: 0 });
    expect(back.summary.exitCode).toBe(0);
    expect(stateOf(sim, users)).toEqual(original);
  });

  it('--resume --retry-failed redoes a user whose later step failed: the step already written keeps its before value, and the rollback restores it', async () => {
    const users = simUsers(3, 30);
    scatter(sim, users);
    const original = stateOf(sim, users);
    const [, victim] = users;
    sim.script('PUT', PATHS[POLICY]!, [500], { key: victim! });
    const { dir, job } = await baselineFolder(users);
    const out = join(dir, 'run');
    expect((await runAgainst(sim, { job, out, retries: 0 })).summary.exitCode).toBe(1);
    expect(sim.getFields(CFNA, victim!)).toMatchObject(WANTED[CFNA]!); // its first step was written
    const retried = await runCli(['run', job, '--resume', out, '--retry-failed', ...FAST], { sim });
    expect(retried.code).toBe(0);
    const row = (await readCsvRecords(join(out, 'results.csv'))).find((x) => x.userId === victim)!;
    expect(row).toMatchObject({ status: 'updated', [`${CFNA}.status`]: 'updated', [`${POLICY}.status`]: 'updated' });
    const back = await runAgainst(sim, { manifest: join(out, 'rollback.csv'), operation: `${POLICY}+${DND}+${CFNA}`, out: join(dir, 'undo'), retries: 0 });
    expect(back.summary.exitCode).toBe(0);
    expect(stateOf(sim, users)).toEqual(original);
  });

  it('the shipped jobs/new-hires-baseline.json validates and names its four steps, the services first', async () => {
    const r = await runCli(['validate', join(process.cwd(), 'jobs', 'new-hires-baseline.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`valid for user-services+${CFNA}+${DND}+${POLICY}`);
    expect(await readJson(join(process.cwd(), 'jobs', 'new-hires-baseline.json'))).toMatchObject({
      steps: [{ operation: 'user-services', defaults: { assign: ['Voice Messaging User', 'Call Forwarding No Answer'] } }, { operation: CFNA }, { operation: DND }, { operation: POLICY }],
    });
  });
});
