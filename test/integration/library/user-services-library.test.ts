import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir, withSimulator } from '../../kit/index.js';
import { applyPlan, planJob, runJob, startSimulator, type Connection } from '../../../src/index.js';

// The library's runJob, planJob and applyPlan take `allowPartial` as the CLI takes --allow-partial.

const VM = 'Voice Messaging User';
const FAST = { rate: 0, retries: 0, concurrency: 4 } as const;

describe('user-services through the library API', () => {
  const sim = withSimulator({ users: 20, groupSize: 20, seed: 3, unassigned: { 'voice-messaging': 0.5 }, licences: { 'voice-messaging': 12 } }, { start: startSimulator });
  const connection = (): Connection => ({ baseUrl: sim.url, username: sim.username, password: sim.password });

  it('planJob and runJob refuse the short group without allowPartial, and skip past the limit with it; applyPlan takes it too', async () => {
    const dir = await tempDir();
    const users = sim.userIds();
    const holders = users.filter((u) => sim.assignedServices(u)!.services.includes(VM)).length;
    const left = 12 - holders;
    const lacking = users.length - holders;
    expect(lacking).toBeGreaterThan(left);
    const job = { operation: 'user-services', group: 'sim-sp/grp-01', connection: connection(), ...FAST };
    // A group target needs defaults: a job file holds them.
    const file = join(dir, 'vm.json');
    await writeFile(file, JSON.stringify({ operation: 'user-services', defaults: { assign: [VM] } }));

    const refused = await planJob({ ...job, job: file, out: join(dir, 'plan-refused') });
    expect(refused.summary).toMatchObject({ failed: lacking, planned: 0, exitCode: 1 });

    const plan = await planJob({ ...job, job: file, allowPartial: true, out: join(dir, 'plan') });
    expect(plan.summary).toMatchObject({ planned: left, skipped: lacking - left, exitCode: 0 });
    expect(sim.count('PUT', '/users/services')).toBe(0);

    const applied = await applyPlan({ plan: join(dir, 'plan'), connection: connection(), allowPartial: true, rate: 0 });
    expect(applied.summary).toMatchObject({ updated: left, exitCode: 0 });
    expect(users.filter((u) => sim.assignedServices(u)!.services.includes(VM))).toHaveLength(12);

    const again = await runJob({ ...job, job: file, allowPartial: true, out: join(dir, 'run') });
    expect(again.summary).toMatchObject({ updated: 0, skipped: lacking - left, exitCode: 0 });
    expect(sim.count('PUT', '/users/services')).toBe(left);
  });
});
