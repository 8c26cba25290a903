import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createOdinClient, type OdinClient } from '../../../src/client/odin-client.js';
import { parseBulkSettings } from '../../../src/client/parse-bulk-settings.js';
import { parseUserList } from '../../../src/client/parse-user-list.js';
import { parseGroupServices } from '../../../src/client/parse-group-services.js';
import { parseUserServices } from '../../../src/client/parse-user-services.js';
import { Secrets } from '../../../src/logging/secrets.js';
import { checkRow } from '../../../src/manifest/check-row.js';
import { readCell } from '../../../src/manifest/unescape-cell.js';
import { readLiveFields } from '../../../src/operations/live-values.js';
import { findOperation, OPERATIONS } from '../../../src/operations/registry.js';
import { readGroupInBulk, withPrefetched } from '../../../src/sources/group-bulk-read.js';
import { readCompareWrite } from '../../../src/steps/read-compare-write.js';
import { FIXTURES } from '../../kit/index.js';

/**
 * Odin's answers as its documentation prints them (test/fixtures/odin-samples/, copied unchanged from
 * ../shared/odin-samples/), read by the tool. The per-user answers come over HTTP, byte for byte, from a server this
 * test starts, through the real client: what a run, a plan and an export see.
 */
const SAMPLES = join(FIXTURES, 'odin-samples');
const sample = (file: string) => readFile(join(SAMPLES, file), 'utf8');
const json = async (file: string) => JSON.parse(await sample(file)) as unknown;
const op = (name: string) => findOperation(name)!;

/** Which sample answers which request of the fake Odin. */
const SERVED: Record<string, string> = {
  'GET /api/v2/users/call-forwarding-always': 'get-user-call-forwarding-always.json',
  'GET /api/v2/users/call-forwarding-busy': 'get-user-call-forwarding-busy.json',
  'GET /api/v2/users/call-forwarding-no-answer': 'get-user-call-forwarding-no-answer.json',
  'GET /api/v2/users/call-forwarding-not-reachable': 'get-user-call-forwarding-not-reachable.json',
  'GET /api/v2/users/do-not-disturb': 'get-user-do-not-disturb.json',
  // Odin documents no GET of the policy; the PUT's answer is the whole policy, so it stands for both.
  'GET /api/v2/users/call-processing-policy': 'put-user-call-processing-policy.json',
  'PUT /api/v2/users/call-processing-policy': 'put-user-call-processing-policy.json',
  'GET /api/v2/users/call-forwarding-always/bulk': 'get-bulk-call-forwarding-always.json',
  'GET /api/v2/users/call-forwarding-no-answer/bulk': 'get-bulk-call-forwarding-no-answer.json',
};

let server: Server;
let client: OdinClient;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = `${req.method} ${(req.url ?? '').split('?')[0]}`;
    seen.push(route);
    req.resume();
    req.on('end', async () => {
      if (route === 'POST /api/v2/auth/token') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"sample-token"}');
        return;
      }
      const file = SERVED[route];
      if (!file) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"status":404,"error":"Not Found","details":"no sample"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(await sample(file));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = createOdinClient({ baseUrl: `http://127.0.0.1:${port}/api/v2`, username: 'u', password: 'sample-password', rate: 0, retries: 0, timeoutMs: 5000 }, { secrets: new Secrets() });
  await client.start();
});
afterAll(async () => {
  client.close();
  await new Promise((resolve) => server.close(resolve));
});

const track = () => ({ requests: 0, retries: 0 });
const key = { userId: '4001@pdomain.com' };
/**
 * The user each sample is about: a GET is answered with its sample, and an answer naming another userId than the
 * one asked for is refused (it is not that user's settings), so each is read with its own sample's user.
 */
const KEYS: Record<string, { userId: string }> = {
  'user-call-forwarding-always': key,
  'user-call-forwarding-busy': key,
  'user-call-forwarding-no-answer': { userId: '4001@domain.com' },
  'user-call-forwarding-not-reachable': { userId: '4001@domain.com' },
  'user-do-not-disturb': { userId: '9709580001@microv-works.com' },
  'user-call-processing-policy': { userId: 'userID@domain.com' },
};
/** A manifest row as `run` gets it from a CSV cell, e.g. forwardToPhoneNumber `4500` or `null`. */
const csvRow = (opName: string, cells: Record<string, string>, rowKey: { userId: string } = KEYS[opName] ?? key) => {
  const read = Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, readCell(v)]));
  const checked = checkRow({ line: 2, cells: { ...rowKey, ...read } }, op(opName), {}, 'users.csv');
  if (!checked.row) throw new Error(JSON.stringify(checked.problems));
  return checked.row;
};

describe("per-user answers, through the client (GET, then compare as a run does)", () => {
  it('call forwarding always: the number comes as a JSON number (4500) and equals the manifest cell 4500', async () => {
    expect(await client.read(op('user-call-forwarding-always'), key, track())).toEqual({ isActive: true, forwardToPhoneNumber: '4500', isRingSplashActive: false });
    const result = await readCompareWrite({ op: op('user-call-forwarding-always'), write: false, strictGates: false })(csvRow('user-call-forwarding-always', { forwardToPhoneNumber: '4500', isActive: 'true' }), { client });
    expect(result).toMatchObject({ status: 'unchanged', before: { forwardToPhoneNumber: '4500', isActive: true }, changed: [] });
  });

  it('busy and not reachable: a field of another type in the documentation (a copy slip) is not read', async () => {
    expect(await client.read(op('user-call-forwarding-busy'), KEYS['user-call-forwarding-busy']!, track())).toEqual({ isActive: true, forwardToPhoneNumber: '4500' });
    expect(await client.read(op('user-call-forwarding-not-reachable'), KEYS['user-call-forwarding-not-reachable']!, track())).toEqual({ isActive: true, forwardToPhoneNumber: '1234' });
  });

  it('no answer: number and rings', async () => {
    expect(await client.read(op('user-call-forwarding-no-answer'), KEYS['user-call-forwarding-no-answer']!, track())).toEqual({ isActive: true, forwardToPhoneNumber: '1234', numberOfRings: 5 });
  });

  it('do not disturb', async () => {
    expect(await client.read(op('user-do-not-disturb'), KEYS['user-do-not-disturb']!, track())).toEqual({ isActive: true, ringSplash: true });
  });

  it('call processing policy: no supportedMediaSetName or routeOverride* key reads as null; a manifest asking for null is unchanged', async () => {
    const policy = op('user-call-processing-policy');
    const live = await client.read(policy, KEYS[policy.name]!, track());
    expect(live).toMatchObject({ supportedMediaSetName: null, routeOverrideDomain: null, routeOverridePrefix: null, maxCallTimeForAnsweredCallsMinutes: 1440, clidPolicy: 'Use DN' });
    // The sample predates R24: its two fields are not returned, so they are absent, never taken as false or null.
    expect(Object.keys(live)).not.toContain('allowUserSelectionOfExternalCLIDPolicy');
    expect(Object.keys(live)).not.toContain('allowUserConfigurableCLIDModification');
    const result = await readCompareWrite({ op: policy, write: false, strictGates: false })(csvRow('user-call-processing-policy', { supportedMediaSetName: 'null', routeOverrideDomain: 'null', clidPolicy: 'Use DN' }), { client });
    expect(result).toMatchObject({ status: 'unchanged', before: { supportedMediaSetName: null, routeOverrideDomain: null, clidPolicy: 'Use DN' } });
  });

  it("call processing policy: the PUT's answer is read the same way, so the update verifies", async () => {
    const policy = op('user-call-processing-policy');
    const { settings: answered } = await client.write(policy, KEYS[policy.name]!, { useUserCLIDSetting: false }, track());
    const expected = JSON.parse(await sample('put-user-call-processing-policy.json')) as Record<string, unknown>;
    delete expected.userId;
    expect(answered).toEqual({ ...expected, supportedMediaSetName: null, routeOverrideDomain: null, routeOverridePrefix: null });
    expect(seen).toContain('PUT /api/v2/users/call-processing-policy');
  });
});

describe('group-wide answers (the bulk read, issue 10 §7): parseBulkSettings', () => {
  it('call forwarding always: users without a number read as null', async () => {
    expect(parseBulkSettings(op('user-call-forwarding-always'), await json('get-bulk-call-forwarding-always.json'))).toEqual([
      { userId: '9709580001@domain.com', assigned: true, serviceName: 'Call Forwarding Always', fields: { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false } },
      { userId: '9709580002@domain.com', assigned: true, serviceName: 'Call Forwarding Always', fields: { isActive: false, forwardToPhoneNumber: null, isRingSplashActive: false } },
    ]);
  });

  it('call forwarding no answer: numbers as digits, and the users without the service are told apart', async () => {
    const items = parseBulkSettings(op('user-call-forwarding-no-answer'), await json('get-bulk-call-forwarding-no-answer.json'))!;
    expect(items.slice(0, 2).map((i) => i.fields)).toEqual([
      { isActive: true, forwardToPhoneNumber: '5133334444', numberOfRings: 4 },
      { isActive: true, forwardToPhoneNumber: '5133334444', numberOfRings: 4 },
    ]);
    expect(items.slice(2)).toEqual([
      { userId: '9709580003@domain.com', assigned: false, serviceName: 'Call Forwarding No Answer' },
      { userId: '9709580004@domain.com', assigned: false, serviceName: 'Call Forwarding No Answer' },
      { userId: '9709580005@domain', assigned: false, serviceName: 'Call Forwarding No Answer' },
    ]);
  });

  it('an assigned user whose data holds none of the fields gets no values (its own GET reads it instead)', () => {
    const item = { service: { assigned: true }, user: { userId: 'u@d' }, data: { userId: 'u@d' } };
    expect(parseBulkSettings(op('user-call-forwarding-always'), [item])).toEqual([{ userId: 'u@d', assigned: true }]);
  });

  it('through the client and a plan step: one GET for the group, the rows compared and NOT_ASSIGNED without another request', async () => {
    const cfna = op('user-call-forwarding-no-answer');
    const group = { serviceProviderId: 'test.mock', groupId: 'test.mock.grp1' };
    const ids = ['9709580001@domain.com', '9709580002@domain.com', '9709580003@domain.com'];
    seen.length = 0;
    const read = await readGroupInBulk(client, cfna, group, ids);
    expect(seen).toEqual(['GET /api/v2/users/call-forwarding-no-answer/bulk']);
    const step = readCompareWrite({ op: cfna, write: false, strictGates: false });
    const row = (userId: string, cells: Record<string, string>) => withPrefetched({ ...csvRow('user-call-forwarding-no-answer', cells), key: { userId }, id: userId }, read);
    expect(await step(row(ids[0]!, { isActive: 'true', forwardToPhoneNumber: '5133334444', numberOfRings: '4' }), { client })).toMatchObject({
      status: 'unchanged',
      before: { isActive: true, forwardToPhoneNumber: '5133334444', numberOfRings: 4 },
      requests: 0,
    });
    expect(await step(row(ids[1]!, { forwardToPhoneNumber: 'null' }), { client })).toMatchObject({ status: 'planned', changed: ['forwardToPhoneNumber'], requests: 0 });
    const unassigned = await step(row(ids[2]!, { isActive: 'false' }), { client });
    expect(unassigned).toMatchObject({ status: 'failed', errorCode: 'NOT_ASSIGNED', before: null, requests: 0 });
    expect(seen).toHaveLength(1);
  });

  it('call forwarding always through the client: the group read as its answer lists it', async () => {
    const items = await client.readGroup(op('user-call-forwarding-always'), { serviceProviderId: 'sp', groupId: 'g' });
    expect(items.map((i) => [i.userId, i.assigned, i.fields?.forwardToPhoneNumber])).toEqual([
      ['9709580001@domain.com', true, null],
      ['9709580002@domain.com', true, null],
    ]);
  });

  it('anything else is not a bulk answer', () => {
    const cfa = op('user-call-forwarding-always');
    expect(parseBulkSettings(cfa, {})).toBeUndefined();
    expect(parseBulkSettings(cfa, [{ user: { userId: 'u' }, data: {} }])).toBeUndefined();
    expect(parseBulkSettings(cfa, [{ service: { assigned: 'yes' }, user: { userId: 'u' }, data: {} }])).toBeUndefined();
  });
});

describe('the settings of every service in one answer (PUT /users/services/settings), read by readLiveFields', () => {
  it("has a section for each operation's service, named as the operation names it", async () => {
    const settings = (await json('put-user-service-settings.json')) as Record<string, unknown>;
    for (const o of OPERATIONS.filter((x) => x.service)) expect(Object.keys(settings)).toContain(o.service);
  });

  it('reads each section as Odin means it: unset values are absent, numbers are JSON numbers', async () => {
    const s = (await json('put-user-service-settings.json')) as Record<string, Record<string, unknown>>;
    expect(readLiveFields(op('user-call-forwarding-always'), s['Call Forwarding Always']!)).toEqual({ isActive: false, forwardToPhoneNumber: '1234', isRingSplashActive: false });
    expect(readLiveFields(op('user-call-forwarding-busy'), s['Call Forwarding Busy']!)).toEqual({ isActive: false, forwardToPhoneNumber: null });
    expect(readLiveFields(op('user-call-forwarding-no-answer'), s['Call Forwarding No Answer']!)).toEqual({ isActive: false, forwardToPhoneNumber: '12314', numberOfRings: 2 });
    expect(readLiveFields(op('user-call-forwarding-not-reachable'), s['Call Forwarding Not Reachable']!)).toEqual({ isActive: false, forwardToPhoneNumber: null });
    expect(readLiveFields(op('user-do-not-disturb'), s['Do Not Disturb']!)).toEqual({ isActive: false, ringSplash: false });
    expect(readLiveFields(op('user-call-recording'), s['Call Recording']!)).toEqual({
      recordingOption: 'Never',
      pauseResumeNotification: 'None',
      enableCallRecordingAnnouncement: false,
      enableRecordCallRepeatWarningTone: false,
      recordCallRepeatWarningToneTimerSeconds: 15,
      enableVoiceMailRecording: false,
    });
    // Voice messaging nests its basic settings under the same name.
    const vm = readLiveFields(op('user-voice-messaging'), (s['Voice Messaging User'] as Record<string, Record<string, unknown>>)['Voice Messaging User']!);
    expect(vm).toEqual({
      isActive: false,
      processing: 'Unified Voice and Email Messaging',
      voiceMessageDeliveryEmailAddress: 'mreverman@parkbenchsolutions.com',
      usePhoneMessageWaitingIndicator: true,
      sendVoiceMessageNotifyEmail: false,
      voiceMessageNotifyEmailAddress: null,
      sendCarbonCopyVoiceMessage: false,
      voiceMessageCarbonCopyEmailAddress: null,
      transferOnZeroToPhoneNumber: false,
      transferPhoneNumber: null,
      alwaysRedirectToVoiceMail: false,
      busyRedirectToVoiceMail: true,
      noAnswerRedirectToVoiceMail: true,
      outOfPrimaryZoneRedirectToVoiceMail: false,
    });
  });
});

describe('users and services', () => {
  it('a user profile (GET /users?userId=) and the bulk items\' users are read by the user list parser', async () => {
    expect(parseUserList([await json('get-user-by-id.json')])).toEqual(['testdept@lab.tekvoice.net']);
    const bulk = (await json('get-bulk-call-forwarding-no-answer.json')) as Array<{ user: unknown }>;
    expect(parseUserList(bulk.map((i) => i.user))).toEqual(['9709580001@domain.com', '9709580002@domain.com', '9709580003@domain.com', '9709580004@domain.com', '9709580005@domain']);
  });

  it("a user's services (GET /users/services, /users/services/assigned): assigned or not", async () => {
    expect(parseUserServices(await json('get-user-services.json'))).toEqual({
      assigned: [],
      notAssigned: ['Call Forwarding Not Reachable'],
      packs: {
        assigned: ['SIP-DID'],
        notAssigned: ['WBX-CCPNA-CG', 'WBX-B', 'House-FE', 'House-F', 'Admin-A', 'House-M', 'House-H', 'House-MP', 'Admin-AS'],
      },
      // The user's group, as the answer names it: where the user-services licence check finds it.
      group: { serviceProviderId: 'TestGroup', groupId: 'Test' },
    });
    expect(parseUserServices(await json('get-user-services-assigned.json'))).toEqual({
      assigned: ['Authentication', 'Basic Call Logs', 'Call Waiting', 'External Calling Line ID Delivery', 'Internal Calling Line ID Delivery'],
      notAssigned: [],
      packs: { assigned: [], notAssigned: [] },
    });
    expect(parseUserServices({ userServices: [{ assigned: true }] })).toBeUndefined();
  });

  it("a group's licences (GET /groups/services): authorised, quantity (-1 = unlimited) and usage per service", async () => {
    const group = parseGroupServices(await json('get-group-services.json'))!;
    expect(group.services.size).toBe(9);
    expect(group.services.get('Call Forwarding No Answer')).toEqual({ authorized: false, quantity: -1, usage: 0 });
    expect(group.packs.size).toBe(0);
    expect(parseGroupServices({ userServices: [{ serviceName: 'Call Recording', authorized: true, limited: 'Limited', quantity: 10, usage: 4 }] })!.services.get('Call Recording')).toEqual({
      authorized: true,
      quantity: 10,
      usage: 4,
    });
    expect(parseGroupServices({ servicePackServices: [] })).toBeUndefined();
  });
});

describe('every sample is accounted for', () => {
  /** How each sample is read above; the ones no part of odin-bulk reads (no operation uses them) say so. */
  const READ_BY: Record<string, string> = {
    'README.md': 'the description of the samples',
    'get-user-call-forwarding-always.json': 'client.read',
    'get-user-call-forwarding-busy.json': 'client.read',
    'get-user-call-forwarding-no-answer.json': 'client.read',
    'get-user-call-forwarding-not-reachable.json': 'client.read',
    'get-user-do-not-disturb.json': 'client.read',
    'put-user-call-processing-policy.json': 'client.read and client.write',
    'get-bulk-call-forwarding-always.json': 'parseBulkSettings, client.readGroup',
    'get-bulk-call-forwarding-no-answer.json': 'parseBulkSettings, client.readGroup and a plan step, parseUserList',
    'put-user-service-settings.json': 'readLiveFields per service',
    'get-user-by-id.json': 'parseUserList',
    'get-user-services.json': 'parseUserServices',
    'get-user-services-assigned.json': 'parseUserServices',
    'get-user-portal-passcode.json': 'NOT READ: odin-bulk has no portal passcode operation',
    'get-group-services.json': 'parseGroupServices (the user-services licence check)',
    'get-group-services-assigned.json': 'NOT READ: odin-bulk does not read who has a group service',
  };

  it('the fixture folder holds exactly the samples listed here', async () => {
    expect((await readdir(SAMPLES)).sort()).toEqual(Object.keys(READ_BY).sort());
  });
});
