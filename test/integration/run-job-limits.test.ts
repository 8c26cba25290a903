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
  it('holds --rate at the server, shared by all workers', async () => {
    const rate = 20;
    const users = simUsers(18);
    // Half the rows write (GET + PUT), half are unchanged (GET only): 27 requests, about 1.3 s at 20/s.
    const current = (u: string) => sim.getFields(OP, u)!.useGroupName as boolean;
    const manifest = await writeCsvManifest(dir, 'mixed.csv', ['userId', 'useGroupName'], users.map((u, i) => [u, i < 9 ? !current(u) : current(u)]));

    const { summary } = await runTestJob(sim, testJobOptions(manifest, join(dir, 'r'), { concurrency: 8, rate }));

    expect(summary).toMatchObject({ updated: 9, unchanged: 9, requests: 27 });
    const times = sim.requests.filter((r) => r.path === POLICY).map((r) => r.at);
    expect(times).toHaveLength(27);
    // Server-side arrival times carry jitter (the simulator shares this process and the machine): a request the limiter
    // sent on time may be stamped up to 100 ms late, next to the one after it. So no window of 0.9 s may hold more
    // than --rate; the exact bound (every 1 s window, send times) is test/unit/rate-limiter.test.ts on a fake clock.
    expect(busiestWindow(times, 900)).toBeLessThanOrEqual(rate);
    // And the cap did hold the run back: request 21 waits until a second after the first (less the jitter).
    expect(times[rate]! - times[0]!).toBeGreaterThanOrEqual(900);
  });
});
