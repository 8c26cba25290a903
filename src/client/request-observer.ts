/** One HTTP attempt's outcome: its status (0 = no answer: timeout or network error) and how long it took. */
export type AttemptSample = { status: number; latencyMs: number };

/**
 * Hears every API request attempt, retries included, logins not: what `--concurrency auto` learns from and
 * how it holds requests back. Each `admit` is followed by exactly one `ended`.
 */
export type RequestObserver = {
  /** Resolves when the attempt may go (after the rate limiter has its say). */
  admit(): Promise<void>;
  sent(): void;
  /** The attempt is over; `sample` is undefined when it was never sent (e.g. the token could not be had). */
  ended(sample: AttemptSample | undefined): void;
};

const ATTEMPT = 'attempt';
type Attempt = { sentAt?: number };

/**
 * Pairs each attempt's admission with exactly one end, whichever hook sees it first: the answer (any status),
 * a retry after no answer, or the final error. The attempt travels in the request's own got context.
 */
export function attemptWatch(observer: RequestObserver | undefined, now: () => number) {
  return {
    /** Whether there is anything to watch (`--concurrency auto`); without it every hook returns at once. */
    active: observer !== undefined,
    async admit(context: Record<string, unknown>): Promise<void> {
      if (!observer) return;
      await observer.admit();
      context[ATTEMPT] = {} satisfies Attempt;
    },
    sent(context: Record<string, unknown>): void {
      const attempt = context[ATTEMPT] as Attempt | undefined;
      if (!observer || !attempt) return;
      attempt.sentAt = now();
      observer.sent();
    },
    ended(context: Record<string, unknown> | undefined, status: number): void {
      const attempt = context?.[ATTEMPT] as Attempt | undefined;
      if (!observer || !attempt) return;
      delete context![ATTEMPT];
      observer.ended(attempt.sentAt === undefined ? undefined : { status, latencyMs: now() - attempt.sentAt });
    },
  };
}
