import { describe, expect, it } from '@jest/globals';
import { createRateLimiter, type Clock } from '../../src/client/rate-limiter.js';
import { busiestWindow } from '../kit/index.js';

/** A clock whose time moves only when the test runs it, firing sleepers in time order. */
function fakeClock() {
  let t = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const clock: Clock & { sleeps: number } = {
    sleeps: 0,
    now: () => t,
    sleep(ms) {
      clock.sleeps++;
      return new Promise<void>((wake) => sleepers.push({ at: t + ms, wake }));
    },
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    clock,
    now: () => t,
    /** Moves time forward to `until`, waking sleepers in order and letting their continuations run. */
    async advanceTo(until: number) {
      await settle();
      for (;;) {
        sleepers.sort((a, b) => a.at - b.at);
        if (!sleepers.length || sleepers[0]!.at > until) break;
        const next = sleepers.shift()!;
        t = Math.max(t, next.at);
        next.wake();
        await settle();
      }
      t = Math.max(t, until);
    },
  };
}

/** `callers` acquire at once at time `at`; resolves with the time each was let through. */
async function burst(fake: ReturnType<typeof fakeClock>, limiter: { acquire(): Promise<void> }, callers: number, at: number) {
  await fake.advanceTo(at);
  const times: number[] = [];
  const all = Promise.all(Array.from({ length: callers }, () => limiter.acquire().then(() => void times.push(fake.now()))));
  return { times, all };
}

describe('createRateLimiter', () => {
  it.each([1, 5, 8, 20, 50])('rate %i: every sliding one-second window holds at most `rate` acquisitions, evenly spaced', async (rate) => {
    const fake = fakeClock();
    const limiter = createRateLimiter(rate, fake.clock);
    const first = await burst(fake, limiter, rate * 3, 0);
    await fake.advanceTo(10_000);
    await first.all;
    const interval = 1000 / rate;
    expect(first.times).toEqual(Array.from({ length: rate * 3 }, (_, i) => i * interval));
    expect(busiestWindow(first.times, 1000)).toBe(rate);
  });

  it('holds the cap across bursts, idle gaps and a burst that arrives while others wait', async () => {
    const rate = 5;
    const fake = fakeClock();
    const limiter = createRateLimiter(rate, fake.clock);
    const times: number[] = [];
    const bursts = [];
    for (const [callers, at] of [[7, 0], [4, 900], [6, 5_000], [3, 5_950], [5, 20_000]] as const) {
      const b = await burst(fake, limiter, callers, at);
      bursts.push(b.all.then(() => times.push(...b.times)));
    }
    await fake.advanceTo(60_000);
    await Promise.all(bursts);
    expect(times).toHaveLength(25);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(rate);
    const sorted = [...times].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThanOrEqual(200);
    // After an idle gap the first caller goes at once: the cap is a spacing, not a fixed window.
    expect(sorted).toContain(5_000);
    expect(sorted).toContain(20_000);
  });

  it('an interval that is not a whole number of ms still spaces calls 1000/rate apart', async () => {
    const fake = fakeClock();
    const limiter = createRateLimiter(3, fake.clock);
    const b = await burst(fake, limiter, 12, 0);
    await fake.advanceTo(10_000);
    await b.all;
    for (let i = 1; i < b.times.length; i++) expect(b.times[i]! - b.times[i - 1]!).toBeCloseTo(1000 / 3, 9);
    // Spacing is exact up to float rounding (a few femtoseconds): allow 1 ns.
    expect(busiestWindow(b.times, 1000 - 1e-6)).toBe(3);
  });

  it('rate 0 is uncapped: nobody waits', async () => {
    const fake = fakeClock();
    const limiter = createRateLimiter(0, fake.clock);
    await Promise.all(Array.from({ length: 100 }, () => limiter.acquire()));
    expect(fake.clock.sleeps).toBe(0);
  });
});
