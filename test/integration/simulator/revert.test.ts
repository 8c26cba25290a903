import { describe, expect, it } from '@jest/globals';
import { startSimulator } from '../../../src/simulator/simulator.js';
import { parseRevert } from '../../../src/simulator/revert.js';
import { call, login, OP, POLICY, pollUntil, withSimulator } from '../../kit/index.js';

const BEFORE = { useUserCLIDSetting: false, clidPolicy: 'Use DN' };
const WRITTEN = { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' };

describe('simulator --revert: a share of accepted PUTs undone after a delay', () => {
  const sim = withSimulator({ users: 60, seed: 3 });

  const put = async (token: string, userId: string, body: Record<string, unknown>) => call(sim.url, 'PUT', POLICY, { token, body: { userId, ...body } });
  const get = async (token: string, userId: string) => (await call(sim.url, 'GET', POLICY, { token, query: { userId } })).json;

  it('with a share of 1 every PUT answers the written values, then the fields go back to their values from before it', async () => {
    const token = await login(sim.url);
    const user = sim.userIds()[0]!;
    sim.setFields(OP, user, { ...BEFORE, allowDepartmentCLIDNameOverride: true });
    sim.setFaults({ revertShare: 1, revertDelayMs: 50 });
    try {
      const res = await put(token, user, WRITTEN);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject(WRITTEN); // the write verifies
      const reverted = sim.reverted;
      await pollUntil(() => sim.getFields(OP, user)?.clidPolicy === 'Use DN', 'the PUT to be undone');
      // Only the fields the PUT changed went back; the others were left alone.
      expect(sim.getFields(OP, user)).toMatchObject({ ...BEFORE, allowDepartmentCLIDNameOverride: true });
      expect(await get(token, user)).toMatchObject(BEFORE);
      expect(sim.reverted).toBe(reverted + 1);
    } finally {
      sim.setFaults({ revertShare: 0, revertDelayMs: 0 });
    }
  });

  it('a field written again before the revert is due keeps the later value', async () => {
    const token = await login(sim.url);
    const [user, marker] = sim.userIds().slice(1, 3) as [string, string];
    sim.setFields(OP, user, BEFORE);
    sim.setFields(OP, marker, BEFORE);
    sim.setFaults({ revertShare: 1, revertDelayMs: 300 });
    try {
      expect((await put(token, user, { clidPolicy: 'Use Configurable CLID' })).status).toBe(200);
      sim.setFaults({ revertShare: 0 });
      // Written again (not undone: the share is 0 now), before the first PUT's revert is due.
      expect((await put(token, user, { clidPolicy: 'Use Group CLID' })).status).toBe(200);
      // A PUT sent after both, undone after the same delay: once it is undone, the first one's time has passed too.
      sim.setFaults({ revertShare: 1 });
      expect((await put(token, marker, { clidPolicy: 'Use Configurable CLID' })).status).toBe(200);
      await pollUntil(() => sim.getFields(OP, marker)?.clidPolicy === 'Use DN', "the marker's PUT to be undone");
      expect(sim.getFields(OP, user)?.clidPolicy).toBe('Use Group CLID');
    } finally {
      sim.setFaults({ revertShare: 0, revertDelayMs: 0 });
    }
  });

  it('which PUTs are undone is drawn from the seed: the same seed undoes the same ones; a share of 0 undoes none', async () => {
    const undone = async (seed: number, share: number) => {
      const s = await startSimulator({ users: 40, seed, revertShare: share });
      try {
        const token = await login(s.url);
        const users = s.userIds();
        for (const u of users) s.setFields(OP, u, BEFORE);
        for (const u of users) expect((await call(s.url, 'PUT', POLICY, { token, body: { userId: u, ...WRITTEN } })).status).toBe(200);
        await pollUntil(() => s.reverted === users.filter((u) => s.getFields(OP, u)?.clidPolicy === 'Use DN').length, 'the reverts to land');
        return users.filter((u) => s.getFields(OP, u)?.clidPolicy === 'Use DN');
      } finally {
        await s.close();
      }
    };
    const first = await undone(7, 0.5);
    expect(first.length).toBeGreaterThan(5);
    expect(first.length).toBeLessThan(35);
    expect(await undone(7, 0.5)).toEqual(first);
    expect(await undone(7, 0)).toEqual([]);
  });

  it('--revert SHARE[:DELAY_MS] is read as such; a bad value is refused', () => {
    expect(parseRevert('0.3:1000')).toEqual({ revertShare: 0.3, revertDelayMs: 1000 });
    expect(parseRevert('1')).toEqual({ revertShare: 1, revertDelayMs: 0 });
    for (const bad of ['2', 'half', '0.5:-1', '0.5:1.5', '']) expect(parseRevert(bad)).toEqual({ problem: expect.stringContaining('--revert: SHARE[:DELAY_MS]') });
    expect(() => sim.setFaults({ revertShare: 1.5 })).toThrow('Expected `revertShare` to be a number from 0 to 1, got `1.5`');
  });
});
