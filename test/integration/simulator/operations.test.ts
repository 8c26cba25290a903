import { beforeAll, describe, expect, it } from '@jest/globals';
import { userCallProcessingPolicy as policy } from '../../../src/operations/user-call-processing-policy.js';
import { BROADWORKS_ENDPOINTS, seededUserFields, type SimEndpoint } from '../../../src/simulator/simulator.js';
import { call, login, POLICY, withSimulator } from '../../kit/index.js';

const U1 = 'user00001@sim.odin.test';
const U2 = 'user00002@sim.odin.test';

/** A group-scope endpoint, to show routing is generic over the endpoint table. */
const groupOp: SimEndpoint = {
  name: 'group-test-policy',
  path: '/groups/test-policy',
  scope: 'group',
  fields: {
    useGroupName: { type: 'bool', initial: false },
    groupCallsCLIDPolicy: { type: 'enum', values: ['Use Extension', 'Use External Calls Policy'], initial: 'Use Extension' },
    limit: { type: 'int', min: 1, max: 10, initial: 3 },
  },
};
const groupInitial = { useGroupName: false, groupCallsCLIDPolicy: 'Use Extension', limit: 3 };

// The routes, in the `nulls` dialect (every field, unset ones as null): the answers equal the stored state.
// The default `odin` dialect and the other modes: test/simulator/dialect.test.ts.
describe('simulator operation routes', () => {
  const sim = withSimulator({ users: 120, seed: 5, endpoints: [...BROADWORKS_ENDPOINTS, groupOp], dialect: 'nulls' });
  let token: string;

  beforeAll(async () => {
    token = await login(sim.url);
  });

  it('GETs the full seeded field set plus userId, for every user operation', async () => {
    for (const ep of BROADWORKS_ENDPOINTS.filter((e) => e.scope === 'user')) {
      const res = await call(sim.url, 'GET', ep.path, { token, query: { userId: U2 } });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ ...seededUserFields(ep, 2, 5), userId: U2 });
    }
  });

  it('PUT applies a partial update and answers the full policy with real JSON types', async () => {
    const before = sim.getFields(policy.name, U1)!;
    const res = await call(sim.url, 'PUT', POLICY, {
      token,
      body: { userId: U1, useUserCallLimitsSetting: 'true', maxSimultaneousCalls: '12', mediaPolicySelection: 'Use Supported Media Set' },
    });
    expect(res.status).toBe(200);
    const expected = { ...before, useUserCallLimitsSetting: true, maxSimultaneousCalls: 12, mediaPolicySelection: 'Use Supported Media Set' };
    expect(res.json).toEqual({ ...expected, userId: U1 });
    expect(sim.getFields(policy.name, U1)).toEqual(expected);
    expect((await call(sim.url, 'GET', POLICY, { token, query: { userId: U1 } })).json).toEqual({ ...expected, userId: U1 });
  });

  it("accepts odins_spear's documented request unchanged", async () => {
    const raw = `{"clidPolicy":"Use Configurable CLID","emergencyClidPolicy":"Use DN","useUserCLIDSetting":true,"allowAlternateNumbersForRedirectingIdentity":"true","userId":"${U2}"}`;
    sim.setFields(policy.name, U2, { allowAlternateNumbersForRedirectingIdentity: false });
    const res = await call(sim.url, 'PUT', POLICY, { token, rawBody: raw });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ clidPolicy: 'Use Configurable CLID', emergencyClidPolicy: 'Use DN', useUserCLIDSetting: true, userId: U2 });
    expect(res.json.allowAlternateNumbersForRedirectingIdentity).toBe(true);
    expect(sim.getFields(policy.name, U2)!.allowAlternateNumbersForRedirectingIdentity).toBe(true);
  });

  it.each([
    ['unknown field', { useUserCLIDSettings: true }, /useUserCLIDSettings.*did you mean useUserCLIDSetting/],
    ['wrong type', { useUserCLIDSetting: 'yes' }, /^Invalid value for useUserCLIDSetting: "yes" is not a boolean$/],
    ['bad enum', { clidPolicy: 'use dn' }, /^Invalid value for clidPolicy: "use dn" is not one of "Use DN", "Use Configurable CLID", "Use Group CLID"$/],
    ['out of range', { maxFindMeFollowMeDepth: 101 }, /^Invalid value for maxFindMeFollowMeDepth: 101 is not allowed \(allowed: 1-100\)$/],
    ['object value', { maxSimultaneousCalls: { n: 1 } }, /^Invalid value for maxSimultaneousCalls: a single value is expected$/],
    ['null for a non-nullable field', { clidPolicy: null }, /^Invalid value for clidPolicy: null is not allowed/],
  ])('refuses %s with 400 naming the field, and changes nothing', async (_name, fields, details) => {
    const before = sim.getFields(policy.name, U1);
    const res = await call(sim.url, 'PUT', POLICY, { token, body: { userId: U1, useGroupName: true, ...fields } });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ status: 400, error: 'Bad Request', details: expect.stringMatching(details) });
    expect(sim.getFields(policy.name, U1)).toEqual(before);
  });

  it('refuses invalid JSON, a non-object body and a missing key with 400', async () => {
    expect((await call(sim.url, 'PUT', POLICY, { token, rawBody: 'not json' })).json.details).toMatch(/not valid JSON/);
    expect((await call(sim.url, 'PUT', POLICY, { token, rawBody: '[]' })).status).toBe(400);
    expect((await call(sim.url, 'PUT', POLICY, { token, body: { useGroupName: true } })).json.details).toBe('Missing required field: userId');
    expect((await call(sim.url, 'GET', POLICY, { token })).json).toEqual({
      status: 400,
      error: 'Bad Request',
      details: 'Missing required parameter: userId',
    });
  });

  it('answers 404 for an unknown user, route or method', async () => {
    const get = await call(sim.url, 'GET', POLICY, { token, query: { userId: 'ghost@x.test' } });
    expect(get.json).toEqual({ status: 404, error: 'Not Found', details: 'User not found: ghost@x.test' });
    expect((await call(sim.url, 'PUT', POLICY, { token, body: { userId: 'user00121@sim.odin.test', useGroupName: true } })).status).toBe(404);
    expect((await call(sim.url, 'GET', '/users/nothing-here', { token })).status).toBe(404);
    expect((await call(sim.url, 'DELETE', POLICY, { token })).status).toBe(404);
    const outside = await call(sim.url.replace('/api/v2', ''), 'GET', '/whatever');
    expect(outside.json).toMatchObject({ status: 404, error: 'Not Found' });
  });

  it('URL-decodes query values (u+1@d.com arrives as u%2B1%40d.com)', async () => {
    sim.setFields(policy.name, 'u+1@d.com', { clidPolicy: 'Use Group CLID' });
    const res = await call(`${sim.url}${POLICY}?userId=u%2B1%40d.com`, 'GET', '', { token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ userId: 'u+1@d.com', clidPolicy: 'Use Group CLID' });
    expect(sim.requests.at(-1)).toMatchObject({ path: POLICY, query: { userId: 'u+1@d.com' }, key: 'u+1@d.com', status: 200 });
  });

  it('lists a group of users, 404 for an unknown group, 400 without keys', async () => {
    const res = await call(sim.url, 'GET', '/users', { token, query: { serviceProviderId: 'sim-sp', groupId: 'grp-03' } });
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(20);
    expect(res.json[0]).toEqual({
      userId: 'user00101@sim.odin.test',
      firstName: expect.any(String),
      lastName: expect.any(String),
      serviceProviderId: 'sim-sp',
      groupId: 'grp-03',
      extension: '1000',
      phoneNumber: '+15550000101',
    });
    expect(res.json.map((u: { userId: string }) => u.userId)).toEqual(sim.userIds('grp-03'));
    expect((await call(sim.url, 'GET', '/users', { token, query: { serviceProviderId: 'sim-sp', groupId: 'grp-09' } })).status).toBe(404);
    expect((await call(sim.url, 'GET', '/users', { token, query: { serviceProviderId: 'other', groupId: 'grp-01' } })).status).toBe(404);
    expect((await call(sim.url, 'GET', '/users', { token, query: { groupId: 'grp-01' } })).status).toBe(400);
    expect(sim.groups().map((g) => g.groupId)).toEqual(['grp-01', 'grp-02', 'grp-03']);
    expect(sim.userIds('sim-sp/grp-02')).toHaveLength(50);
    expect(sim.userIds()).toHaveLength(120);
  });

  it('routes group-scope operations by serviceProviderId and groupId', async () => {
    const query = { serviceProviderId: 'sim-sp', groupId: 'grp-02' };
    const got = await call(sim.url, 'GET', '/groups/test-policy', { token, query });
    expect(got.json).toEqual({ ...groupInitial, ...query });
    const put = await call(sim.url, 'PUT', '/groups/test-policy', { token, body: { ...query, limit: 9, useGroupName: 'true' } });
    expect(put.json).toEqual({ useGroupName: true, groupCallsCLIDPolicy: 'Use Extension', limit: 9, ...query });
    expect(sim.getFields(groupOp.name, 'sim-sp/grp-02')).toEqual({ useGroupName: true, groupCallsCLIDPolicy: 'Use Extension', limit: 9 });
    expect(sim.getFields(groupOp.name, 'sim-sp/grp-01')).toEqual(groupInitial);
    expect((await call(sim.url, 'PUT', '/groups/test-policy', { token, body: { ...query, limit: 11 } })).status).toBe(400);
    const missing = await call(sim.url, 'GET', '/groups/test-policy', { token, query: { serviceProviderId: 'sim-sp' } });
    expect(missing.json.details).toBe('Missing required parameter: groupId');
    const unknown = await call(sim.url, 'GET', '/groups/test-policy', { token, query: { serviceProviderId: 'sim-sp', groupId: 'nope' } });
    expect(unknown.json).toEqual({ status: 404, error: 'Not Found', details: 'Group not found: sim-sp/nope' });
    expect(sim.count('PUT', '/groups/test-policy', 'sim-sp/grp-02')).toBe(2);
  });

  it('getFields returns a copy; unknown op names throw', () => {
    const copy = sim.getFields(policy.name, U1)!;
    copy.clidPolicy = 'changed';
    expect(sim.getFields(policy.name, U1)!.clidPolicy).not.toBe('changed');
    expect(sim.getFields(policy.name, 'nobody@x')).toBeUndefined();
    expect(() => sim.getFields('nope', U1)).toThrow(TypeError);
  });
});
