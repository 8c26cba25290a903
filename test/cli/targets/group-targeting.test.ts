import { beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../../../src/model/errors.js';
import { resolveJob } from '../../../src/settings/resolve-job.js';
import { readCsvRecords, readJson, runAgainst, runCli, tempDir, withSimulator, writeFiles } from '../../kit/index.js';

const DND = 'user-do-not-disturb';
const DND_PATH = '/users/do-not-disturb';

async function jobError(promise: Promise<unknown>): Promise<JobError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof JobError)) throw new Error(`expected a JobError, got ${String(error)}`);
  return error;
}

describe('group targeting: --group SP/GROUP or "target" applies the job defaults to every user of the group', () => {
  const sim = withSimulator({ users: 120, groupSize: 50, seed: 3 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  it('lists the group, applies the defaults to each user in listing order, and reports as for a manifest', async () => {
    const users = sim.userIds('grp-02');
    expect(users).toHaveLength(50);
    // Half already have the value: they must come out unchanged, the rest updated.
    users.forEach((u, i) => sim.setFields(DND, u, { isActive: i % 2 === 0, ringSplash: false }));
    const outside = sim.userIds('grp-01').map((u) => [u, sim.getFields(DND, u)] as const);
    const job = await writeFiles(dir, {
      'dnd.json': JSON.stringify({ name: 'dnd-on', operation: DND, target: { serviceProviderId: 'sim-sp', groupId: 'grp-02' }, defaults: { isActive: true } }),
    });
    sim.resetStats();
    const { summary, outDir } = await runAgainst(sim, { job, out: join(dir, 'dnd-on') });

    expect(summary).toMatchObject({ total: 50, updated: 25, unchanged: 25, failed: 0, exitCode: 0 });
    expect(sim.count('GET', '/users')).toBe(1);
    expect(sim.count('PUT', DND_PATH)).toBe(25);
    for (const u of users) expect(sim.getFields(DND, u)!.isActive).toBe(true);
    for (const [u, before] of outside) expect(sim.getFields(DND, u)).toEqual(before);

    const results = await readCsvRecords(join(outDir, 'results.csv'));
    expect(results.map((r) => [r.line, r.userId])).toEqual(users.map((u, i) => [String(i + 1), u]));
    expect(results.map((r) => r.status)).toEqual(users.map((_, i) => (i % 2 === 0 ? 'unchanged' : 'updated')));
    expect(Object.keys(results[0]!)).toEqual(['line', 'userId', 'status', 'requests', 'error', 'isActive.before', 'isActive.after', 'warnings']);
    const rollback = await readCsvRecords(join(outDir, 'rollback.csv'));
    expect(rollback).toEqual(users.filter((_, i) => i % 2 === 1).map((userId) => ({ userId, isActive: 'false' })));

    const info = await readJson<Record<string, unknown>>(join(outDir, 'run.json'));
    expect(info).toMatchObject({ job: 'dnd-on', operation: DND, target: { serviceProviderId: 'sim-sp', groupId: 'grp-02' }, fieldsUsed: ['isActive'] });
    expect(info.userListHash).toBe(createHash('sha256').update(users.join('\n')).digest('hex'));
    expect(info).not.toHaveProperty('manifest');
    expect(info).not.toHaveProperty('manifestHash');
  });

  it('--group on the command line overrides a job file manifest; a group operation gets the group itself', async () => {
    const job = await writeFiles(dir, {
      'group-clid.json': JSON.stringify({ operation: 'group-call-processing-policy', manifest: 'not-used.csv', defaults: { useGroupCLIDSetting: true, groupCallsCLIDPolicy: 'Use External Calls Policy' } }),
    });
    sim.resetStats();
    const { summary, outDir } = await runAgainst(sim, { job, group: 'sim-sp/grp-03', out: join(dir, 'group-clid') });
    expect(summary).toMatchObject({ total: 1, updated: 1 });
    expect(sim.count('GET', '/users')).toBe(0);
    expect(sim.getFields('group-call-processing-policy', 'sim-sp/grp-03')).toMatchObject({ useGroupCLIDSetting: true, groupCallsCLIDPolicy: 'Use External Calls Policy' });
    expect(await readCsvRecords(join(outDir, 'results.csv'))).toEqual([expect.objectContaining({ line: '1', serviceProviderId: 'sim-sp', groupId: 'grp-03', status: 'updated' })]);
    expect(await readCsvRecords(join(outDir, 'rollback.csv'))).toEqual([
      { serviceProviderId: 'sim-sp', groupId: 'grp-03', useGroupCLIDSetting: 'false', groupCallsCLIDPolicy: 'Use Extension' },
    ]);
  });

  it('an unknown group stops the job with exit 2 before any write or report folder', async () => {
    const out = join(dir, 'ghost');
    sim.resetStats();
    const error = await jobError(runAgainst(sim, { group: 'sim-sp/grp-99', operation: DND, out, ...(await defaultsJob({ isActive: true })) }));
    expect(error.code).toBe('EINPUT');
    expect(error.message).toMatch(/^group sim-sp\/grp-99 was not found \(GET \/users: HTTP 404 .*Group not found: sim-sp\/grp-99\); nothing was sent$/);
    expect(sim.count('PUT', DND_PATH)).toBe(0);
    await expect(readdir(out)).rejects.toThrow();
  });

  it('refuses, before contacting the API: no defaults, bad defaults, --group with --manifest, a malformed --group', async () => {
    sim.resetStats();
    const none = await jobError(runAgainst(sim, { group: 'sim-sp/grp-01', operation: DND, out: join(dir, 'x1') }));
    expect(none.message).toMatch(/a group target needs "defaults"/);
    const bad = await jobError(runAgainst(sim, { group: 'sim-sp/grp-01', operation: DND, out: join(dir, 'x2'), ...(await defaultsJob({ isActive: 'yes' })) }));
    expect(bad.details).toEqual([expect.stringMatching(/defaults\.isActive: expected true or false, got "yes"$/)]);
    const both = await jobError(resolveJob({ group: 'sim-sp/grp-01', manifest: 'x.csv' }));
    expect(both.details).toEqual(['command line --group: give either --manifest or --group, not both']);
    const slashless = await jobError(resolveJob({ group: 'grp-01' }));
    expect(slashless.details[0]).toMatch(/--group: expected SERVICE_PROVIDER\/GROUP/);
    expect(sim.stats.total).toBe(0);
  });

  it('checks a job file target: both manifest and target, or a malformed target, are problems', async () => {
    const file = await writeFiles(dir, {
      'both.json': JSON.stringify({ manifest: 'm.csv', target: { serviceProviderId: 'sp', groupId: 'g' }, defaults: { isActive: true } }),
      'bad-target.json': JSON.stringify({ target: { serviceProviderId: 'sp', group: 'g' } }),
    });
    expect((await jobError(resolveJob({ job: file }))).details).toEqual([expect.stringMatching(/both\.json target: give either "manifest" or "target", not both$/)]);
    expect((await jobError(resolveJob({ job: join(dir, 'bad-target.json') }))).details).toEqual([
      expect.stringMatching(/target: unexpected key "group": expected serviceProviderId and groupId$/),
    ]);
    const ok = await resolveJob({ job: await writeFiles(dir, { 'spaces.json': JSON.stringify({ target: { serviceProviderId: 'Acme Corp', groupId: 'Main Office' } }) }) });
    expect(ok).toMatchObject({ target: { serviceProviderId: 'Acme Corp', groupId: 'Main Office' }, manifest: undefined, name: 'Main Office' });
  });

  it('works from the command line: validate, run, and exit 2 with a clear message for an unknown group', async () => {
    const job = await writeFiles(dir, { 'cli.json': JSON.stringify({ operation: DND, defaults: { isActive: false, ringSplash: true }, rate: 0 }) });
    const valid = await runCli(['validate', job, '--group', 'sim-sp/grp-03'], { cwd: dir });
    expect(valid).toMatchObject({ code: 0, stdout: expect.stringContaining('group sim-sp/grp-03: defaults valid for user-do-not-disturb; fields: isActive, ringSplash') });
    const run = await runCli(['run', job, '--group', 'sim-sp/grp-03', '--out', 'cli-run'], { cwd: dir, sim });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Job "grp-03": 20 rows: /);
    for (const u of sim.userIds('grp-03')) expect(sim.getFields(DND, u)).toEqual({ isActive: false, ringSplash: true });
    const ghost = await runCli(['run', job, '--group', 'sim-sp/nope', '--out', 'cli-ghost'], { cwd: dir, sim });
    expect(ghost.code).toBe(2);
    expect(ghost.stderr).toMatch(/^EINPUT: group sim-sp\/nope was not found/);
  });

  /** A job file holding only defaults, as flags for runAgainst. */
  async function defaultsJob(defaults: Record<string, unknown>): Promise<{ job: string }> {
    const name = `defaults-${Math.random().toString(36).slice(2)}.json`;
    return { job: await writeFiles(dir, { [name]: JSON.stringify({ defaults }) }) };
  }
});
