import { beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { busiestWindow, OP, POLICY, runTestJob, simUsers, tempDir, testJobOptions, withSimulator, writeCsvManifest } from '../kit/index.js';

const sim = withSimulator({ users: 50 }, { each: true });
let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});

async function flipManifest(users: string[]): Promise<string> {
  return writeCsvManifest(dir, 'flip.csv', ['userId', 'useGroupName'], users.map((u) => [u, !sim.getFields(OP, u)!.useGroupName]));
}

describe('runJob: concurrency', () => {
  it.each([1, 3])('never has more than --concurrency %i requests in flight at the server', async (concurrency) => {
    sim.setFaults({ latencyMs: 25 }); // rows overlap only if the runner lets them
    const manifest = await flipManifest(simUsers(9));

    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { concurrency }));

    expect(summary.updated).toBe(9);
    expect(sim.stats.maxInFlight).toBeLessThanOrEqual(concurrency);
    // The cap is reached, so the bound above is a real test of it rather than of a serial runner.
    expect(sim.stats.maxInFlight).toBe(concurrency);
  });
});

describe('runJob: rate', () => {
  it('holds --rate in every sliding one-second window at the server, shared by all workers', async () => {
    const rate = 20;
    const users = simUsers(18);
    // Half the rows write (GET + PUT), half are unchanged (GET only): 27 requests, about 1.3 s at 20/s.
    const current = (u: string) => sim.getFields(OP, u)!.useGroupName as boolean;
    const manifest = await writeCsvManifest(dir, 'mixed.csv', ['userId', 'useGroupName'], users.map((u, i) => [u, i < 9 ? !current(u) : current(u)]));

    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { concurrency: 8, rate }));

    expect(summary).toMatchObject({ updated: 9, unchanged: 9, requests: 27 });
    const times = sim.requests.filter((r) => r.path === POLICY).map((r) => r.at);
    expect(times).toHaveLength(27);
    // Server-side timestamps carry a little network jitter, hence one request of slack.
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(rate + 1);
  });
});
