import { beforeAll, describe, expect, it } from '@jest/globals';
import { serviceNotAssigned, startSimulator, type Simulator } from '../../../src/simulator/simulator.js';
import { call, login, POLICY, runCli, simulateCommands, simulators } from '../../kit/index.js';

const u = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;
const CFA = 'user-call-forwarding-always';
const CFA_PATH = '/users/call-forwarding-always';
const CR = 'user-call-recording';
const CR_PATH = '/users/call-recording';
const R24 = ['allowUserSelectionOfExternalCLIDPolicy', 'allowUserConfigurableCLIDModification'];

const start = simulators();
async function sim(options: Parameters<typeof startSimulator>[0]): Promise<{ sim: Simulator; token: string }> {
  const started = await start(options);
  return { sim: started, token: await login(started.url) };
}

describe("default dialect 'odin': answers as Odin's documentation shows them", () => {
  let s: Simulator;
  let token: string;
  beforeAll(async () => ({ sim: s, token } = await sim({ users: 10 })));

  it('leaves an unset value out, and sends an all-digit number as a JSON number', async () => {
    expect(s.dialect).toBe('odin');
    s.setFields(CFA, u(1), { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false });
    s.setFields(CFA, u(2), { isActive: true, forwardToPhoneNumber: '4500', isRingSplashActive: false });
    const none = await call(s.url, 'GET', CFA_PATH, { token, query: { userId: u(1) } });
    expect(none.text).toBe(`{"isActive":false,"isRingSplashActive":false,"userId":"${u(1)}"}`);
    const digits = await call(s.url, 'GET', CFA_PATH, { token, query: { userId: u(2) } });
    expect(digits.text).toBe(`{"isActive":true,"forwardToPhoneNumber":4500,"isRingSplashActive":false,"userId":"${u(2)}"}`);
    // The state keeps what was set: the dialect is only how it is said.
    expect(s.getFields(CFA, u(1))!.forwardToPhoneNumber).toBeNull();
  });

  it('keeps text that is not a plain number as text: E.164, a leading zero, a SIP URI, digits beyond a safe integer', async () => {
    for (const n of ['+15551230001', '0001', 'sip:desk@example.test', '123456789012345678']) {
      s.setFields(CFA, u(3), { forwardToPhoneNumber: n });
      expect((await call(s.url, 'GET', CFA_PATH, { token, query: { userId: u(3) } })).json.forwardToPhoneNumber).toBe(n);
    }
  });

  it('answers a PUT in the same shape, and takes a number as a JSON number or as text', async () => {
    const put = await call(s.url, 'PUT', CFA_PATH, { token, body: { userId: u(4), isActive: true, forwardToPhoneNumber: 1509 } });
    expect(put.json).toMatchObject({ isActive: true, forwardToPhoneNumber: 1509, userId: u(4) });
    expect(s.getFields(CFA, u(4))!.forwardToPhoneNumber).toBe('1509');
    const cleared = await call(s.url, 'PUT', CFA_PATH, { token, body: { userId: u(4), forwardToPhoneNumber: null } });
    expect(cleared.status).toBe(200);
    expect(Object.keys(cleared.json)).not.toContain('forwardToPhoneNumber');
    expect(s.getFields(CFA, u(4))!.forwardToPhoneNumber).toBeNull();
  });

  it("leaves the user policy's unset media set and route overrides out, as Odin's sample does", async () => {
    s.setFields('user-call-processing-policy', u(5), { supportedMediaSetName: null, routeOverrideDomain: null, routeOverridePrefix: null });
    const res = await call(s.url, 'GET', POLICY, { token, query: { userId: u(5) } });
    for (const key of ['supportedMediaSetName', 'routeOverrideDomain', 'routeOverridePrefix']) expect(Object.keys(res.json)).not.toContain(key);
    expect(res.json).toMatchObject({ clidPolicy: expect.any(String), allowUserSelectionOfExternalCLIDPolicy: expect.any(Boolean) });
  });
});

describe("dialect 'nulls': every field, unset ones as null, numbers as text", () => {
  it('answers the stored state as it is', async () => {
    const { sim: s, token } = await sim({ users: 5, dialect: 'nulls' });
    s.setFields(CFA, u(1), { isActive: true, forwardToPhoneNumber: '4500', isRingSplashActive: false });
    s.setFields(CFA, u(2), { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false });
    expect((await call(s.url, 'GET', CFA_PATH, { token, query: { userId: u(1) } })).json).toEqual({ isActive: true, forwardToPhoneNumber: '4500', isRingSplashActive: false, userId: u(1) });
    expect((await call(s.url, 'GET', CFA_PATH, { token, query: { userId: u(2) } })).json).toEqual({ isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false, userId: u(2) });
  });
});

describe('release 22: fields of later releases are neither returned nor taken', () => {
  it.each(['odin', 'nulls'] as const)('%s dialect: the R24 policy fields are left out, and a PUT naming one is refused as unknown', async (dialect) => {
    const { sim: s, token } = await sim({ users: 5, release: 22, dialect });
    expect(s.release).toBe(22);
    const got = await call(s.url, 'GET', POLICY, { token, query: { userId: u(1) } });
    expect(got.status).toBe(200);
    for (const field of R24) expect(Object.keys(got.json)).not.toContain(field);
    expect(got.json).toMatchObject({ useUserCLIDSetting: expect.any(Boolean), allowMobileDNForRedirectingIdentity: expect.any(Boolean) });

    const before = s.getFields('user-call-processing-policy', u(1));
    const put = await call(s.url, 'PUT', POLICY, { token, body: { userId: u(1), useUserCLIDSetting: true, allowUserSelectionOfExternalCLIDPolicy: true } });
    expect(put.status).toBe(400);
    expect(put.json.details).toBe('Unknown field: allowUserSelectionOfExternalCLIDPolicy');
    expect(s.getFields('user-call-processing-policy', u(1))).toEqual(before);
    expect((await call(s.url, 'PUT', POLICY, { token, body: { userId: u(1), useUserCLIDSetting: true } })).status).toBe(200);
  });

  it('the latest release (the default) returns them', async () => {
    const { sim: s, token } = await sim({ users: 5 });
    expect(s.release).toBe(25);
    const got = await call(s.url, 'GET', POLICY, { token, query: { userId: u(1) } });
    for (const field of R24) expect(Object.keys(got.json)).toContain(field);
  });

  it('refuses a release the table does not model, and an unknown dialect', async () => {
    await expect(startSimulator({ release: 21 })).rejects.toThrow(/`release` to be an integer from 22 to 25, got `21`/);
    await expect(startSimulator({ release: 26 })).rejects.toThrow(/from 22 to 25/);
    await expect(startSimulator({ dialect: 'xml' as never })).rejects.toThrow(/`dialect` to be one of odin, nulls/);
  });
});

describe('unassigned services: a share of users lack a service, by seed', () => {
  const USERS = 400;
  let s: Simulator;
  let token: string;
  beforeAll(async () => ({ sim: s, token } = await sim({ users: USERS, seed: 9, unassigned: { 'call-recording': 0.1 } })));
  const lacking = (sim: Simulator) => sim.userIds().filter((id) => !sim.hasService(CR, id));

  it('about the share of users lack it, the same users for the same seed, others for another seed', async () => {
    const ids = lacking(s);
    expect(ids.length).toBeGreaterThan(USERS * 0.05);
    expect(ids.length).toBeLessThan(USERS * 0.15);
    const again = await startSimulator({ users: USERS, seed: 9, unassigned: { 'call-recording': 0.1 } });
    const other = await startSimulator({ users: USERS, seed: 10, unassigned: { 'call-recording': 0.1 } });
    try {
      expect(lacking(again)).toEqual(ids);
      expect(lacking(other)).not.toEqual(ids);
    } finally {
      await Promise.all([again.close(), other.close()]);
    }
  });

  it("their GET and PUT of the service answer 400 naming it, and change nothing; other users and services answer", async () => {
    const [without] = lacking(s);
    const withIt = s.userIds().find((id) => s.hasService(CR, id))!;
    const details = serviceNotAssigned('Call Recording', without!);
    expect(details).toContain('Call Recording');
    const got = await call(s.url, 'GET', CR_PATH, { token, query: { userId: without! } });
    expect(got.json).toEqual({ status: 400, error: 'Bad Request', details });
    const before = s.getFields(CR, without!);
    const put = await call(s.url, 'PUT', CR_PATH, { token, body: { userId: without, recordingOption: 'Always' } });
    expect(put.json).toEqual({ status: 400, error: 'Bad Request', details });
    expect(s.getFields(CR, without!)).toEqual(before);

    expect((await call(s.url, 'GET', CR_PATH, { token, query: { userId: withIt } })).status).toBe(200);
    expect((await call(s.url, 'GET', CFA_PATH, { token, query: { userId: without! } })).status).toBe(200);
    expect(s.hasService(CFA, without!)).toBe(true);
    expect(s.hasService('user-call-processing-policy', without!)).toBe(true);
  });

  it('refuses a feature without a service or an unknown one, and a share outside 0–1', async () => {
    await expect(startSimulator({ unassigned: { 'call-processing-policy': 0.5 } })).rejects.toThrow(/name a service's endpoint .*call-recording.*got `call-processing-policy`/);
    await expect(startSimulator({ unassigned: { 'call-recording': 1.5 } })).rejects.toThrow(/from 0 to 1/);
  });
});

describe('`odin-bulk simulate` takes the modes as flags (the commands of docs/simulator.md)', () => {

  const simulate = simulateCommands();

  it('odin-bulk simulate --users 200 --release 22 --unassigned call-recording:0.1', async () => {
    const { banner, url } = await simulate(['--users', '200', '--release', '22', '--unassigned', 'call-recording:0.1']);
    expect(banner).toMatch(/^Odin simulator listening on http:\/\/127\.0\.0\.1:\d+\/api\/v2 \(200 users in 4 groups\)\ndialect odin, BroadWorks R22, users without the service: call-recording 10%\n/);
    const token = await login(url);
    const policy = await call(url, 'GET', POLICY, { token, query: { userId: u(1) } });
    for (const field of R24) expect(Object.keys(policy.json)).not.toContain(field);
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => call(url, 'GET', CR_PATH, { token, query: { userId: u(i + 1) } }).then((r) => r.status)));
    expect(statuses).toContain(400);
    expect(statuses.filter((st) => st === 200).length).toBeGreaterThan(40);
  });

  it('odin-bulk simulate --dialect nulls', async () => {
    const { banner, url } = await simulate(['--dialect', 'nulls']);
    expect(banner).toMatch(/^dialect nulls, BroadWorks R25$/m);
    const policy = await call(url, 'GET', POLICY, { token: await login(url), query: { userId: u(1) } });
    expect(policy.json.supportedMediaSetName).toBeNull();
  });

  it('odin-bulk simulate --users 5000 --latency 40 --error-rate 0.02 --throttle-rate 0.01 --token-lifetime 300', async () => {
    const { banner, url } = await simulate(['--users', '5000', '--latency', '40', '--error-rate', '0.02', '--throttle-rate', '0.01', '--token-lifetime', '300']);
    expect(banner).toMatch(/\(5000 users in 100 groups\)\ndialect odin, BroadWorks R25\nexport ODIN_BASE_URL=/);
    const started = Date.now();
    const res = await call(url, 'POST', '/auth/token', { body: { username: 'admin', password: 'simulator' } });
    expect(res.status).toBe(200);
    const exp = JSON.parse(Buffer.from(String(res.json.token).split('.')[1]!, 'base64url').toString()) as { exp: number; iat?: number };
    expect(exp.exp * 1000 - started).toBeLessThanOrEqual(301_000);
  });

  it.each([
    [['--dialect', 'xml'], /--dialect: one of odin, nulls, got "xml"/],
    [['--release', '19'], /--release: a BroadWorks release from 22 to 25, e.g. 22, got 19/],
    [['--unassigned', 'call-recording'], /--unassigned: Expected SERVICE:SHARE with a share from 0 to 1/],
    [['--unassigned', 'call-processing-policy:0.5'], /--unassigned: "call-processing-policy" is not a service's endpoint; one of do-not-disturb, call-forwarding-always/],
    [['--latency', '-5'], /\n {2}--latency: must be an integer of 0 or more, got -5\n/],
    [['--error-rate', '2'], /\n {2}--error-rate: must be a number from 0 to 1, got 2\n/],
    [['--seed', 'abc'], /\n {2}--seed: must be an integer of -2147483648 or more, got text that is not a number\n/],
    [['--users', '-1'], /\n {2}--users: must be an integer of 0 or more, got -1\n/],
  ])('bad flags %j are input errors: exit 2, nothing started', async (flags, message) => {
    const { code, stderr: err } = await runCli(['simulate', ...flags]);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    // Said of the flag as typed, not of the simulator's option inside.
    expect(err).not.toMatch(/latencyMs|errorRate|NaN|`/);
  });
});
