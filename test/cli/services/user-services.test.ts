import { beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { call, lineCount, login, pollUntil, readCsvRecords, readJson, runAgainst, runCli, simUser, spawnCli, tempDir, withSimulator, writeFiles, FAST } from '../../kit/index.js';

// `--operation user-services` through the built binary against the simulator, whose service model is the oracle:
// who holds what (sim.assignedServices), and the requests it counted. The command under test is spawned; a plan
// that apply takes and the rollback runs that check a rollback.csv are done in this process (runAgainst).

const VM = 'Voice Messaging User';
const PUT = ['PUT', '/users/services'] as const;

type Row = { line: number; userId: string; status: string; before: Record<string, string> | null; after: Record<string, string> | null; error: string | null; warnings?: string[] };

describe('user-services: assign where half the group lacks the service, rollback, licences', () => {
  // Groups of 20: grp-01 unlimited; grp-02 at most 14 Voice Messaging users (10 hold it: 4 left for its 10 lacking
  // it); nobody in grp-01 may have Call Notify.
  const VM_LICENCES = 14;
  const sim = withSimulator({ users: 40, groupSize: 20, seed: 7, unassigned: { 'voice-messaging': 0.5 }, licences: { 'sim-sp/grp-02:voice-messaging': VM_LICENCES, 'sim-sp/grp-01:Call Notify': 0 } });
  let dir: string;
  const holds = (u: string, name = VM) => sim.assignedServices(u)!.services.includes(name);
  const snapshot = () => sim.userIds().map((u) => [u, sim.assignedServices(u)] as const);
  beforeAll(async () => {
    dir = await tempDir();
    await writeFiles(dir, {
      'grp-01.json': JSON.stringify({ name: 'vm-01', operation: 'user-services', target: { serviceProviderId: 'sim-sp', groupId: 'grp-01' }, defaults: { assign: [VM, 'Call Waiting'] } }),
      'grp-02.json': JSON.stringify({ name: 'vm-02', operation: 'user-services', target: { serviceProviderId: 'sim-sp', groupId: 'grp-02' }, defaults: { assign: [VM] } }),
    });
  });

  it('plan shows the assignments and sends no write; run PUTs only the users that lack the service; the rollback restores exactly', async () => {
    const users = sim.userIds('grp-01');
    const lacking = users.filter((u) => !holds(u));
    expect(lacking.length).toBeGreaterThan(4);
    expect(lacking.length).toBeLessThan(16);
    expect(users.every((u) => holds(u, 'Call Waiting'))).toBe(true);
    const before = snapshot();

    sim.resetStats();
    const plan = await runCli(['plan', join(dir, 'grp-01.json'), '--out', join(dir, 'plan-01'), ...FAST], { sim });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain(`licences: enough in every group for the assignments of ${lacking.length} rows`);
    expect(sim.count(...PUT)).toBe(0);
    expect(sim.count('GET', '/groups/services')).toBe(1);
    const planned = (await readJson<{ rows?: unknown }>(join(dir, 'plan-01', 'plan.json'))) as unknown;
    expect(JSON.stringify(planned)).toContain(`"set":{"assign":"${VM};Call Waiting"}`);
    const planRows = await readJson<Row[]>(join(dir, 'plan-01', 'results.json'));
    expect(planRows.filter((r) => r.status === 'planned').map((r) => r.userId)).toEqual(lacking);
    expect(snapshot()).toEqual(before);

    sim.resetStats();
    const run = await runCli(['run', join(dir, 'grp-01.json'), '--out', join(dir, 'run-01'), ...FAST], { sim });
    expect(run.code).toBe(0);
    expect(sim.count(...PUT)).toBe(lacking.length);
    // One GET of the user's services per user (the licence check's read is the row's read), one of the group's licences.
    expect(sim.count('GET', '/users/services')).toBe(users.length);
    expect(sim.count('GET', '/groups/services')).toBe(1);
    for (const u of users) expect(holds(u)).toBe(true);
    for (const u of sim.userIds('grp-02')) expect(sim.assignedServices(u)).toEqual(before.find(([id]) => id === u)![1]);
    // The PUT bodies held the changes only.
    const bodies = sim.requests.filter((r) => r.method === 'PUT').map((r) => r.body);
    expect(bodies).toContainEqual({ userId: lacking[0], userServices: [{ serviceName: VM, assigned: true }] });

    const rows = await readJson<Row[]>(join(dir, 'run-01', 'results.json'));
    const first = rows.find((r) => r.userId === lacking[0])!;
    expect(first).toMatchObject({ status: 'updated', before: { assign: 'Call Waiting' }, after: { assign: `${VM};Call Waiting` } });
    const csv = await readCsvRecords(join(dir, 'run-01', 'results.csv'));
    expect(Object.keys(csv[0]!)).toEqual(['line', 'userId', 'status', 'requests', 'error', 'assign.before', 'assign.after', 'warnings']);
    const rollback = await readCsvRecords(join(dir, 'run-01', 'rollback.csv'));
    expect(rollback).toEqual(lacking.map((userId) => ({ userId, assign: '', unassign: VM })));

    const undo = await runAgainst(sim, { manifest: join(dir, 'run-01', 'rollback.csv'), operation: 'user-services', out: join(dir, 'undo-01'), retries: 0 });
    expect(undo.summary.exitCode).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it('a group with too few licences is refused before any write: the plan and the run say so first, 0 PUT', async () => {
    const users = sim.userIds('grp-02');
    const lacking = users.filter((u) => !holds(u));
    const left = VM_LICENCES - (users.length - lacking.length);
    expect(lacking.length).toBeGreaterThan(left);
    const before = snapshot();

    sim.resetStats();
    const plan = await runCli(['plan', join(dir, 'grp-02.json'), '--out', join(dir, 'plan-02'), ...FAST], { sim });
    expect(plan.code).toBe(1);
    const shortLine = `licences: group sim-sp/grp-02 would run out: ${VM}: ${lacking.length} to assign, ${left} left`;
    expect(plan.stderr).toContain(shortLine);

    const run = await runCli(['run', join(dir, 'grp-02.json'), '--out', join(dir, 'run-02'), ...FAST], { sim });
    expect(run.code).toBe(1);
    // The licence line comes before any row's line.
    const lines = run.stderr.split('\n');
    const at = lines.findIndex((l) => l.includes(shortLine));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines.slice(0, at).some((l) => /line \d+ user/.test(l))).toBe(false);
    const reading = lines.findIndex((l) => l.includes(`licences: reading the services of ${users.length} users and their groups' licences before any write`));
    expect(reading).toBeGreaterThanOrEqual(0);
    expect(reading).toBeLessThan(at);
    // As docs/operations.md#licences shows it.
    const usage = users.length - lacking.length;
    expect(lines[at]).toBe(
      `warn: ${shortLine} (${usage} of ${VM_LICENCES} in use). Not written: its ${lacking.length} rows assigning services (--allow-partial writes up to the limit and skips the rest)`,
    );
    expect(sim.count(...PUT)).toBe(0);
    expect(snapshot()).toEqual(before);
    const rows = await readJson<Array<Row & { errorCode?: string }>>(join(dir, 'run-02', 'results.json'));
    expect(rows.filter((r) => r.status === 'failed').map((r) => r.userId)).toEqual(lacking);
    expect(rows.find((r) => r.status === 'failed')!.error).toContain('--allow-partial');
    const journal = await readCsvRecords(join(dir, 'run-02', 'results.csv'));
    expect(journal.filter((r) => r.status === 'unchanged')).toHaveLength(users.length - lacking.length);
  });

  it('--allow-partial writes up to the limit and skips the rest ("no licence left")', async () => {
    const users = sim.userIds('grp-02');
    const lacking = users.filter((u) => !holds(u));
    const left = VM_LICENCES - (users.length - lacking.length);

    sim.resetStats();
    const run = await runCli(['run', join(dir, 'grp-02.json'), '--allow-partial', '--out', join(dir, 'partial-02'), ...FAST], { sim });
    expect(run.code).toBe(0);
    expect(sim.count(...PUT)).toBe(left);
    expect(users.filter((u) => holds(u))).toHaveLength(VM_LICENCES);
    // The first rows (in listing order) got the licences left; the rest were skipped.
    expect(lacking.slice(0, left).every((u) => holds(u))).toBe(true);
    const rows = await readJson<Row[]>(join(dir, 'partial-02', 'results.json'));
    const skipped = rows.filter((r) => r.status === 'skipped');
    expect(skipped.map((r) => r.userId)).toEqual(lacking.slice(left));
    expect(skipped[0]!.error).toContain(`no licence left: ${VM}`);
    const summary = await readJson<{ skipped: number; updated: number }>(join(dir, 'partial-02', 'summary.json'));
    expect(summary).toMatchObject({ updated: left, skipped: lacking.length - left });
  });

  it('a name the user does not have fails its row with "did you mean", before its write; a service the group is not authorised for fails every row asking for it', async () => {
    const [a, b, c] = [simUser(1), simUser(2), simUser(3)];
    const manifest = await writeFiles(dir, {
      'names.csv': ['userId,assign,unassign', `${a},Voice Mesaging User,`, `${b},Call Notify,`, `${c},,Call Waiting`].join('\n') + '\n',
    });
    const before = snapshot();
    sim.resetStats();
    sim.clearRequests();
    const run = await runCli(['run', '--manifest', manifest, '--operation', 'user-services', '--out', join(dir, 'names'), ...FAST], { sim });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('licences: group sim-sp/grp-01 is not authorised for Call Notify: not written: 1 row assigning it');
    const rows = await readJson<Array<Row & { errorCode?: string }>>(join(dir, 'names', 'results.json'));
    expect(rows.map((r) => [r.userId, r.status])).toEqual([[a, 'failed'], [b, 'failed'], [c, 'updated']]);
    expect(rows[0]!.error).toContain('"Voice Mesaging User" is not among this user\'s services: did you mean "Voice Messaging User"?');
    expect(rows[1]!.error).toContain('group sim-sp/grp-01 is not authorised for Call Notify');
    // Only the third row was written: it unassigned Call Waiting.
    expect(sim.count(...PUT)).toBe(1);
    expect(sim.requests.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([{ userId: c, userServices: [{ serviceName: 'Call Waiting', assigned: false }] }]);
    expect(holds(c, 'Call Waiting')).toBe(false);
    expect(sim.assignedServices(a)).toEqual(before.find(([id]) => id === a)![1]);
    expect(sim.assignedServices(b)).toEqual(before.find(([id]) => id === b)![1]);
    // The unassignment warns that its settings are gone; the rollback assigns the service again.
    expect(rows[2]!.warnings?.join(' ')).toContain('unassigning Call Waiting removes its settings on the server');
    const rollback = await readCsvRecords(join(dir, 'names', 'rollback.csv'));
    expect(rollback).toEqual([{ userId: c, assign: 'Call Waiting', unassign: '' }]);
    const undo = await runAgainst(sim, { manifest: join(dir, 'names', 'rollback.csv'), operation: 'user-services', out: join(dir, 'names-undo'), retries: 0 });
    expect(undo.summary.exitCode).toBe(0);
    expect(snapshot()).toEqual(before);
  });
});

describe('user-services: plan, review, apply', () => {
  const sim = withSimulator({ users: 40, groupSize: 20, seed: 11, unassigned: { 'voice-messaging': 0.5 } });

  it('apply writes the planned rows only (a user changed after the plan, unchanged in it, is left alone); the rollback restores', async () => {
    const dir = await tempDir({
      'vm.json': JSON.stringify({ operation: 'user-services', target: { serviceProviderId: 'sim-sp', groupId: 'grp-02' }, defaults: { assign: [VM] } }),
    });
    const users = sim.userIds('grp-02');
    const lacking = users.filter((u) => !sim.assignedServices(u)!.services.includes(VM));
    expect(lacking.length).toBeGreaterThan(2);
    const plan = await runAgainst(sim, { job: join(dir, 'vm.json'), out: join(dir, 'plan'), dryRun: true, retries: 0 });
    expect(plan.summary.exitCode).toBe(0);
    // After the plan, someone takes Voice Messaging User from a user who had it (a row the plan left unchanged).
    const changed = users.find((u) => !lacking.includes(u))!;
    const token = await login(sim.url);
    const put = await call(sim.url, 'PUT', '/users/services', { token, body: { userId: changed, userServices: [{ serviceName: VM, assigned: false }] } });
    expect(put.status).toBe(200);
    const before = sim.userIds().map((u) => [u, sim.assignedServices(u)] as const);

    sim.resetStats();
    const apply = await runCli(['apply', join(dir, 'plan'), '--out', join(dir, 'apply'), '--rate', '0'], { sim });
    expect(apply.code).toBe(0);
    // The user who lost the service after the plan was `unchanged` when planned: apply leaves them alone.
    expect(sim.assignedServices(changed)!.services).not.toContain(VM);
    expect(sim.count(...PUT)).toBe(lacking.length);
    for (const u of lacking) expect(sim.assignedServices(u)!.services).toContain(VM);
    const rows = await readJson<Row[]>(join(dir, 'apply', 'results.json'));
    expect(rows.filter((r) => r.status === 'updated').map((r) => r.userId)).toEqual(lacking);

    const undo = await runAgainst(sim, { manifest: join(dir, 'apply', 'rollback.csv'), operation: 'user-services', out: join(dir, 'undo'), retries: 0 });
    expect(undo.summary.exitCode).toBe(0);
    expect(sim.userIds().map((u) => [u, sim.assignedServices(u)] as const)).toEqual(before);
  });

  it('a planned list that changed since the plan is a conflict: nothing written for that user', async () => {
    const dir = await tempDir({
      'cw.csv': ['userId,unassign', `${simUser(1)},Call Waiting;Do Not Disturb`, `${simUser(2)},Call Waiting`].join('\n') + '\n',
    });
    const plan = await runAgainst(sim, { manifest: join(dir, 'cw.csv'), operation: 'user-services', out: join(dir, 'plan'), dryRun: true, retries: 0 });
    expect(plan.summary.exitCode).toBe(0);
    const planned = await readJson<Row[]>(join(dir, 'plan', 'results.json'));
    expect(planned.map((r) => r.status)).toEqual(['planned', 'planned']);
    expect(planned[0]!.warnings?.join(' ')).toContain('unassigning Call Waiting, Do Not Disturb removes their settings on the server');
    // Do Not Disturb goes from the first user after the plan: the list the plan unassigns is not as it was.
    const token = await login(sim.url);
    await call(sim.url, 'PUT', '/users/services', { token, body: { userId: simUser(1), userServices: [{ serviceName: 'Do Not Disturb', assigned: false }] } });
    sim.resetStats();
    const apply = await runCli(['apply', join(dir, 'plan'), '--out', join(dir, 'apply'), '--rate', '0'], { sim });
    expect(apply.code).toBe(1);
    const rows = await readJson<Array<Row & { errorCode?: string }>>(join(dir, 'apply', 'results.json'));
    expect(rows.map((r) => r.status)).toEqual(['conflict', 'updated']);
    expect(rows[0]!.error).toContain('unassign: assigned now "Call Waiting", the plan was made from "Call Waiting;Do Not Disturb"');
    expect(sim.count(...PUT)).toBe(1);
    expect(sim.assignedServices(simUser(1))!.services).toContain('Call Waiting');
    expect(sim.assignedServices(simUser(2))!.services).not.toContain('Call Waiting');
  });
});

describe('user-services: kill -9 mid-run, then --resume', () => {
  const sim = withSimulator({ users: 16, groupSize: 16, seed: 5, unassigned: { 'voice-messaging': 0.5 } });

  it('ends with every user assigned, none written twice, and a rollback that restores the state before', async () => {
    const dir = await tempDir();
    const users = sim.userIds();
    const manifest = await writeFiles(dir, { 'vm.csv': ['userId,assign', ...users.map((u) => `${u},${VM}`)].join('\n') + '\n' });
    const before = users.map((u) => [u, sim.assignedServices(u)] as const);
    const out = join(dir, 'out');
    // The PUTs of rows 9 and 10 (users lacking the service) are held until after the kill, then done by the server
    // (a write in flight, its answer lost): with 2 rows at a time the kill lands with 8 rows finished.
    const held = users.slice(8, 10);
    expect(held.map((u) => before.find(([id]) => id === u)![1]!.services.includes(VM))).toEqual([false, false]);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    for (const u of held) sim.script(...PUT, [{ until: gate, apply: true }], { key: u });
    const args = ['run', '--manifest', manifest, '--operation', 'user-services', '--out', out, '--concurrency', '2', '--rate', '0', '--retries', '0'];
    const run = spawnCli(args, { sim });
    await pollUntil(async () => held.every((u) => sim.count(...PUT, u) === 1) && (await lineCount(join(out, 'journal.ndjson'))) >= 8, 'two writes in flight');
    run.child.kill('SIGKILL');
    await run.exited;
    release();
    await pollUntil(() => held.every((u) => sim.assignedServices(u)!.services.includes(VM)), 'the held writes to be done');
    expect(await lineCount(join(out, 'journal.ndjson'))).toBeLessThan(users.length);
    await rm(join(out, 'odin-bulk.lock'));
    const resume = await runCli([...args.filter((a, i) => a !== '--out' && args[i - 1] !== '--out'), '--resume', out], { sim });
    expect(resume.stderr).toContain(`Resuming ${out}: `);
    expect(resume.code).toBe(0);
    for (const u of users) {
      expect(sim.assignedServices(u)!.services).toContain(VM);
      expect(sim.count(...PUT, u)).toBeLessThanOrEqual(1);
    }
    const lacking = before.filter(([, s]) => !s!.services.includes(VM)).map(([u]) => u);
    const rollback = await readCsvRecords(join(out, 'rollback.csv'));
    expect(rollback.map((r) => r.userId).sort()).toEqual([...lacking].sort());
    const undo = await runAgainst(sim, { manifest: join(out, 'rollback.csv'), operation: 'user-services', out: join(dir, 'undo'), retries: 0 });
    expect(undo.summary.exitCode).toBe(0);
    expect(users.map((u) => [u, sim.assignedServices(u)] as const)).toEqual(before);
  });
});

describe('user-services: the input is checked before anything is sent', () => {
  const sim = withSimulator({ users: 10 });

  it('empty names, duplicates and a name in both lists: exit 2, file:line:field, no request', async () => {
    const dir = await tempDir({
      'bad.csv': ['userId,assign,unassign', `${simUser(1)},Call Waiting;;Do Not Disturb,`, `${simUser(2)},Call Waiting;call waiting,`, `${simUser(3)},Call Waiting,Call Waiting`].join('\n') + '\n',
      'bad.json': JSON.stringify({ rows: [{ userId: simUser(4), assignPacks: ['SIM-VM', 'SIM-VM'] }, { userId: simUser(5), assign: [] }] }, null, 1),
    });
    sim.resetStats();
    const csv = await runCli(['run', '--manifest', join(dir, 'bad.csv'), '--operation', 'user-services', '--out', join(dir, 'out1')], { sim });
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('bad.csv has 3 problems; nothing was sent');
    expect(csv.stderr).toContain(`bad.csv:2 assign: an empty name in "Call Waiting;;Do Not Disturb"`);
    expect(csv.stderr).toContain('bad.csv:3 assign: "Call Waiting" and "call waiting" are one name written twice');
    expect(csv.stderr).toContain('bad.csv:4 unassign: "Call Waiting" is also in assign: a row cannot both assign and unassign it');
    const json = await runCli(['plan', '--manifest', join(dir, 'bad.json'), '--operation', 'user-services', '--out', join(dir, 'out2')], { sim });
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/bad\.json:\d+ assignPacks: "SIM-VM" is named twice/);
    expect(json.stderr).toMatch(/bad\.json:\d+ assign: the list names no service/);
    expect(sim.stats.total).toBe(0);
  });

  it('a JSON manifest gives the names as lists, and packs are assigned like services', async () => {
    sim.clearRequests();
    const dir = await tempDir({ 'packs.json': JSON.stringify([{ userId: simUser(6), assignPacks: ['SIM-VM'], assign: ['Call Waiting'] }]) });
    sim.resetStats();
    const run = await runCli(['run', '--manifest', join(dir, 'packs.json'), '--operation', 'user-services', '--out', join(dir, 'out'), ...FAST], { sim });
    expect(run.code).toBe(0);
    expect(sim.assignedServices(simUser(6))!.packs).toEqual(['SIM-VM']);
    expect(sim.requests.filter((r) => r.method === 'PUT').map((r) => r.body)).toEqual([{ userId: simUser(6), servicePackServices: [{ serviceName: 'SIM-VM', assigned: true }] }]);
    const rollback = await readCsvRecords(join(dir, 'out', 'rollback.csv'));
    expect(rollback).toEqual([{ userId: simUser(6), assign: '', unassign: '', assignPacks: '', unassignPacks: 'SIM-VM' }]);
  });

  it('export and doctor refuse user-services (exit 2, nothing sent) and say what to use instead', async () => {
    sim.resetStats();
    const dir = await tempDir();
    const exported = await runCli(['export', '--operation', 'user-services', '--group', 'sim-sp/grp-01', '--out', join(dir, 'x.csv')], { sim });
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain('EINPUT: export reads settings: user-services has none to export');
    const doctor = await runCli(['doctor', '--operation', 'user-services'], { sim });
    expect(doctor.code).toBe(2);
    expect(doctor.stderr).toContain('odin-bulk plan checks user-services');
    expect(sim.stats.total).toBe(0);
  });

  it('odin-bulk operations user-services explains the fields, the licence check and --allow-partial', async () => {
    const out = await runCli(['operations', 'user-services']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^user-services {2}\(userId\)$/m);
    for (const field of ['assign', 'unassign', 'assignPacks', 'unassignPacks']) expect(out.stdout).toMatch(new RegExp(`^ {4}${field} +`, 'm'));
    expect(out.stdout).toContain('--allow-partial');
    expect(out.stdout).toContain('GET /groups/services');
  });
});
