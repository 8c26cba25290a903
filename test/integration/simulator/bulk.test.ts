import { describe, expect, it } from '@jest/globals';
import { bulkReadRefused, startSimulator, type Simulator, type SimulatorOptions } from '../../../src/simulator/simulator.js';
import { call, login, odinSample, simulators } from '../../kit/index.js';

// The group-wide reads Odin has (odin-api.md §8): GET /users/<feature>/bulk?serviceProviderId=&groupId=.

const u = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;
const sample = async (file: string) => odinSample<any[]>(file);
const keys = (o: object) => Object.keys(o).sort();
const GROUP = { serviceProviderId: 'sim-sp', groupId: 'grp-01' };

const start = simulators();
async function sim(options: SimulatorOptions): Promise<{ s: Simulator; token: string }> {
  const s = await start(options);
  return { s, token: await login(s.url) };
}

describe('GET /users/<feature>/bulk', () => {
  it('answers one item per user of the group, in the shape of get-bulk-call-forwarding-no-answer.json', async () => {
    const { s, token } = await sim({ users: 12, groupSize: 8, seed: 2, unassigned: { 'call-forwarding-no-answer': 0.4 } });
    const doc = await sample('get-bulk-call-forwarding-no-answer.json');
    const res = await call(s.url, 'GET', '/users/call-forwarding-no-answer/bulk', { token, query: GROUP });
    expect(res.status).toBe(200);
    expect(res.json.map((item: any) => item.user.userId)).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map(u));
    const docUserKeys = keys(doc[0].user);
    let without = 0;
    for (const item of res.json) {
      expect(keys(item)).toEqual(keys(doc[0]));
      for (const key of keys(item.user)) expect(docUserKeys).toContain(key);
      expect(item.service.serviceName).toBe('Call Forwarding No Answer');
      const single = await call(s.url, 'GET', '/users/call-forwarding-no-answer', { token, query: { userId: item.user.userId } });
      // The bulk item says what the per-user GET says: the same settings, or {} for a user without the service.
      if (item.service.assigned) expect(item.data).toEqual(single.json);
      else {
        without++;
        expect({ data: item.data, single: single.status }).toEqual({ data: {}, single: 400 });
      }
    }
    expect(without).toBeGreaterThan(0);
    expect(without).toBeLessThan(8);
  });

  it("speaks the simulator's dialect in data", async () => {
    const { s, token } = await sim({ users: 2, dialect: 'nulls' });
    s.setFields('user-call-forwarding-always', u(1), { isActive: false, forwardToPhoneNumber: null });
    const res = await call(s.url, 'GET', '/users/call-forwarding-always/bulk', { token, query: GROUP });
    expect(res.json[0].data).toEqual({ isActive: false, forwardToPhoneNumber: null, isRingSplashActive: expect.any(Boolean), userId: u(1) });
    const odin = await sim({ users: 2 });
    odin.s.setFields('user-call-forwarding-always', u(1), { isActive: true, forwardToPhoneNumber: '4500' });
    const item = (await call(odin.s.url, 'GET', '/users/call-forwarding-always/bulk', { token: odin.token, query: GROUP })).json[0];
    expect(item.data.forwardToPhoneNumber).toBe(4500);
  });

  it('is served for the call forwardings, call recording and voice messaging only (none for DND or the policy)', async () => {
    const { s, token } = await sim({ users: 2 });
    for (const feature of ['call-forwarding-always', 'call-forwarding-busy', 'call-forwarding-no-answer', 'call-forwarding-not-reachable', 'call-recording', 'voice-messaging']) {
      expect({ feature, status: (await call(s.url, 'GET', `/users/${feature}/bulk`, { token, query: GROUP })).status }).toEqual({ feature, status: 200 });
    }
    for (const feature of ['do-not-disturb', 'call-processing-policy']) {
      expect({ feature, status: (await call(s.url, 'GET', `/users/${feature}/bulk`, { token, query: GROUP })).status }).toEqual({ feature, status: 404 });
    }
  });

  it('refuses a missing or unknown group', async () => {
    const { s, token } = await sim({ users: 2 });
    expect((await call(s.url, 'GET', '/users/call-recording/bulk', { token, query: { serviceProviderId: 'sim-sp' } })).json.details).toBe('Missing required parameter: groupId');
    expect((await call(s.url, 'GET', '/users/call-recording/bulk', { token, query: { serviceProviderId: 'sim-sp', groupId: 'grp-99' } })).json.details).toBe('Group not found: sim-sp/grp-99');
  });

  it("bulk: 'missing' answers 404 as a server without it; 'forbidden' answers 403; the per-user GETs still answer", async () => {
    const missing = await sim({ users: 2, bulk: 'missing' });
    const res = await call(missing.s.url, 'GET', '/users/call-recording/bulk', { token: missing.token, query: GROUP });
    expect(res.json).toEqual({ status: 404, error: 'Not Found', details: 'No such resource' });
    const forbidden = await sim({ users: 2, bulk: 'forbidden' });
    const refused = await call(forbidden.s.url, 'GET', '/users/call-recording/bulk', { token: forbidden.token, query: GROUP });
    expect(refused.json).toEqual({ status: 403, error: 'Forbidden', details: bulkReadRefused('/users/call-recording') });
    expect((await call(forbidden.s.url, 'GET', '/users/call-recording', { token: forbidden.token, query: { userId: u(1) } })).status).toBe(200);
    await expect(startSimulator({ bulk: 'sometimes' as never })).rejects.toThrow(/`bulk` to be one of answer, missing, forbidden, got `sometimes`/);
  });

  it('counts and records the request under the group, so a test can script or count it', async () => {
    const { s, token } = await sim({ users: 2 });
    s.script('GET', '/users/call-recording/bulk', [503], { key: 'sim-sp/grp-01' });
    expect((await call(s.url, 'GET', '/users/call-recording/bulk', { token, query: GROUP })).status).toBe(503);
    expect((await call(s.url, 'GET', '/users/call-recording/bulk', { token, query: GROUP })).status).toBe(200);
    expect(s.count('GET', '/users/call-recording/bulk', 'sim-sp/grp-01')).toBe(2);
  });
});
