/**
 * One switch that ends a run early: Ctrl-C, SIGTERM, the failure budget or a systemic error flip it.
 * Rows not yet started then become `skipped`; rows in flight finish, unless `abortInFlight` cuts them short
 * (their requests end at once and the rows become `failed` INTERRUPTED, which a resume redoes).
 */
export class StopControl {
  private why: string | undefined;
  private readonly aborter = new AbortController();

  stop(reason: string): void {
    this.why ??= reason;
  }

  /** Ends the requests in flight now (the bounded wait after an interrupt is over). */
  abortInFlight(reason = 'requests in flight were aborted'): void {
    this.stop(reason);
    this.aborter.abort();
  }

  get requested(): boolean {
    return this.why !== undefined;
  }

  get reason(): string | undefined {
    return this.why;
  }

  /** Given to every request: aborted by `abortInFlight`. */
  get signal(): AbortSignal {
    return this.aborter.signal;
  }

  get aborted(): boolean {
    return this.aborter.signal.aborted;
  }
}
