import type { AttemptSample } from '../client/request-observer.js';

export type AimdOptions = {
  /** Requests in flight allowed at the start. @default 2 */
  initial?: number;
  /** Never below this. @default 1 */
  min?: number;
  /** Never above this (`--max-concurrency`). */
  max: number;
  /** Multiplier applied on a back-off. @default 0.7 */
  decrease?: number;
  /** A round whose median latency exceeds baseline × (1 + tolerance) + slackMs is a latency rise. @default 0.5 */
  latencyTolerance?: number;
  /** Absolute slack, so the jitter of a fast server (1–3 ms) is not read as a rise. @default 5 */
  latencySlackMs?: number;
  /** Consecutive risen rounds before backing off: one slow round is a GC pause, not a queue. @default 3 */
  riseRounds?: number;
  /** Rounds spent just below the limit that last failed before probing it again; doubles (up to 16×) each time
   * a probe fails at the same limit, so a server with a fixed capacity is probed less and less often. @default 50 */
  holdRounds?: number;
  /** Clean rounds at a probed limit before it counts as good (a slow 429 can arrive a round late). @default 3 */
  confirmRounds?: number;
  /** Rounds the latency baseline (the lowest round median) looks back over. @default 50 */
  baselineRounds?: number;
};

export type LimitChange = {
  limit: number;
  reason: 'raise' | 'probe' | 'overload' | 'latency';
  /** What was seen, for the run log: `HTTP 429`, `median 95 ms vs baseline 50 ms`. */
  detail?: string;
};

/**
 * Additive-increase / multiplicative-decrease of the requests in flight, from observed outcomes only. Pure apart
 * from the injected clock. A round is `limit` answers (about one round trip): after a round with flat latency in
 * which the limit was actually used, the limit rises by 1; a 429, a 5xx, no answer, or `riseRounds` rounds in a row
 * whose median latency rose above the baseline multiply the limit that was in force when the failing request was sent by `decrease`.
 * Answers to requests sent before a back-off, or within two baseline latencies after it (the server is still
 * draining), are not counted again: one back-off per congestion episode, as TCP does. After a back-off the controller climbs back to just below the limit that failed and holds there for
 * `holdRounds` rounds before probing it again (for `confirmRounds` rounds), so a server with a hard capacity sees a
 * probe now and then instead of a steady sawtooth of 429s.
 */
export class AimdController {
  private current: number;
  private readonly o: Required<AimdOptions>;
  private inFlight = 0;
  private round = { answers: 0, peakInFlight: 0, latencies: [] as number[] };
  private medians: number[] = [];
  private lastBackoffAt = -Infinity;
  /** The limit at which the last back-off happened, until a probe at it succeeds. */
  private ceiling: number | undefined;
  private held = 0;
  private probed = 0;
  private risen = 0;
  private holdFactor = 1;
  /** Recent limits and when each took effect, to find the limit a failing request was sent under. */
  private history: { at: number; limit: number }[] = [];

  constructor(options: AimdOptions, private readonly now: () => number) {
    this.o = {
      initial: 2,
      min: 1,
      decrease: 0.7,
      latencyTolerance: 0.5,
      latencySlackMs: 5,
      riseRounds: 3,
      holdRounds: 50,
      confirmRounds: 3,
      baselineRounds: 50,
      ...options,
    };
    const { min, max, decrease } = this.o;
    if (!Number.isInteger(min) || min < 1) throw new TypeError(`Expected \`min\` to be an integer of 1 or more, got \`${min}\``);
    if (!Number.isInteger(max) || max < min) throw new TypeError(`Expected \`max\` to be an integer of at least \`min\` (${min}), got \`${max}\``);
    if (!(decrease > 0 && decrease < 1)) throw new TypeError(`Expected \`decrease\` to be a number between 0 and 1, got \`${decrease}\``);
    this.current = clamp(Math.round(this.o.initial), min, max);
    this.history.push({ at: -Infinity, limit: this.current });
  }

  /** Requests allowed in flight now. */
  get limit(): number {
    return this.current;
  }

  /** A request was sent. */
  sent(): void {
    this.inFlight++;
    if (this.inFlight > this.round.peakInFlight) this.round.peakInFlight = this.inFlight;
  }

  /** A request ended; returns the new limit when this answer changed it. */
  answered(sample: AttemptSample): LimitChange | undefined {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const sentAt = this.now() - sample.latencyMs;
    if (isCongestion(sample.status)) {
      // Requests sent before the last back-off were sent at the old limit: their 429s are the same episode.
      return sentAt >= this.lastBackoffAt + this.quietMs() ? this.backOff('overload', sentAt, `HTTP ${sample.status || 'no answer'}`) : this.countAnswer();
    }
    if (sentAt >= this.lastBackoffAt) this.round.latencies.push(sample.latencyMs);
    return this.countAnswer();
  }

  private countAnswer(): LimitChange | undefined {
    this.round.answers++;
    return this.round.answers >= this.current ? this.endRound() : undefined;
  }

  private endRound(): LimitChange | undefined {
    const { latencies, peakInFlight } = this.round;
    this.newRound();
    if (latencies.length === 0) return undefined;
    const median = medianOf(latencies);
    this.medians.push(median);
    if (this.medians.length > this.o.baselineRounds) this.medians.shift();
    const baseline = Math.min(...this.medians);
    if (median > baseline * (1 + this.o.latencyTolerance) + this.o.latencySlackMs) {
      if (++this.risen < this.o.riseRounds) return undefined;
      return this.backOff('latency', this.now(), `median ${Math.round(median)} ms vs baseline ${Math.round(baseline)} ms`);
    }
    this.risen = 0;
    // Only raise a limit that is used: a rate cap or a slow manifest would otherwise push it to max for nothing.
    if (peakInFlight * 2 < this.current) return undefined;
    if (this.ceiling !== undefined && this.current >= this.ceiling) {
      if (++this.probed < this.o.confirmRounds) return undefined;
      this.ceiling = undefined; // the probe held
    }
    if (this.ceiling !== undefined && this.current + 1 >= this.ceiling) {
      if (++this.held < this.o.holdRounds * this.holdFactor) return undefined;
      this.held = 0;
      return this.set(this.current + 1, 'probe');
    }
    return this.set(this.current + 1, 'raise');
  }

  private backOff(reason: 'overload' | 'latency', sentAt: number, detail: string): LimitChange | undefined {
    const failed = Math.min(this.current, this.limitAt(sentAt));
    this.holdFactor = failed === this.ceiling ? Math.min(16, this.holdFactor * 2) : 1;
    this.ceiling = failed;
    this.held = 0;
    this.probed = 0;
    this.risen = 0;
    this.lastBackoffAt = this.now();
    this.newRound();
    return this.set(Math.floor(failed * this.o.decrease), reason, detail);
  }

  /** After a back-off the server still drains what was sent before it: two baseline latencies. */
  private quietMs(): number {
    return this.medians.length ? 2 * Math.min(...this.medians) : 0;
  }

  /** The limit in force at time `t`. */
  private limitAt(t: number): number {
    for (let i = this.history.length - 1; i >= 0; i--) if (this.history[i]!.at <= t) return this.history[i]!.limit;
    return this.history[0]!.limit;
  }

  private newRound(): void {
    this.round = { answers: 0, peakInFlight: this.inFlight, latencies: [] };
  }

  private set(limit: number, reason: LimitChange['reason'], detail?: string): LimitChange | undefined {
    const next = clamp(limit, this.o.min, this.o.max);
    if (next === this.current) return undefined;
    this.current = next;
    this.history.push({ at: this.now(), limit: next });
    if (this.history.length > 64) this.history.shift();
    return detail ? { limit: next, reason, detail } : { limit: next, reason };
  }
}

/** 429 and 5xx say "slow down"; so does no answer at all. Other 4xx are the row's own problem. */
function isCongestion(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
