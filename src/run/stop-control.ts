/**
 * One switch that ends a run early: Ctrl-C, SIGTERM, the failure budget or a systemic error flip it.
 * Rows not yet started then become `skipped`; rows in flight finish.
 */
export class StopControl {
  private why: string | undefined;

  stop(reason: string): void {
    this.why ??= reason;
  }

  get requested(): boolean {
    return this.why !== undefined;
  }

  get reason(): string | undefined {
    return this.why;
  }
}
