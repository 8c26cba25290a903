import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { call, login, POLICY, withSimulator } from '../../kit/index.js';

const U1 = 'user00001@sim.odin.test';
const U2 = 'user00002@sim.odin.test';

describe('simulator scripted steps', () => {
  const sim = withSimulator();
  let token: string;
  const put = (userId = U1) => call(sim.url, 'PUT', POLICY, { token, body: { userId, useGroupName: true } });

  beforeAll(async () => {
    token = await login(sim.url);
  });
  afterEach(() => {
    expect(sim.pendingScripts()).toBe(0);
    sim.clearScripts();
  });

  it('uses status steps once each, FIFO; 2xx means "handle normally"', async () => {
    sim.script('PUT', POLICY, [503, 200, 429]);
    const first = await put();
    expect(first.status).toBe(503);
    expect(first.json).toEqual({ status: 503, error: 'Service Unavailable', details: expect.any(String) });
    const second = await put();
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ userId: U1, useGroupName: true });
    const third = await put();
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBe('1');
    expect((await put()).status).toBe(200);
  });

  it('holds an answer until the test releases it: one request waits, the next is answered meanwhile', async () => {
    let release!: () => void;
    sim.script('PUT', POLICY, [{ until: new Promise<void>((resolve) => (release = resolve)) }], { key: U1 });
    let heldDone = false;
    const held = put(U1).then((r) => {
      heldDone = true;
      return r;
    });
    const other = await put(U2);
    expect(other.status).toBe(200);
    expect(heldDone).toBe(false);
    release();
    expect((await held).status).toBe(200);
  });

  it('sends raw bodies: an HTML 502 page, an empty 200 and []', async () => {
    sim.script('put', '/api/v2/users/call-processing-policy', [
      { status: 502, body: '<html><body>Bad Gateway</body></html>' },
      { status: 200, body: '' },
      { body: '[]', headers: { 'X-Sim': 'yes' } },
      { status: 200, body: 'not json', headers: { 'content-type': 'text/plain' } },
    ]);
    const html = await put();
    expect(html.status).toBe(502);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toBe('<html><body>Bad Gateway</body></html>');
    const empty = await put();
    expect([empty.status, empty.text]).toEqual([200, '']);
    const list = await put();
    expect([list.status, list.text, list.headers['x-sim']]).toEqual([200, '[]', 'yes']);
    const text = await put();
    expect([text.text, text.headers['content-type']]).toEqual(['not json', 'text/plain']);
  });

  it('filters by key: only the named target gets the step', async () => {
    sim.script('PUT', POLICY, [500], { key: U2 });
    expect((await put(U1)).status).toBe(200);
    expect((await put(U2)).status).toBe(500);
    sim.script('GET', '/users', [{ status: 404 }], { key: 'sim-sp/grp-02' });
    const query = (groupId: string) => ({ serviceProviderId: 'sim-sp', groupId });
    expect((await call(sim.url, 'GET', '/users', { token, query: query('grp-01') })).status).toBe(200);
    expect((await call(sim.url, 'GET', '/users', { token, query: query('grp-02') })).status).toBe(404);
  });

  it('resets the connection, hangs, or delays', async () => {
    sim.script('PUT', POLICY, [{ reset: true }, { hang: true }, { delayMs: 30, status: 201 }]);
    await expect(put()).rejects.toThrow(/socket hang up|ECONNRESET/);
    await expect(call(sim.url, 'PUT', POLICY, { token, body: { userId: U1 }, timeoutMs: 100 })).rejects.toThrow('timeout');
    const delayed = await put();
    expect(delayed.status).toBe(200); // a 2xx step is handled normally
    expect(sim.requests.slice(-3).map((r) => r.status)).toEqual([0, 0, 200]);
  });

  it('applies to /auth routes too', async () => {
    sim.script('POST', '/auth/token', [{ status: 503, body: 'maintenance' }]);
    const res = await call(sim.url, 'POST', '/auth/token', { body: { username: 'admin', password: 'simulator' } });
    expect([res.status, res.text]).toEqual([503, 'maintenance']);
    expect(await login(sim.url)).toEqual(expect.any(String));
  });

  it('refuses impossible statuses', () => {
    expect(() => sim.script('GET', POLICY, [99])).toThrow(TypeError);
    expect(sim.pendingScripts()).toBe(0);
  });
});
