import { describe, expect, it } from '@jest/globals';
import { createOdinClient, RowFailure } from '../../../src/client/odin-client.js';
import type { AttemptSample, RequestObserver } from '../../../src/client/request-observer.js';
import { Secrets } from '../../../src/logging/secrets.js';
import { userCallProcessingPolicy as op } from '../../../src/operations/user-call-processing-policy.js';
import { withSimulator } from '../../kit/index.js';

const POLICY = '/users/call-processing-policy';
const U1 = { userId: 'user00001@sim.odin.test' };

/** An observer that records what it hears and can hold admissions back. */
function recorder() {
  const log = { admits: 0, sent: 0, ended: [] as (AttemptSample | undefined)[] };
  const observer: RequestObserver = {
    admit: async () => void log.admits++,
    sent: () => void log.sent++,
    ended: (sample) => void log.ended.push(sample),
  };
  return { log, observer };
}

describe('the client reports each request attempt to its observer', () => {
  const sim = withSimulator({ users: 10, record: false });

  const client = (observer: RequestObserver, extra: { retries?: number; timeoutMs?: number } = {}) =>
    createOdinClient(
      { baseUrl: sim.url, username: sim.username, password: sim.password, rate: 0, retries: extra.retries ?? 3, timeoutMs: extra.timeoutMs ?? 5000, retryBaseMs: 1 },
      { secrets: new Secrets(), observer },
    );

  it('one admission and one end per attempt, retries included, with the status each attempt got', async () => {
    const { log, observer } = recorder();
    const c = client(observer);
    await c.start();
    sim.script('GET', POLICY, [503, 500], { key: U1.userId });
    const track = { requests: 0, retries: 0 };
    await c.read(op, U1, track);
    await c.write(op, U1, { maxSimultaneousCalls: 9 }, track);
    c.close();
    expect(track.requests).toBe(4);
    expect(log.admits).toBe(4);
    expect(log.sent).toBe(4);
    expect(log.ended.map((s) => s?.status)).toEqual([503, 500, 200, 200]);
    expect(log.ended.every((s) => s !== undefined && s.latencyMs >= 0)).toBe(true);
  });

  it('an attempt that gets no answer ends with status 0, once', async () => {
    const { log, observer } = recorder();
    const c = client(observer, { retries: 1, timeoutMs: 150 });
    await c.start();
    sim.script('GET', POLICY, [{ hang: true }, 200], { key: U1.userId });
    await c.read(op, U1, { requests: 0, retries: 0 });
    sim.script('GET', POLICY, [{ hang: true }, { hang: true }], { key: U1.userId });
    await expect(c.read(op, U1, { requests: 0, retries: 0 })).rejects.toBeInstanceOf(RowFailure);
    c.close();
    expect(log.ended.map((s) => s?.status)).toEqual([0, 200, 0, 0]);
    expect(log.admits).toBe(4);
  });
});
