import { describe, expect, it } from '@jest/globals';
import { concurrencyPlan, rowsFor } from '../../../src/engine/concurrency-plan.js';

describe('concurrencyPlan', () => {
  it('is a plain p-limit for a fixed concurrency, with no observer', () => {
    const plan = concurrencyPlan({ concurrency: 8, maxConcurrency: 64 });
    expect(plan.limit.concurrency).toBe(8);
    expect(plan.observer).toBeUndefined();
    expect(plan.describe()).toBe('concurrency 8');
  });

  it('auto: answers move the request limit and the rows allowed, and each change is reported', async () => {
    let t = 0;
    const plan = concurrencyPlan({ concurrency: 'auto', maxConcurrency: 64 }, () => t);
    const changes: string[] = [];
    plan.onChange = (c, was) => changes.push(`${was}→${c.limit} ${c.reason}`);
    const observer = plan.observer!;
    expect(plan.limit.concurrency).toBe(rowsFor(2));

    const attempt = async (status: number) => {
      await observer.admit();
      observer.sent();
      return () => observer.ended({ status, latencyMs: 50 });
    };
    const round = async (status: number) => {
      const ends = [await attempt(status), await attempt(200)];
      t += 50;
      ends.forEach((end) => end());
    };
    await round(200); // a clean round at 2 in flight → 3
    expect(changes).toEqual(['2→3 raise']);
    expect(plan.limit.concurrency).toBe(rowsFor(3));
    await round(429);
    expect(changes.at(-1)).toBe('3→2 overload');
    expect(plan.limit.concurrency).toBe(rowsFor(2));
    expect(plan.describe()).toBe('concurrency auto (max 64 requests in flight): ended at 2, peak 3, 1 back-off');
  });

  it('auto: holds an attempt back while the limit is reached, and lets it go when one ends', async () => {
    const plan = concurrencyPlan({ concurrency: 'auto', maxConcurrency: 64 }, () => 0);
    const observer = plan.observer!;
    await observer.admit();
    await observer.admit();
    let third = false;
    void observer.admit().then(() => (third = true));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    observer.ended(undefined); // never sent: frees its slot without counting as an answer
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(true);
  });
});
