/**
 * Lets at most `limit` requests be in flight, first come first served; the limit can change at any time
 * (`--concurrency auto`). A request waiting here has not been sent, so a row sleeping before a retry holds no slot.
 */
export class AdmissionGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  constructor(private current: number) {}

  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.active;
  }

  set limit(n: number) {
    if (!Number.isInteger(n) || n < 1) throw new TypeError(`Expected \`limit\` to be an integer of 1 or more, got \`${n}\``);
    this.current = n;
    this.drain();
  }

  /** Resolves once a slot is free; pair every admission with one `release()`. */
  admit(): Promise<void> {
    if (this.active < this.current && this.head === this.waiting.length) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    this.active = Math.max(0, this.active - 1);
    this.drain();
  }

  private drain(): void {
    while (this.active < this.current && this.head < this.waiting.length) {
      this.active++;
      const next = this.waiting[this.head]!;
      this.waiting[this.head++] = undefined as never;
      next();
    }
    if (this.head === this.waiting.length && this.head > 0) {
      this.waiting.length = 0;
      this.head = 0;
    }
  }
}
