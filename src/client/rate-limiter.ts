/** `acquire` resolves when the next request may go; `capped` false means it never waits (rate 0). */
export type RateLimiter = { readonly capped: boolean; acquire(): Promise<void> };

export type Clock = { now(): number; sleep(ms: number): Promise<void> };

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces requests evenly, 1000/rate ms apart, shared by all workers. Unlike fixed one-second buckets,
 * this holds the cap in every sliding one-second window. `rate` 0 = uncapped.
 */
export function createRateLimiter(rate: number, clock: Clock = realClock): RateLimiter {
  if (!(rate > 0)) return { capped: false, acquire: async () => {} };
  const interval = 1000 / rate;
  let next = -Infinity;
  return {
    capped: true,
    async acquire() {
      const now = clock.now();
      const slot = Math.max(now, next + interval);
      next = slot;
      if (slot > now) await clock.sleep(slot - now);
    },
  };
}
