import { EXIT, type ExitCode } from '../model/errors.js';

/**
 * One switch that ends a run early: Ctrl-C, SIGTERM, the failure budget or a systemic error flip it.
 * Rows not yet started then become `skipped`; rows in flight finish, unless `abortInFlight` cuts them short
 * (their requests end at once and the rows become `failed` INTERRUPTED, which a resume redoes).
 */
export class StopControl {
  private why: string | undefined;
  private code: ExitCode = EXIT.aborted;
  private readonly aborter = new AbortController();

  /**
   * The first stop wins. `exitCode`: what the run exits with because of it (4, aborted, unless the stop says the
   * server is not the API the job needs: 3, as when it cannot start).
   */
  stop(reason: string, exitCode: ExitCode = EXIT.aborted): void {
    if (this.why !== undefined) return;
    this.why = reason;
    this.code = exitCode;
  }

  /** The exit code of the stop that won (4 unless it said otherwise); meaningful once `requested`. */
  get exitCode(): ExitCode {
    return this.code;
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
