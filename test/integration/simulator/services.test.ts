import { describe, expect, it } from '@jest/globals';
import {
  serviceLimitReached,
  serviceNotAssigned,
  serviceNotAuthorized,
  startSimulator,
  unknownService,
  type Simulator,
  type SimulatorOptions,
} from '../../../src/simulator/simulator.js';
import { call, login, odinSample, simulators } from '../../kit/index.js';

// The simulator's service model (issue 13 §3): GET/PUT /users/services, /users/services/assigned, GET
// /groups/services, licences, and the settings endpoints tied to their service.

const u = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;
const CR = 'user-call-recording';
const CR_PATH = '/users/call-recording';
const VM_PATH = '/users/voice-messaging';
const sample = async (file: string) => odinSample(file);
const keys = (o: object) => Object.keys(o).sort();

/** The BroadWorks defaults a newly assigned Call Recording starts from (UserCallRecordingModifyRequest). */
const CALL_RECORDING_DEFAULTS = {
  recordingOption: 'Never',
  pauseResumeNotification: 'None',
  enableCallRecordingAnnouncement: false,
  enableRecordCallRepeatWarningTone: false,
  recordCallRepeatWarningToneTimerSeconds: 15,
  enableVoiceMailRecording: false,
};

const start = simulators();
async function sim(options: SimulatorOptions): Promise<{ s: Simulator; token: string }> {
  const s = await start(options);
  return { s, token: await login(s.url) };
}

const assign = (s: Simulator, token: string, userId: string, userServices: unknown[], servicePackServices?: unknown[]) =>
  call(s.url, 'PUT', '/users/services', { token, body: { userId, userServices, ...(servicePackServices ? { servicePackServices } : {}) } });
const services = (s: Simulator, token: string, userId: string) => call(s.url, 'GET', '/users/services', { token, query: { userId } });
const flag = (body: any, name: string) => body.userServices.find((e: any) => e.serviceName === name)?.assigned;

describe('GET /users/services: the shape of Odin\'s documented answer', () => {
  it('lists every service and pack with `assigned`, keys as in get-user-services.json', async () => {
    const { s, token } = await sim({ users: 4 });
    const doc = await sample('get-user-services.json');
    const res = await services(s, token, u(1));
    expect(res.status).toBe(200);
    expect(keys(res.json)).toEqual(keys(doc));
    expect(keys(res.json.userServices[0])).toEqual(keys(doc.userServices[0]));
    expect(keys(res.json.servicePackServices[0])).toEqual(keys(doc.servicePackServices[0]));
    expect(res.json).toMatchObject({ userId: u(1), serviceProviderId: 'sim-sp', groupId: 'grp-01' });
    for (const name of ['Call Forwarding Always', 'Call Forwarding Busy', 'Call Forwarding No Answer', 'Call Forwarding Not Reachable', 'Call Recording', 'Do Not Disturb', 'Voice Messaging User']) {
      expect({ name, assigned: flag(res.json, name) }).toEqual({ name, assigned: true });
    }
    expect(res.json.servicePackServices.every((p: any) => p.assigned === false)).toBe(true);
  });

  it('answers 404 for a user that does not exist and 400 without userId', async () => {
    const { s, token } = await sim({ users: 2 });
    expect((await services(s, token, u(9))).json).toEqual({ status: 404, error: 'Not Found', details: `User not found: ${u(9)}` });
    expect((await call(s.url, 'GET', '/users/services', { token })).status).toBe(400);
  });
});

describe('--unassigned and the service model are one mechanism', () => {
  it('a user lacking the service is listed with assigned: false, and its settings answer 400 naming it', async () => {
    const { s, token } = await sim({ users: 60, seed: 3, unassigned: { 'call-recording': 0.5 } });
    let lacking = 0;
    for (let i = 1; i <= 60; i++) {
      const listed = flag((await services(s, token, u(i))).json, 'Call Recording');
      const settings = await call(s.url, 'GET', CR_PATH, { token, query: { userId: u(i) } });
      expect({ user: i, listed, settings: settings.status }).toEqual({ user: i, listed: settings.status === 200, settings: listed ? 200 : 400 });
      if (!listed) {
        lacking++;
        expect(settings.json.details).toBe(serviceNotAssigned('Call Recording', u(i)));
        expect(s.getFields(CR, u(i))).toBeUndefined();
      }
    }
    expect(lacking).toBeGreaterThan(15);
    expect(lacking).toBeLessThan(45);
  });
});

describe('PUT /users/services', () => {
  it('assigning makes the settings readable from BroadWorks defaults; unassigning removes them; assigning again starts over', async () => {
    const { s, token } = await sim({ users: 40, seed: 5, unassigned: { 'call-recording': 1 } });
    const user = u(7);
    expect((await call(s.url, 'GET', CR_PATH, { token, query: { userId: user } })).status).toBe(400);

    const put = await assign(s, token, user, [{ serviceName: 'Call Recording', assigned: true }]);
    expect(put.status).toBe(200);
    expect(flag(put.json, 'Call Recording')).toBe(true);
    expect(flag((await services(s, token, user)).json, 'Call Recording')).toBe(true);
    const fresh = await call(s.url, 'GET', CR_PATH, { token, query: { userId: user } });
    expect(fresh.json).toEqual({ ...CALL_RECORDING_DEFAULTS, userId: user });

    expect((await call(s.url, 'PUT', CR_PATH, { token, body: { userId: user, recordingOption: 'Always' } })).status).toBe(200);
    expect(s.getFields(CR, user)!.recordingOption).toBe('Always');

    expect((await assign(s, token, user, [{ serviceName: 'Call Recording', assigned: false }])).status).toBe(200);
    const gone = await call(s.url, 'GET', CR_PATH, { token, query: { userId: user } });
    expect(gone.json.details).toBe(serviceNotAssigned('Call Recording', user));
    expect((await call(s.url, 'PUT', CR_PATH, { token, body: { userId: user, recordingOption: 'Always' } })).status).toBe(400);
    expect(s.getFields(CR, user)).toBeUndefined();
    expect(s.hasService(CR, user)).toBe(false);

    await assign(s, token, user, [{ serviceName: 'Call Recording', assigned: true }]);
    expect((await call(s.url, 'GET', CR_PATH, { token, query: { userId: user } })).json).toEqual({ ...CALL_RECORDING_DEFAULTS, userId: user });
  });

  it('a seeded user who had the service keeps its settings until it is unassigned', async () => {
    const { s, token } = await sim({ users: 4 });
    await call(s.url, 'PUT', CR_PATH, { token, body: { userId: u(2), recordingOption: 'On Demand' } });
    await assign(s, token, u(2), [{ serviceName: 'Call Recording', assigned: true }, { serviceName: 'Call Waiting', assigned: false }]);
    expect(s.getFields(CR, u(2))!.recordingOption).toBe('On Demand');
    expect(s.assignedServices(u(2))!.services).not.toContain('Call Waiting');
  });

  it('refuses an unknown service or pack with a 400 that names it, and changes nothing (all or nothing)', async () => {
    const { s, token } = await sim({ users: 4, unassigned: { 'call-recording': 1 } });
    const before = s.assignedServices(u(1));
    const res = await assign(s, token, u(1), [{ serviceName: 'Call Recording', assigned: true }, { serviceName: 'Call Recordin', assigned: true }], [{ serviceName: 'NO-SUCH-PACK', assigned: true }]);
    expect(res.json).toEqual({ status: 400, error: 'Bad Request', details: `${unknownService('Call Recordin', false)}; ${unknownService('NO-SUCH-PACK', true)}` });
    expect(res.json.details).toBe('Service not found: Call Recordin; Service pack not found: NO-SUCH-PACK');
    expect(s.assignedServices(u(1))).toEqual(before);
    expect(s.hasService(CR, u(1))).toBe(false);
  });

  it('refuses a body that is not the documented shape, naming each problem', async () => {
    const { s, token } = await sim({ users: 2 });
    const bad = await call(s.url, 'PUT', '/users/services', { token, body: { userId: u(1), userServices: [{ serviceName: 'Call Waiting', assigned: 'yes' }, {}], servicePackServices: 'SIM-VM' } });
    expect(bad.json.details).toBe('userServices[0]: assigned must be true or false; userServices[1]: serviceName is required; servicePackServices must be a list of {serviceName, assigned}');
    expect((await call(s.url, 'PUT', '/users/services', { token, body: { userServices: [] } })).json.details).toBe('Missing required field: userId');
    expect((await assign(s, token, u(5), [])).status).toBe(404);
  });

  it("a service pack gives its services: the pack's holder reads their settings, and loses them with the pack", async () => {
    const { s, token } = await sim({ users: 4, unassigned: { 'call-recording': 1 } });
    const put = await assign(s, token, u(3), [], [{ serviceName: 'SIM-REC', assigned: true }]);
    expect(put.status).toBe(200);
    expect(put.json.servicePackServices.find((p: any) => p.serviceName === 'SIM-REC').assigned).toBe(true);
    expect(flag(put.json, 'Call Recording')).toBe(false); // not assigned by name
    expect((await call(s.url, 'GET', CR_PATH, { token, query: { userId: u(3) } })).json).toEqual({ ...CALL_RECORDING_DEFAULTS, userId: u(3) });
    await assign(s, token, u(3), [], [{ serviceName: 'SIM-REC', assigned: false }]);
    expect((await call(s.url, 'GET', CR_PATH, { token, query: { userId: u(3) } })).status).toBe(400);
  });
});

describe('GET /users/services/assigned', () => {
  it('lists the services the user holds, with isActive where the settings have one, as get-user-services-assigned.json', async () => {
    const { s, token } = await sim({ users: 4, unassigned: { 'call-recording': 1 } });
    s.setFields('user-do-not-disturb', u(1), { isActive: true });
    s.setFields('user-call-forwarding-always', u(1), { isActive: false });
    const res = await call(s.url, 'GET', '/users/services/assigned', { token, query: { userId: u(1) } });
    expect(keys(res.json)).toEqual(keys(await sample('get-user-services-assigned.json')));
    const byName = Object.fromEntries(res.json.userServices.map((e: any) => [e.serviceName, e]));
    expect(byName['Do Not Disturb']).toEqual({ serviceName: 'Do Not Disturb', isActive: true });
    expect(byName['Call Forwarding Always']).toEqual({ serviceName: 'Call Forwarding Always', isActive: false });
    expect(byName['Call Waiting']).toEqual({ serviceName: 'Call Waiting' });
    expect(byName['Call Recording']).toBeUndefined();
  });
});

describe('GET /groups/services and --licences: authorisation, quantity, usage', () => {
  const groupServices = (s: Simulator, token: string, groupId: string) =>
    call(s.url, 'GET', '/groups/services', { token, query: { serviceProviderId: 'sim-sp', groupId } });
  const row = (body: any, name: string) => body.userServices.find((e: any) => e.serviceName === name);

  it('answers in the shape of get-group-services.json; usage counts the group\'s users holding the service', async () => {
    const { s, token } = await sim({ users: 30, groupSize: 20, seed: 4, unassigned: { 'call-recording': 0.5 } });
    const doc = await sample('get-group-services.json');
    const res = await groupServices(s, token, 'grp-01');
    for (const key of keys(doc).filter((k) => k !== 'resellerId')) expect(keys(res.json)).toContain(key);
    expect(keys(row(res.json, 'Call Recording'))).toEqual(keys(doc.userServices[0]));
    let holders = 0;
    for (let i = 1; i <= 20; i++) if ((await call(s.url, 'GET', CR_PATH, { token, query: { userId: u(i) } })).status === 200) holders++;
    expect(row(res.json, 'Call Recording')).toMatchObject({ authorized: true, assigned: true, limited: 'Unlimited', quantity: -1, allowed: -1, usage: holders });
    expect(row(res.json, 'Do Not Disturb').usage).toBe(20);
    expect(row((await groupServices(s, token, 'grp-02')).json, 'Do Not Disturb').usage).toBe(10);

    const without = Array.from({ length: 20 }, (_, i) => u(i + 1)).find((id) => !s.hasService(CR, id))!;
    await assign(s, token, without, [{ serviceName: 'Call Recording', assigned: true }]);
    expect(row((await groupServices(s, token, 'grp-01')).json, 'Call Recording').usage).toBe(holders + 1);
    expect((await groupServices(s, token, 'grp-09')).status).toBe(404);
    expect((await call(s.url, 'GET', '/groups/services', { token, query: { serviceProviderId: 'sim-sp' } })).status).toBe(400);
  });

  it('a limited service: the first users hold it, an assignment past the quantity is refused, a freed one can be given', async () => {
    const { s, token } = await sim({ users: 10, groupSize: 10, licences: { 'call-recording': 3 } });
    const res = await groupServices(s, token, 'grp-01');
    expect(row(res.json, 'Call Recording')).toMatchObject({ authorized: true, limited: 'Limited', quantity: 3, allowed: 3, usage: 3 });
    const statuses = [];
    for (let i = 1; i <= 10; i++) statuses.push((await call(s.url, 'GET', CR_PATH, { token, query: { userId: u(i) } })).status);
    expect(statuses).toEqual([200, 200, 200, 400, 400, 400, 400, 400, 400, 400]);

    const refused = await assign(s, token, u(4), [{ serviceName: 'Call Recording', assigned: true }]);
    expect(refused.json).toEqual({ status: 400, error: 'Bad Request', details: serviceLimitReached('Call Recording', 'sim-sp/grp-01', 3) });
    expect(s.hasService(CR, u(4))).toBe(false);
    expect((await assign(s, token, u(1), [{ serviceName: 'Call Recording', assigned: false }])).status).toBe(200);
    expect((await assign(s, token, u(4), [{ serviceName: 'Call Recording', assigned: true }])).status).toBe(200);
    expect(row((await groupServices(s, token, 'grp-01')).json, 'Call Recording').usage).toBe(3);
  });

  it('a group not authorised for a service: its users do not hold it, it is not in their list, and assigning it is refused', async () => {
    const { s, token } = await sim({ users: 4, groupSize: 2, licences: { 'sim-sp/grp-02:Voice Messaging User': 0 } });
    const grp2 = await groupServices(s, token, 'grp-02');
    expect(row(grp2.json, 'Voice Messaging User')).toMatchObject({ authorized: false, assigned: false, usage: 0 });
    expect(row((await groupServices(s, token, 'grp-01')).json, 'Voice Messaging User')).toMatchObject({ authorized: true, usage: 2 });
    expect((await call(s.url, 'GET', VM_PATH, { token, query: { userId: u(3) } })).json.details).toBe(serviceNotAssigned('Voice Messaging User', u(3)));
    expect((await call(s.url, 'GET', VM_PATH, { token, query: { userId: u(1) } })).status).toBe(200);
    expect(flag((await services(s, token, u(3))).json, 'Voice Messaging User')).toBeUndefined();
    const put = await assign(s, token, u(3), [{ serviceName: 'Voice Messaging User', assigned: true }]);
    expect(put.json.details).toBe(serviceNotAuthorized('Voice Messaging User', 'sim-sp/grp-02'));
  });

  it('a service pack\'s quantity counts its holders', async () => {
    const { s, token } = await sim({ users: 4, groupSize: 4, licences: { 'SIM-VM': 1 } });
    expect((await assign(s, token, u(1), [], [{ serviceName: 'SIM-VM', assigned: true }])).status).toBe(200);
    const second = await assign(s, token, u(2), [], [{ serviceName: 'SIM-VM', assigned: true }]);
    expect(second.json.details).toBe(serviceLimitReached('SIM-VM', 'sim-sp/grp-01', 1));
    const pack = (await groupServices(s, token, 'grp-01')).json.servicePackServices.find((p: any) => p.serviceName === 'SIM-VM');
    expect(pack).toMatchObject({ authorized: true, quantity: 1, usage: 1, description: 'Voice messaging' });
  });

  it('refuses licences it cannot place, with a TypeError naming the option', async () => {
    await expect(startSimulator({ licences: { 'call-recordin': 3 } })).rejects.toThrow(/`licences` to name a service, a service pack or a service's endpoint, got `call-recordin`/);
    await expect(startSimulator({ licences: { 'sim-sp/grp-77:call-recording': 3 } })).rejects.toThrow(/a seeded group \(sp\/group\), got `sim-sp\/grp-77`/);
    await expect(startSimulator({ licences: { 'call-recording': 2.5 } })).rejects.toThrow(/-1 \(unlimited\), 0 \(not authorised\) or a quantity, got `2.5`/);
  });
});
