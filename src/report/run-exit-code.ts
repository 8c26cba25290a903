import { EXIT, type ExitCode } from '../errors.js';
import { exitCodeForCounts, type StatusCounts } from './summarize.js';

export type ExitContext = {
  /** The run was stopped early (Ctrl-C, failure budget). */
  aborted: boolean;
  /** The exit code the stop asked for: 3 when the server lacks an endpoint the job needs. @default 4 */
  abortExitCode?: ExitCode;
  /** `--fail-on-changes`: a plan with rows to change exits 5. */
  failOnChanges: boolean;
};

/**
 * A run's exit code. Precedence: aborted (4, or 3 for a missing endpoint) > rows failed (1) > changes pending (5, only with --fail-on-changes)
 * > 0, so a broken drift check is never mistaken for drift, and drift never hides a failure. Pure.
 */
export function runExitCode(counts: StatusCounts, context: ExitContext): ExitCode {
  if (context.aborted) return context.abortExitCode ?? EXIT.aborted;
  const code = exitCodeForCounts(counts);
  if (code !== EXIT.ok) return code;
  return context.failOnChanges && counts.planned > 0 ? EXIT.changesPending : EXIT.ok;
}

/** The line that says why a drift check exits 5; undefined when it does not. */
export function driftNote(summary: { planned: number; exitCode: ExitCode }): string | undefined {
  if (summary.exitCode !== EXIT.changesPending) return undefined;
  return `${summary.planned} row${summary.planned === 1 ? '' : 's'} differ from the manifest: exit ${EXIT.changesPending} (--fail-on-changes)`;
}
