import { mulberry32 } from './prng.js';
import type { FaultSettings } from './types.js';

export const DEFAULT_FAULTS: Readonly<FaultSettings> = {
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  throttleRate: 0,
  retryAfterSeconds: 1,
  hangRate: 0,
  capacity: 0,
  faultAuth: false,
  tokenLifetimeSeconds: 86400,
  revertShare: 0,
  revertDelayMs: 0,
};

export type FaultDecision =
  | { kind: 'pass'; delayMs: number }
  | { kind: 'hang' }
  | { kind: 'throttle'; delayMs: number; details: string }
  | { kind: 'error'; delayMs: number; status: 500 | 503 };

/**
 * Decides, on arrival, what a faultable request gets. The PRNG is drawn in arrival order and only for the
 * enabled faults, so the same settings, seed and request order give the same answers.
 */
export class Faults {
  private current: FaultSettings;
  private readonly random: () => number;

  constructor(initial: Partial<FaultSettings>, seed: number) {
    this.current = checkFaults({ ...DEFAULT_FAULTS, ...pickFaults(initial) });
    this.random = mulberry32(seed ^ 0x0fa17);
  }

  get settings(): Readonly<FaultSettings> {
    return this.current;
  }

  update(partial: Partial<FaultSettings>): void {
    const unknown = Object.keys(partial).filter((k) => !Object.hasOwn(DEFAULT_FAULTS, k));
    if (unknown.length > 0) throw new TypeError(`Unknown fault setting \`${unknown.join('`, `')}\``);
    this.current = checkFaults({ ...this.current, ...pickFaults(partial) });
  }

  /** @param position this request's place among the requests in flight, counted on arrival (1 = alone). */
  decide(position: number): FaultDecision {
    const s = this.current;
    const delayMs = s.latencyMs + (s.latencyJitterMs > 0 ? Math.floor(this.random() * (s.latencyJitterMs + 1)) : 0);
    if (s.capacity > 0 && position > s.capacity) {
      return { kind: 'throttle', delayMs: delayMs + s.latencyMs, details: `Server busy: more than ${s.capacity} requests in flight` };
    }
    if (s.hangRate > 0 && this.random() < s.hangRate) return { kind: 'hang' };
    if (s.throttleRate > 0 && this.random() < s.throttleRate) {
      return { kind: 'throttle', delayMs, details: 'Rate limit exceeded (simulated)' };
    }
    if (s.errorRate > 0 && this.random() < s.errorRate) {
      return { kind: 'error', delayMs, status: this.random() < 0.5 ? 500 : 503 };
    }
    return { kind: 'pass', delayMs };
  }
}

/** The fault settings among other options, leaving out undefined values. */
function pickFaults(options: Partial<FaultSettings>): Partial<FaultSettings> {
  const picked: Record<string, unknown> = {};
  for (const name of Object.keys(DEFAULT_FAULTS) as (keyof FaultSettings)[]) {
    if (options[name] !== undefined) picked[name] = options[name];
  }
  return picked as Partial<FaultSettings>;
}

const RATES = ['errorRate', 'throttleRate', 'hangRate', 'revertShare'] as const;
const COUNTS = ['latencyMs', 'latencyJitterMs', 'retryAfterSeconds', 'capacity', 'revertDelayMs'] as const;

/** Programmer-facing settings fail fast. */
export function checkFaults(s: FaultSettings): FaultSettings {
  for (const name of RATES) {
    const v = s[name];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new TypeError(`Expected \`${name}\` to be a number from 0 to 1, got \`${String(v)}\` (${typeof v})`);
    }
  }
  for (const name of COUNTS) {
    const v = s[name];
    if (!Number.isInteger(v) || v < 0) {
      throw new TypeError(`Expected \`${name}\` to be an integer of 0 or more, got \`${String(v)}\` (${typeof v})`);
    }
  }
  if (!Number.isInteger(s.tokenLifetimeSeconds) || s.tokenLifetimeSeconds < 1) {
    const v = s.tokenLifetimeSeconds;
    throw new TypeError(`Expected \`tokenLifetimeSeconds\` to be an integer of 1 or more, got \`${String(v)}\` (${typeof v})`);
  }
  if (typeof s.faultAuth !== 'boolean') throw new TypeError(`Expected \`faultAuth\` to be a boolean, got \`${String(s.faultAuth)}\``);
  return s;
}
