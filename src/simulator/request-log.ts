import type { RecordedRequest, SimulatorStats } from './types.js';

const SECRET_NAME = /password|passcode|token/i;

/** Counters (always on, cheap) and the optional request record. */
export class RequestLog {
  record: boolean;
  readonly requests: RecordedRequest[] = [];
  private total = 0;
  private inFlight = 0;
  private maxInFlight = 0;
  private byRoute = new Map<string, number>();
  private byKey = new Map<string, number>();

  constructor(record: boolean) {
    this.record = record;
  }

  /** Counts a request in; returns its place among those in flight (1 = alone). */
  arrive(): number {
    this.total++;
    this.inFlight++;
    if (this.inFlight > this.maxInFlight) this.maxInFlight = this.inFlight;
    return this.inFlight;
  }

  leave(): void {
    this.inFlight--;
  }

  count(method: string, path: string, key: string | undefined): void {
    const route = `${method} ${path}`;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    if (key !== undefined) {
      const routeKey = `${route}\n${key}`;
      this.byKey.set(routeKey, (this.byKey.get(routeKey) ?? 0) + 1);
    }
  }

  countOf(method: string, path: string, key?: string): number {
    const route = `${method.toUpperCase()} ${path}`;
    return (key === undefined ? this.byRoute.get(route) : this.byKey.get(`${route}\n${key}`)) ?? 0;
  }

  add(entry: RecordedRequest): void {
    this.requests.push({ ...entry, body: maskSecrets(entry.body) });
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  stats(): SimulatorStats {
    return {
      total: this.total,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      byRoute: Object.fromEntries(this.byRoute),
    };
  }

  /** Zeroes the counters; maxInFlight restarts from what is in flight now. */
  resetStats(): void {
    this.total = 0;
    this.maxInFlight = this.inFlight;
    this.byRoute = new Map();
    this.byKey = new Map();
  }
}

function maskSecrets(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  if (!Object.keys(body).some((k) => SECRET_NAME.test(k))) return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, SECRET_NAME.test(k) && v != null ? '***' : v]));
}
