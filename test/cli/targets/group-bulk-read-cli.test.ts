import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Simulator } from '../../../src/simulator/types.js';
import { readCsvRecords, readResultsJson, runCli, tempDir, withSimulator, writeFiles, type ResultJson } from '../../kit/index.js';

/*
 * Issue 10 §7 through the built binary: `plan --group` and `export --group` of a call forwarding read the group with
 * one request; against a server without the group-wide read (`--no-bulk`) they read user by user, say so once, and
 * come to the same rows and the same file.
 */

const CFA = 'user-call-forwarding-always';
const PATH = '/users/call-forwarding-always';
const BULK = `${PATH}/bulk`;
const SIM = { users: 60, groupSize: 30, seed: 11, unassigned: { 'call-forwarding-always': 0.25 } };

const outcome = (r: ResultJson) => ({ line: r.line, userId: r.userId, status: r.status, before: r.before, changed: r.changed });

function fresh(sim: Simulator): void {
  sim.clearRequests();
  sim.resetStats();
}

describe('--group of a call forwarding through the CLI: one GET for the group', () => {
  const bulk = withSimulator(SIM);
  const noBulk = withSimulator({ ...SIM, bulk: 'missing' });
  let dir: string;
  let unassigned: string[];
  beforeAll(async () => {
    dir = await tempDir();
    await writeFiles(dir, { 'cfa.json': JSON.stringify({ operation: CFA, defaults: { isActive: true, forwardToPhoneNumber: '4500' } }) });
    for (const sim of [bulk, noBulk]) {
      sim.userIds('grp-01').forEach((u, i) => {
        if (sim.hasService(CFA, u)) sim.setFields(CFA, u, { isActive: i % 2 === 0, forwardToPhoneNumber: i % 3 === 0 ? null : `55510${i}`, isRingSplashActive: false });
      });
    }
    unassigned = bulk.userIds('grp-01').filter((u) => !bulk.hasService(CFA, u));
    expect(unassigned.length).toBeGreaterThan(0);
    expect(noBulk.userIds('grp-01').filter((u) => !noBulk.hasService(CFA, u))).toEqual(unassigned);
  });

  it('plan --group: 2 requests instead of 32, the same rows; users without the service fail NOT_ASSIGNED, listed in failed.csv', async () => {
    fresh(bulk);
    const viaBulk = await runCli(['plan', 'cfa.json', '--group', 'sim-sp/grp-01', '--out', 'plan-bulk', '--rate', '0'], { cwd: dir, sim: bulk });
    expect(viaBulk.code).toBe(1); // the users without the service
    expect(viaBulk.stdout).toMatch(/^Plan "grp-01": 30 rows: .* \(2 requests, 0 retries\)$/m);
    expect(viaBulk.stderr).not.toMatch(/group sim-sp\/grp-01/);
    expect(bulk.count('GET', BULK)).toBe(1);
    expect(bulk.count('GET', PATH)).toBe(0);

    fresh(noBulk);
    const perUser = await runCli(['plan', 'cfa.json', '--group', 'sim-sp/grp-01', '--out', 'plan-per-user', '--rate', '0'], { cwd: dir, sim: noBulk });
    expect(perUser.code).toBe(1);
    expect(perUser.stdout).toMatch(/^Plan "grp-01": 30 rows: .* \(32 requests, 0 retries\)$/m);
    expect(noBulk.count('GET', PATH)).toBe(30);
    const said = perUser.stderr.split('\n').filter((l) => l.includes('cannot read the group at once'));
    expect(said).toEqual([
      `warn: group sim-sp/grp-01: cannot read the group at once (GET ${BULK}: no such endpoint on this server (HTTP 404 Not Found: No such resource)); reading its 30 users one by one`,
    ]);

    // The same rows either way, and the same summary line but for the requests.
    expect((await readResultsJson(join(dir, 'plan-bulk'))).map(outcome)).toEqual((await readResultsJson(join(dir, 'plan-per-user'))).map(outcome));
    const line = (s: string) => /^Plan .*$/m.exec(s)![0].replace(/ in [\d.]+ s \(\d+ requests/, '');
    expect(line(viaBulk.stdout)).toBe(line(perUser.stdout));
    for (const out of ['plan-bulk', 'plan-per-user']) {
      expect((await readCsvRecords(join(dir, out, 'failed.csv'))).map((r) => r.userId)).toEqual(unassigned);
    }
    const plan = await readFile(join(dir, 'plan-bulk', 'plan.json'), 'utf8');
    expect(plan).toContain('"before":{"isActive":');
  });

  it.each(['csv', 'json'])('export --group (%s): one GET for the group, the same file as the per-user export', async (format) => {
    const file = `snapshot.${format}`;
    fresh(bulk);
    const viaBulk = await runCli(['export', '--operation', CFA, '--group', 'sim-sp/grp-01', '--out', `bulk-${file}`, '--rate', '0'], { cwd: dir, sim: bulk });
    expect(viaBulk).toMatchObject({ code: 0, stderr: '' });
    expect(viaBulk.stdout).toContain('(2 requests, 0 retries)');
    expect(bulk.count('GET', BULK)).toBe(1);
    expect(bulk.count('GET', PATH)).toBe(0);

    fresh(noBulk);
    const perUser = await runCli(['export', '--operation', CFA, '--group', 'sim-sp/grp-01', '--out', `per-user-${file}`, '--rate', '0'], { cwd: dir, sim: noBulk });
    expect(perUser.code).toBe(0);
    expect(noBulk.count('GET', PATH)).toBe(30);
    expect(perUser.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warn: group sim-sp\/grp-01: cannot read the group at once .*; reading its 30 users one by one$/)]);

    const exported = await readFile(join(dir, `bulk-${file}`), 'utf8');
    expect(exported).toBe(await readFile(join(dir, `per-user-${file}`), 'utf8'));
    expect(viaBulk.stdout.replace(/in [\d.]+ s \(\d+ requests/, '')).toBe(perUser.stdout.replace(/in [\d.]+ s \(\d+ requests/, '').replaceAll('per-user-', 'bulk-'));
    // The users without the service are left out, the others all there, with their values as the simulator holds them.
    for (const u of unassigned) expect(exported).not.toContain(u);
    const assigned = bulk.userIds('grp-01').filter((u) => !unassigned.includes(u));
    if (format === 'csv') {
      const rows = await readCsvRecords(join(dir, `bulk-${file}`));
      expect(rows.map((r) => r.userId)).toEqual(assigned);
      for (const r of rows) expect(r.forwardToPhoneNumber).toBe(String(bulk.getFields(CFA, r.userId!)!.forwardToPhoneNumber));
    }
  });

  it('`operations NAME` says which operations read a group with one request', async () => {
    const cfa = await runCli(['operations', CFA], { cwd: dir, env: {} });
    expect(cfa.stdout).toMatch(/^ {2}a --group target is read with one request: GET \/users\/call-forwarding-always\/bulk\?serviceProviderId=&groupId=$/m);
    const dnd = await runCli(['operations', 'user-do-not-disturb'], { cwd: dir, env: {} });
    expect(dnd.code).toBe(0);
    expect(dnd.stdout).not.toContain('read with one request');
  });
});
