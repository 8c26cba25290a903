/** Exit codes: the one table (documented in the README under "Exit codes"), and below it the exit policy of a run. */
export const EXIT = {
  ok: 0,
  rowsFailed: 1,
  invalidInput: 2,
  couldNotStart: 3,
  aborted: 4,
  changesPending: 5,
  internal: 70, // EX_SOFTWARE in sysexits
  interrupted: 130, // a second Ctrl-C: quit at once (128 + SIGINT), the journal intact
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type JobErrorCode =
  | 'EMANIFEST_INVALID' // bad manifest rows or fields
  | 'EINPUT' // bad job file, flags or environment
  | 'EAUTH' // authentication refused at start
  | 'EUNREACHABLE' // base URL cannot be reached at start
  | 'EENDPOINT' // the server lacks an endpoint the job needs (404 naming no target, an HTML page)
  | 'EABORTED' // interrupted, or the failure budget ran out
  | 'ERESUME' // a resume that cannot be done safely
  | 'EPLAN' // a plan.json that is missing, of an unknown version, or damaged
  | 'ETLS'; // the server's TLS certificate is not trusted

const EXIT_FOR: Record<JobErrorCode, ExitCode> = {
  EMANIFEST_INVALID: EXIT.invalidInput,
  EINPUT: EXIT.invalidInput,
  ERESUME: EXIT.invalidInput,
  EPLAN: EXIT.invalidInput,
  ETLS: EXIT.couldNotStart,
  EAUTH: EXIT.couldNotStart,
  EUNREACHABLE: EXIT.couldNotStart,
  EENDPOINT: EXIT.couldNotStart,
  EABORTED: EXIT.aborted,
};

/** An error that stops the whole job. Row failures are not errors: they are results. */
export class JobError extends Error {
  override name = 'JobError';
  constructor(
    readonly code: JobErrorCode,
    message: string,
    /** Further lines for the operator: every problem found, or what to do next. */
    readonly details: readonly string[] = [],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  /** The exit code the CLI ends with for this error (2 bad input, 3 could not start, 4 aborted). */
  get exitCode(): ExitCode {
    return EXIT_FOR[this.code];
  }
}

export function exitCodeFor(error: unknown): ExitCode {
  return error instanceof JobError ? error.exitCode : EXIT.internal;
}

/** What decides a run's exit code besides its rows. */
export type ExitContext = {
  /** The run was stopped early (Ctrl-C, failure budget, a systemic failure). */
  aborted: boolean;
  /** The exit code the stop asked for: 3 when the server lacks an endpoint the job needs. @default 4 */
  abortExitCode?: ExitCode;
  /** `--fail-on-changes`: a plan with rows to change exits 5. */
  failOnChanges: boolean;
};

/**
 * The exit policy of every command that works through rows. Precedence: aborted (4, or 3 for a missing endpoint)
 * > rows failed (1) > changes pending (5, only with --fail-on-changes) > 0, so a broken drift check is never
 * mistaken for drift, and drift never hides a failure. Pure.
 */
export function runExitCode(counts: { failures: number; planned: number }, context: ExitContext): ExitCode {
  if (context.aborted) return context.abortExitCode ?? EXIT.aborted;
  if (counts.failures > 0) return EXIT.rowsFailed;
  return context.failOnChanges && counts.planned > 0 ? EXIT.changesPending : EXIT.ok;
}

/** The line that says why a drift check exits 5; undefined when it does not. */
export function driftNote(summary: { planned: number; exitCode: ExitCode }): string | undefined {
  if (summary.exitCode !== EXIT.changesPending) return undefined;
  return `${summary.planned} row${summary.planned === 1 ? '' : 's'} differ from the manifest: exit ${EXIT.changesPending} (--fail-on-changes)`;
}
