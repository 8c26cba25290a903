import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { call, login, runCli, simulateCommands } from '../../kit/index.js';

// `odin-bulk simulate` with the service flags, as docs/simulator.md shows them.

const u = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;
const GROUP = { serviceProviderId: 'sim-sp', groupId: 'grp-01' };


const simulate = simulateCommands();

describe('odin-bulk simulate: services, licences and bulk reads', () => {
  it('odin-bulk simulate --unassigned call-recording:0.5 --licences call-recording=30 --licences sim-sp/grp-02:voice-messaging=0 --no-bulk', async () => {
    const { banner, url } = await simulate(['--unassigned', 'call-recording:0.5', '--licences', 'call-recording=30', '--licences', 'sim-sp/grp-02:voice-messaging=0', '--no-bulk']);
    expect(banner).toMatch(/^dialect odin, BroadWorks R25, users without the service: call-recording 50%, licences: call-recording=30, sim-sp\/grp-02:voice-messaging=0, bulk reads missing$/m);
    const token = await login(url);
    const grp1 = await call(url, 'GET', '/groups/services', { token, query: GROUP });
    const recording = grp1.json.userServices.find((e: any) => e.serviceName === 'Call Recording');
    expect(recording).toMatchObject({ authorized: true, quantity: 30, limited: 'Limited' });
    expect(recording.usage).toBeGreaterThan(10);
    expect(recording.usage).toBeLessThanOrEqual(30);
    const grp2 = await call(url, 'GET', '/groups/services', { token, query: { serviceProviderId: 'sim-sp', groupId: 'grp-02' } });
    expect(grp2.json.userServices.find((e: any) => e.serviceName === 'Voice Messaging User')).toMatchObject({ authorized: false, usage: 0 });
    expect((await call(url, 'GET', '/users/voice-messaging', { token, query: { userId: u(51) } })).status).toBe(400);
    expect((await call(url, 'GET', '/users/call-recording/bulk', { token, query: GROUP })).status).toBe(404);
    const listed = await call(url, 'GET', '/users/services', { token, query: { userId: u(1) } });
    expect(listed.json.userServices.map((e: any) => e.serviceName)).toContain('Call Recording');
  });

  it('odin-bulk simulate --bulk forbidden', async () => {
    const { banner, url } = await simulate(['--bulk', 'forbidden']);
    expect(banner).toMatch(/^dialect odin, BroadWorks R25, bulk reads forbidden$/m);
    expect((await call(url, 'GET', '/users/call-forwarding-always/bulk', { token: await login(url), query: GROUP })).status).toBe(403);
  });

  it('the login answer names the release it plays', async () => {
    const { url } = await simulate(['--release', '22']);
    const res = await call(url, 'POST', '/auth/token', { body: { username: 'admin', password: 'simulator' } });
    expect(res.json).toMatchObject({ version: 'sim', softwareVersion: 'R22' });
  });

  it.each([
    [['--licences', 'call-recordin=3'], /--licences: "call-recordin" is not a service, a service pack or a service's endpoint \(did you mean call-recording\?\)/],
    [['--licences', 'call-recording=some'], /--licences: Expected \[SP\/GROUP:\]SERVICE=N .* got "call-recording=some"/],
    [['--licences', 'sim-sp/grp-09:call-recording=1'], /a seeded group \(sp\/group\), got "sim-sp\/grp-09"/],
    [['--bulk', 'sometimes'], /--bulk: one of answer, missing, forbidden, got "sometimes"/],
  ])('bad flags %j are input errors: exit 2, nothing started', async (flags, message) => {
    const { code, stdout: out, stderr: err } = await runCli(['simulate', ...flags]);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toMatch(/^EINPUT: invalid simulator settings/);
    expect(err).toMatch(message);
  });
});

describe('the simulator is a witness apart from the tool', () => {
  it('nothing in src/simulator/ imports the tool: only model/errors.ts, a shell quoting helper and the reading of a number flag, for the CLI', async () => {
    const dir = new URL('../../../src/simulator/', import.meta.url);
    const outside: string[] = [];
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.ts'))) {
      const text = await readFile(join(dir.pathname, file), 'utf8');
      for (const [, from] of text.matchAll(/from '(\.\.\/[^']+)'/g)) outside.push(`${file}: ${from}`);
    }
    expect(outside.sort()).toEqual(['simulate-command.ts: ../model/errors.js', 'simulate-command.ts: ../util/decimal.js', 'simulate-command.ts: ../util/shell-quote.js']);
  });
});
