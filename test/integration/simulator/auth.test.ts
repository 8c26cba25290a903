import { describe, expect, it } from '@jest/globals';
import { call, login, POLICY, withSimulator } from '../../kit/index.js';

const T0 = Date.UTC(2025, 0, 1);
const USER = 'user00001@sim.odin.test';

describe('simulator auth', () => {
  const sim = withSimulator({ now: () => clock, tokenLifetimeSeconds: 60, username: 'ops', password: 'pw 1' });
  let clock = T0;


  it('logs in and answers a session object with a JWT-shaped token', async () => {
    const res = await call(sim.url, 'POST', '/auth/token', { body: { username: 'ops', password: 'pw 1' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      token: expect.any(String),
      loginType: 'System',
      userId: 'ops',
      serviceProviderId: null,
      groupId: null,
      version: 'sim',
      softwareVersion: 'R25',
    });
    const [header, payload, signature] = (res.json.token as string).split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toEqual({ sub: 'ops', iat: T0 / 1000, exp: T0 / 1000 + 60, jti: expect.any(String) });
    expect(signature).toMatch(/^[\w-]{43}$/);
  });

  it('refuses bad credentials with 401 and a malformed login with 400', async () => {
    const bad = await call(sim.url, 'POST', '/auth/token', { body: { username: 'ops', password: 'nope' } });
    expect(bad.status).toBe(401);
    expect(bad.json).toEqual({ status: 401, error: 'Unauthorized', details: 'Invalid username or password' });
    // odins_spear v1 sends a null password when its environment variable is unset.
    expect((await call(sim.url, 'POST', '/auth/token', { body: { username: 'ops', password: null } })).status).toBe(401);
    expect((await call(sim.url, 'POST', '/auth/token', { rawBody: '{"username":' })).status).toBe(400);
  });

  it('needs a valid bearer token on every other route', async () => {
    const none = await call(sim.url, 'GET', POLICY, { query: { userId: USER } });
    expect(none.status).toBe(401);
    expect(none.json.details).toBe('Missing bearer token');
    const token = await login(sim.url, 'ops', 'pw 1');
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(43)}`;
    expect((await call(sim.url, 'GET', POLICY, { token: forged, query: { userId: USER } })).json.details).toBe('Invalid token');
    expect((await call(sim.url, 'GET', '/users', { token: 'garbage', query: { serviceProviderId: 'sim-sp', groupId: 'grp-01' } })).status).toBe(401);
    expect((await call(sim.url, 'GET', POLICY, { token, query: { userId: USER } })).status).toBe(200);
  });

  it('reports the session and refreshes an unexpired token', async () => {
    const token = await login(sim.url, 'ops', 'pw 1');
    const session = await call(sim.url, 'GET', '/auth/session', { token });
    expect(session.status).toBe(200);
    expect(session.json).toMatchObject({ userId: 'ops', loginType: 'System', exp: clock / 1000 + 60 });

    clock += 30_000;
    const refreshed = await call(sim.url, 'PUT', '/auth/token', { token, body: {} });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json).toMatchObject({ userId: 'ops', loginType: 'System' });
    expect(refreshed.json.token).not.toBe(token);
    const claims = JSON.parse(Buffer.from(refreshed.json.token.split('.')[1], 'base64url').toString());
    expect(claims.exp).toBe(clock / 1000 + 60);
  });

  it('refuses an expired token, for API calls and for refresh', async () => {
    const token = await login(sim.url, 'ops', 'pw 1');
    clock += 59_000;
    expect((await call(sim.url, 'GET', POLICY, { token, query: { userId: USER } })).status).toBe(200);
    clock += 1_000;
    const expired = await call(sim.url, 'GET', POLICY, { token, query: { userId: USER } });
    expect(expired.status).toBe(401);
    expect(expired.json.details).toBe('Token expired');
    expect((await call(sim.url, 'PUT', '/auth/token', { token })).status).toBe(401);
    expect((await call(sim.url, 'GET', '/auth/session', { token })).status).toBe(401);
    // A fresh login works again.
    expect((await call(sim.url, 'GET', POLICY, { token: await login(sim.url, 'ops', 'pw 1'), query: { userId: USER } })).status).toBe(200);
  });

  it('uses a changed tokenLifetimeSeconds for tokens issued afterwards', async () => {
    sim.setFaults({ tokenLifetimeSeconds: 5 });
    const token = await login(sim.url, 'ops', 'pw 1');
    clock += 5_000;
    expect((await call(sim.url, 'GET', POLICY, { token, query: { userId: USER } })).status).toBe(401);
    sim.setFaults({ tokenLifetimeSeconds: 60 });
  });
});
