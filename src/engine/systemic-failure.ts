import { EXIT, type ExitCode } from '../model/errors.js';
import { describeMissing } from '../operations/live-values.js';
import type { OperationDef } from '../operations/types.js';
import { isPending, type RowResult } from '../model/row-result.js';
import type { RunObserver } from '../model/run-observer.js';

/** Failures that say nothing about the row and everything about the server or the account. */
type Kind = 'unavailable' | 'forbidden' | 'bad-response';

const EXPLAIN: Record<Kind, string> = {
  unavailable: 'the server is down or failing (server errors, refused connections or timeouts)',
  forbidden: 'the account is not allowed to do this (HTTP 403)',
  'bad-response': 'the server answers with something that is not the Odin API (is ODIN_BASE_URL right?)',
};

/** Rows whose live answer lacked the same field (FIELD_MISSING) that stop a run: the server is an older release. */
export const FIELD_MISSING_LIMIT = 3;

/** Consecutive failed rows of one kind that stop a run: max(5, 2 × concurrency). */
export function streakLimit(concurrency: number): number {
  return Math.max(5, 2 * concurrency);
}

/**
 * Stops the run at once on failures no later row can survive, instead of burning through the manifest:
 * - the endpoint itself is missing (ENDPOINT_MISSING: a 404 naming no target, or an HTML page): at the first
 *   such row, exit 3, as when a run cannot start;
 * - `FIELD_MISSING_LIMIT` rows whose live answer lacked the same non-nullable field they set (an older release);
 * - a row refused with HTTP 401 although the client logged in again (credentials revoked, account locked);
 * - the last `streakLimit` finished rows all failed the same way. 500 and 503, a reset connection and a timeout
 *   count as one kind ("unavailable"): a dying server mixes them, and any success breaks the streak.
 * Rows kept from an earlier attempt, skipped rows and interrupted rows are not counted, nor are rows of users
 * without the service (NOT_ASSIGNED): they are about the user, not the server, and neither count nor break a streak.
 */
export class SystemicFailureDetector implements RunObserver {
  private kind: Kind | undefined;
  private streak = 0;
  private readonly seen = new Set<string>();
  private readonly missing = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly stop: { stop(reason: string, exitCode?: ExitCode): void },
    /** The run's operation, to name the release that added a missing field. */
    private readonly op?: OperationDef,
  ) {}

  onResult(result: RowResult): void {
    if (isPending(result) || result.errorCode === 'INTERRUPTED' || result.errorCode === 'NOT_ASSIGNED') return;
    if (result.status === 'failed' && result.errorCode === 'ENDPOINT_MISSING') {
      this.stop.stop(
        `the server does not have an endpoint this job needs: line ${result.line} (${result.id}): ${result.error ?? 'no such endpoint'}. ` +
          'Check ODIN_BASE_URL, and run `odin-bulk doctor` to see what this server offers',
        EXIT.couldNotStart,
      );
      return;
    }
    if (result.status === 'failed' && result.errorCode === 'FIELD_MISSING') {
      this.countMissing(result);
      return;
    }
    if (result.status === 'failed' && result.errorCode === 'AUTH' && result.httpStatus !== 403) {
      this.stop.stop(
        `systemic failure: line ${result.line} (${result.id}) was refused with HTTP ${result.httpStatus ?? 401} even after logging in again; ` +
          'the credentials no longer work (password changed, account locked or token revoked)',
      );
      return;
    }
    const kind = kindOf(result);
    if (kind !== this.kind) {
      this.kind = kind;
      this.streak = 0;
      this.seen.clear();
    }
    if (!kind) return;
    this.streak++;
    this.seen.add(result.httpStatus ? `HTTP ${result.httpStatus}` : (result.errorCode ?? 'error'));
    if (this.streak >= this.limit) {
      this.stop.stop(
        `systemic failure: the last ${this.streak} rows all failed (${[...this.seen].join(', ')}): ${EXPLAIN[kind]}; no row can succeed until that is fixed`,
      );
    }
  }

  /**
   * The fields a FIELD_MISSING row set that the server did not return (its `before` holds only what was returned).
   * After `FIELD_MISSING_LIMIT` rows lacking the same field, the run stops: this server will not return it.
   */
  private countMissing(result: RowResult): void {
    // A job of steps: only the step that failed read its fields (later steps were not run).
    const step = result.steps?.find((s) => s.errorCode === 'FIELD_MISSING')?.operation;
    const fields = Object.keys(result.requested).filter((f) => (!step || f.startsWith(`${step}.`)) && (!result.before || !Object.hasOwn(result.before, f)));
    for (const field of fields) {
      const count = (this.missing.get(field) ?? 0) + 1;
      this.missing.set(field, count);
      if (count < FIELD_MISSING_LIMIT) continue;
      const named = this.op ? describeMissing(this.op, [field]) : field;
      this.stop.stop(
        `systemic failure: ${count} rows set ${field}, and the server's answer has no ${named}; ` +
          'no row that sets it can be checked or written on this server. Leave that column out, or run `odin-bulk doctor` to see which fields the server returns',
      );
      return;
    }
  }
}

function kindOf(r: RowResult): Kind | undefined {
  if (r.status !== 'failed') return undefined;
  switch (r.errorCode) {
    case 'HTTP_5XX':
    case 'NETWORK':
    case 'TIMEOUT':
      return 'unavailable';
    case 'AUTH':
      return 'forbidden';
    case 'BAD_RESPONSE':
      return 'bad-response';
    default:
      return undefined; // 404, 400, verify: about this row's data, left to the failure budget
  }
}
