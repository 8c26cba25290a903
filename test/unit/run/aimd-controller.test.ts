import { describe, expect, it } from '@jest/globals';
import { AimdController, type AimdOptions, type LimitChange } from '../../../src/engine/aimd-controller.js';

/** A controller on a clock the test moves by hand. */
function setup(options: Partial<AimdOptions> = {}) {
  let t = 0;
  const ctrl = new AimdController({ max: 64, ...options }, () => t);
  const changes: LimitChange[] = [];
  /** Sends `limit` requests at once, lets `latencyMs` pass, then answers them all with `status`. */
  const round = (latencyMs = 50, status: (i: number) => number = () => 200, count = ctrl.limit) => {
    for (let i = 0; i < count; i++) ctrl.sent();
    t += latencyMs;
    for (let i = 0; i < count; i++) {
      const change = ctrl.answered({ status: status(i), latencyMs });
      if (change) changes.push(change);
    }
  };
  return { ctrl, changes, round, advance: (ms: number) => (t += ms) };
}

describe('AimdController', () => {
  it('starts low and raises the limit by one per round while latency stays flat', () => {
    const { ctrl, changes, round } = setup();
    expect(ctrl.limit).toBe(2);
    for (let i = 0; i < 5; i++) round();
    expect(ctrl.limit).toBe(7);
    expect(changes.map((c) => c.limit)).toEqual([3, 4, 5, 6, 7]);
    expect(changes.every((c) => c.reason === 'raise')).toBe(true);
  });

  it('never goes above max', () => {
    const { ctrl, round } = setup({ max: 5 });
    for (let i = 0; i < 20; i++) round();
    expect(ctrl.limit).toBe(5);
  });

  it('does not raise a limit the run does not use', () => {
    const { ctrl, round } = setup({ initial: 10 });
    for (let i = 0; i < 10; i++) round(50, () => 200, 2); // 2 in flight of 10 allowed: a rate cap, say
    expect(ctrl.limit).toBe(10);
  });

  it('backs off multiplicatively on a 429, once for the requests sent before the back-off', () => {
    const { ctrl, changes, round } = setup({ initial: 20 });
    round(50, (i) => (i < 5 ? 429 : 200)); // five 429s from one burst
    expect(ctrl.limit).toBe(14); // floor(20 × 0.7), not 20 × 0.7⁵
    expect(changes).toEqual([{ limit: 14, reason: 'overload', detail: 'HTTP 429' }]);
  });

  it('backs off on 5xx and on no answer (timeouts), not on other 4xx', () => {
    const a = setup({ initial: 10 });
    a.round(50, (i) => (i === 0 ? 503 : 200));
    expect(a.ctrl.limit).toBe(7);
    const b = setup({ initial: 10 });
    b.round(50, (i) => (i === 0 ? 0 : 200));
    expect(b.ctrl.limit).toBe(7);
    const c = setup({ initial: 10 });
    c.round(50, (i) => (i < 5 ? 404 : 200));
    expect(c.ctrl.limit).toBe(11);
  });

  it('backs off when the median latency of a round rises above the baseline', () => {
    const { ctrl, changes, round } = setup({ initial: 8 });
    round(50);
    round(50);
    expect(ctrl.limit).toBe(10);
    round(90); // 90 > 50 × 1.5 + 5: once could be a GC pause
    round(90);
    expect(ctrl.limit).toBe(10);
    round(90); // three rounds in a row: a queue
    expect(ctrl.limit).toBe(7);
    expect(changes.at(-1)).toEqual({ limit: 7, reason: 'latency', detail: 'median 90 ms vs baseline 50 ms' });
  });

  it('reads one slow round (a pause) as noise: no back-off, no raise', () => {
    const { ctrl, round } = setup({ initial: 8 });
    round(50);
    round(140);
    round(50);
    expect(ctrl.limit).toBe(10);
  });

  it('reads jitter within the tolerance as flat', () => {
    const { ctrl, round } = setup({ initial: 4 });
    for (const ms of [2, 3, 1, 6, 2, 5, 3]) round(ms); // baseline 1 ms: up to 1 × 1.5 + 5 is flat
    expect(ctrl.limit).toBe(11);
  });

  it('never goes below min', () => {
    const { ctrl, round } = setup({ initial: 2, min: 1 });
    for (let i = 0; i < 5; i++) round(50, () => 429);
    expect(ctrl.limit).toBe(1);
  });

  it('climbs back to just below the limit that failed, holds, then probes it again', () => {
    const { ctrl, changes, round } = setup({ initial: 17, holdRounds: 3 });
    round(50, (i) => (i === 0 ? 429 : 200));
    expect(ctrl.limit).toBe(11);
    for (let i = 0; i < 5; i++) round();
    expect(ctrl.limit).toBe(16);
    round();
    round();
    expect(ctrl.limit).toBe(16); // holding below 17
    round();
    expect(changes.at(-1)).toEqual({ limit: 17, reason: 'probe' });
    round();
    round();
    expect(ctrl.limit).toBe(17); // a slow 429 could still come
    round(); // three clean rounds: the probe held, growth goes on
    expect(ctrl.limit).toBe(18);
  });

  it('probes a limit that keeps failing less and less often', () => {
    const { ctrl, changes, round } = setup({ initial: 17, holdRounds: 3 });
    const capacity = (i: number) => (ctrl.limit >= 17 && i === 0 ? 429 : 200);
    const roundsBetweenProbes: number[] = [];
    let last = 0;
    for (let r = 1; r <= 120; r++) {
      round(50, capacity);
      if (changes.at(-1)?.reason === 'probe' && changes.length !== last) roundsBetweenProbes.push(r);
      last = changes.length;
    }
    const gaps = roundsBetweenProbes.slice(1).map((r, i) => r - roundsBetweenProbes[i]!);
    expect(gaps.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
  });

  it('backs off from the limit a failing request was sent under, not from a later raise', () => {
    const { ctrl, advance } = setup({ initial: 10 });
    for (let i = 0; i < 10; i++) ctrl.sent();
    advance(50);
    for (let i = 0; i < 10; i++) ctrl.answered({ status: 200, latencyMs: 50 }); // → 11
    for (let i = 0; i < 11; i++) ctrl.sent();
    advance(50);
    for (let i = 0; i < 11; i++) ctrl.answered({ status: 200, latencyMs: 50 }); // → 12
    expect(ctrl.limit).toBe(12);
    // A slow 429 for a request sent 100 ms ago, when the limit was 10.
    expect(ctrl.answered({ status: 429, latencyMs: 100 })).toEqual({ limit: 7, reason: 'overload', detail: 'HTTP 429' });
  });

  it('settles near a hard server capacity with few 429s (closed loop)', () => {
    const capacity = 16;
    const { ctrl, round } = setup();
    let answers = 0;
    let throttled = 0;
    let limits = 0;
    const rounds = 400;
    for (let i = 0; i < rounds; i++) {
      const n = ctrl.limit;
      limits += n;
      answers += n;
      throttled += Math.max(0, n - capacity);
      round(50, (k) => (k >= capacity ? 429 : 200));
    }
    expect(ctrl.limit).toBeLessThanOrEqual(capacity + 1);
    expect(limits / rounds).toBeGreaterThan(capacity * 0.85);
    expect(throttled / answers).toBeLessThan(0.01);
  });

  it('checks its options', () => {
    expect(() => new AimdController({ max: 0 }, () => 0)).toThrow('Expected `max` to be an integer of at least `min` (1), got `0`');
    expect(() => new AimdController({ max: 8, decrease: 1 }, () => 0)).toThrow(TypeError);
    expect(() => new AimdController({ max: 8, min: 0 }, () => 0)).toThrow(TypeError);
    expect(new AimdController({ max: 4, initial: 10 }, () => 0).limit).toBe(4);
  });
});
