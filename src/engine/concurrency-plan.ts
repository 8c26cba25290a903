import pLimit, { type LimitFunction } from 'p-limit';
import type { RequestObserver } from '../client/request-observer.js';
import type { JobOptions } from '../settings/job-options.js';
import { AdmissionGate } from './admission-gate.js';
import { AimdController, type LimitChange } from './aimd-controller.js';

export type ConcurrencyPlan = {
  /** The p-limit the rows run through. */
  limit: LimitFunction;
  /** Holds and hears the client's request attempts (auto only). */
  observer?: RequestObserver;
  /** Hears each change of the limit (auto only), e.g. to log it. */
  onChange?: (change: LimitChange, previous: number) => void;
  /** One line for the run log at the end: where auto ended, its peak and how often it backed off. */
  describe(): string;
};

/**
 * A fixed p-limit of rows, or (`auto`) an AIMD controller fed by the client's answers that sets how many requests
 * may be in flight (an admission gate in the client). More rows than that may be under way, so rows sleeping
 * before a retry (Retry-After) never leave the requests slots unused.
 */
export function concurrencyPlan(
  options: Pick<JobOptions, 'concurrency' | 'maxConcurrency'>,
  now: () => number = () => performance.now(),
): ConcurrencyPlan {
  if (options.concurrency !== 'auto') {
    const n = options.concurrency;
    return { limit: pLimit(n), describe: () => `concurrency ${n}` };
  }
  const controller = new AimdController({ max: options.maxConcurrency }, now);
  const gate = new AdmissionGate(controller.limit);
  const limit = pLimit(rowsFor(controller.limit));
  let peak = gate.limit;
  let backOffs = 0;
  const plan: ConcurrencyPlan = {
    limit,
    observer: {
      admit: () => gate.admit(),
      sent: () => controller.sent(),
      ended(sample) {
        gate.release();
        const change = sample && controller.answered(sample);
        if (!change) return;
        const previous = gate.limit;
        gate.limit = change.limit;
        limit.concurrency = rowsFor(change.limit);
        peak = Math.max(peak, change.limit);
        if (change.reason === 'overload' || change.reason === 'latency') backOffs++;
        plan.onChange?.(change, previous);
      },
    },
    describe: () =>
      `concurrency auto (max ${options.maxConcurrency} requests in flight): ended at ${gate.limit}, peak ${peak}, ${backOffs} back-off${backOffs === 1 ? '' : 's'}`,
  };
  return plan;
}

/** Rows under way for a request limit: twice the limit plus room for a burst of rows sleeping before a retry. */
export function rowsFor(requestLimit: number): number {
  return requestLimit * 2 + 16;
}
