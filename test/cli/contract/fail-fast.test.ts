import { beforeEach, describe, expect, it } from '@jest/globals';
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BROADWORKS_ENDPOINTS } from '../../../src/simulator/simulator.js';
import { libraryPlan, readCsvRecords, readJson, runCli, simulators, tempDir, writeFiles } from '../../kit/index.js';

/**
 * A server that is not what the job expects, met through the built binary as an operator meets it:
 * a missing endpoint stops the run at once (exit 3), a missing field after a few rows (exit 4), and users
 * without the service fail on their own (NOT_ASSIGNED), never PUT, never stopping the run.
 */
const u = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;
const CR = 'user-call-recording';
const CR_PATH = '/users/call-recording';
type Result = { userId: string; status: string; error: string | null; httpStatus?: number };

let dir: string;
const sim = simulators({}, { each: true });
beforeEach(async () => {
  dir = await tempDir();
});

const manifest = (header: string, rows: number, cells: string) => `${header}\n${Array.from({ length: rows }, (_, i) => `${u(i + 1)},${cells}`).join('\n')}\n`;
const exists = (file: string) => access(file).then(() => true, () => false);

describe('the endpoint itself is missing', () => {
  const withoutRecording = () => sim({ users: 60, endpoints: BROADWORKS_ENDPOINTS.filter((e) => e.path !== CR_PATH) });

  it('run: stops after the first such answer, exit 3, names the path and `odin-bulk doctor`; never 60 rows one by one', async () => {
    const s = await withoutRecording();
    await writeFiles(dir, { 'rec.csv': manifest('userId,recordingOption', 60, 'Always') });
    const res = await runCli(['run', '--rate', '0', '--concurrency', '2', '--operation', CR, '--manifest', 'rec.csv', '--out', 'out'], { cwd: dir, sim: s });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/Stopped early: the server does not have an endpoint this job needs: line \d+ \(user\d+@sim\.odin\.test\): GET \/users\/call-recording: no such endpoint on this server \(HTTP 404 Not Found: No such resource\)/);
    expect(res.stderr).toContain('odin-bulk doctor');
    // Only the rows already in flight were sent; none was written.
    expect(s.count('GET', CR_PATH)).toBeLessThanOrEqual(4);
    expect(s.count('PUT', CR_PATH)).toBe(0);
    const results = await readJson<Result[]>(join(dir, 'out', 'results.json'));
    expect(results.filter((r) => r.status === 'skipped').length).toBeGreaterThanOrEqual(56);
    expect(results.filter((r) => r.status === 'failed').every((r) => r.error?.includes('no such endpoint'))).toBe(true);
    expect((await readJson<{ exitCode: number }>(join(dir, 'out', 'summary.json'))).exitCode).toBe(3);
  });

  it('plan: the same (exit 3)', async () => {
    const s = await withoutRecording();
    await writeFiles(dir, { 'rec.csv': manifest('userId,recordingOption', 20, 'Always') });
    const res = await runCli(['plan', '--rate', '0', '--concurrency', '1', '--operation', CR, '--manifest', 'rec.csv', '--out', 'plan'], { cwd: dir, sim: s });
    expect(res.code).toBe(3);
    expect(s.count('GET', CR_PATH)).toBe(1);
  });

  it('an HTML page answered with 200 (a login page, a web UI) is a missing endpoint too', async () => {
    const s = await sim({ users: 20 });
    s.script('GET', '/users/call-processing-policy', Array.from({ length: 20 }, () => ({ status: 200, body: '<html><title>Sign in</title></html>' })));
    await writeFiles(dir, { 'p.csv': manifest('userId,clidPolicy', 20, 'Use DN') });
    const res = await runCli(['run', '--rate', '0', '--concurrency', '1', '--manifest', 'p.csv', '--out', 'out'], { cwd: dir, sim: s });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/GET \/users\/call-processing-policy: no such endpoint on this server: HTTP 200 with an HTML page \(an HTML page: Sign in\)/);
    expect(s.count('GET', '/users/call-processing-policy')).toBe(1);
  });

  it('export: exit 3, nothing written; a group listing that is missing: exit 3 too', async () => {
    const s = await withoutRecording();
    await writeFiles(dir, { 'who.csv': manifest('userId', 30, '').replace(/,$/gm, '') });
    const res = await runCli(['export', '--rate', '0', '--concurrency', '1', '--operation', CR, '--manifest', 'who.csv', '--out', 'snap.csv'], { cwd: dir, sim: s });
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^EENDPOINT: nothing was exported: GET \/users\/call-recording: no such endpoint on this server/m);
    expect(await exists(join(dir, 'snap.csv'))).toBe(false);
    expect(s.count('GET', CR_PATH)).toBe(1);

    s.script('GET', '/users', [{ status: 404, body: '{"status":404,"error":"Not Found","details":"No handler found"}' }]);
    const listing = await runCli(['export', '--rate', '0', '--group', 'sim-sp/grp-01', '--operation', 'user-do-not-disturb', '--out', 'dnd.csv'], { cwd: dir, sim: s });
    expect(listing.code).toBe(3);
    expect(listing.stderr).toMatch(/^EENDPOINT: cannot list the users of group sim-sp\/grp-01: GET \/users: no such endpoint on this server/m);
  });

  it('apply: a plan applied against a server without the endpoint stops with exit 3', async () => {
    const full = await sim({ users: 10 });
    await writeFiles(dir, { 'rec.csv': manifest('userId,recordingOption', 10, 'Always with Pause/Resume') });
    // Set-up: the plan, made in this process against a server that has the endpoint.
    const planned = await libraryPlan(full, { operation: CR, manifest: join(dir, 'rec.csv'), out: join(dir, 'plan') });
    expect(planned.exitCode).toBe(0);
    const other = await withoutRecording();
    // As if the server the plan read had since lost the endpoint (an upgrade): the plan names the server apply talks to.
    const planFile = join(dir, 'plan', 'plan.json');
    await writeFile(planFile, (await readFile(planFile, 'utf8')).replace(JSON.stringify(full.url), JSON.stringify(other.url)));
    const applied = await runCli(['apply', join(dir, 'plan'), '--rate', '0', '--concurrency', '1', '--out', join(dir, 'applied')], { cwd: dir, sim: other });
    expect(applied.code).toBe(3);
    expect(other.count('GET', CR_PATH)).toBe(1);
    expect(other.count('PUT', CR_PATH)).toBe(0);
  });
});

describe('the live answer lacks a field the row sets (an older release)', () => {
  it('rows are not written; after 3 the run stops, naming the field and the release (exit 4)', async () => {
    const s = await sim({ users: 30, release: 22 });
    await writeFiles(dir, { 'clid.csv': manifest('userId,useUserCLIDSetting,allowUserSelectionOfExternalCLIDPolicy', 30, 'true,true') });
    const res = await runCli(['run', '--rate', '0', '--concurrency', '1', '--manifest', 'clid.csv', '--out', 'out'], { cwd: dir, sim: s });
    expect(res.code).toBe(4);
    expect(res.stderr).toContain(
      "Stopped early: systemic failure: 3 rows set allowUserSelectionOfExternalCLIDPolicy, and the server's answer has no allowUserSelectionOfExternalCLIDPolicy (added in BroadWorks R24: the server may run an older release)",
    );
    expect(s.count('PUT', '/users/call-processing-policy')).toBe(0);
    expect(s.count('GET', '/users/call-processing-policy')).toBe(3);
    const results = await readJson<Result[]>(join(dir, 'out', 'results.json'));
    expect(results.slice(0, 3).map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    expect(results[0]!.error).toMatch(/^not written: the server's answer has no allowUserSelectionOfExternalCLIDPolicy \(added in BroadWorks R24/);
  });

  it('a field the release has is written as usual on the same server', async () => {
    const s = await sim({ users: 3, release: 22 });
    await writeFiles(dir, { 'clid.csv': manifest('userId,useUserCLIDSetting,clidPolicy', 3, 'true,Use Group CLID') });
    const res = await runCli(['run', '--rate', '0', '--manifest', 'clid.csv', '--out', 'out'], { cwd: dir, sim: s });
    expect(res.code).toBe(0);
  });
});

describe('users without the service', () => {
  it('fail with NOT_ASSIGNED, are never PUT, stay in failed.csv, and stop nothing (not even the 10 % failure budget)', async () => {
    const s = await sim({ users: 40, seed: 3, unassigned: { 'call-recording': 0.3 } });
    const lacking = s.userIds().filter((id) => !s.hasService(CR, id));
    expect(lacking.length).toBeGreaterThan(4); // more than the 10 % budget would allow
    await writeFiles(dir, { 'rec.csv': manifest('userId,recordingOption', 40, 'Always') });
    const res = await runCli(['run', '--rate', '0', '--operation', CR, '--manifest', 'rec.csv', '--out', 'out'], { cwd: dir, sim: s });
    expect(res.code).toBe(1);
    expect(res.stderr).not.toContain('Stopped early');
    const results = await readJson<Array<Result & { errorCode?: string }>>(join(dir, 'out', 'results.json'));
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.userId).sort()).toEqual([...lacking].sort());
    for (const r of failed) expect(r.error).toMatch(/^GET \/users\/call-recording: the user does not have the Call Recording service \(HTTP 400 Bad Request: .*Call Recording.*\); nothing was written$/);
    expect(results.filter((r) => r.status === 'updated' || r.status === 'unchanged')).toHaveLength(40 - lacking.length);
    for (const id of lacking) expect(s.count('PUT', CR_PATH, id)).toBe(0);
    expect((await readCsvRecords(join(dir, 'out', 'failed.csv'))).map((r) => r.userId).sort()).toEqual([...lacking].sort());
    const journal = (await readFile(join(dir, 'out', 'journal.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { errorCode?: string; status: string });
    expect(journal.filter((r) => r.status === 'failed').every((r) => r.errorCode === 'NOT_ASSIGNED')).toBe(true);
  });

  it('export leaves them out and says so: not a failure (exit 0)', async () => {
    const s = await sim({ users: 30, seed: 3, unassigned: { 'call-recording': 0.3 } });
    const lacking = s.userIds().filter((id) => !s.hasService(CR, id));
    const res = await runCli(['export', '--rate', '0', '--operation', CR, '--group', 'sim-sp/grp-01', '--out', 'snap.csv'], { cwd: dir, sim: s });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`${lacking.length} users do not have the Call Recording service and are not in the export (first ${lacking[0]}): nothing to restore for them`);
    expect((await readCsvRecords(join(dir, 'snap.csv'))).map((r) => r.userId)).toEqual(s.userIds().filter((id) => s.hasService(CR, id)));
  });
});

describe('a value BroadWorks refuses is refused before anything is sent', () => {
  it('numberOfRings 1: exit 2, the file, line and field named, no request at all', async () => {
    const s = await sim({ users: 5 });
    await writeFiles(dir, { 'rings.csv': `userId,isActive,numberOfRings\n${u(1)},true,3\n${u(2)},true,1\n` });
    const res = await runCli(['run', '--rate', '0', '--operation', 'user-call-forwarding-no-answer', '--manifest', 'rings.csv'], { cwd: dir, sim: s });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('rings.csv:3 numberOfRings: 1 is not allowed: expected 0 or 2 to 20');
    expect(s.stats.total).toBe(0);
  });
});
