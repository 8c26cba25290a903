import type { RowResult } from './row-result.js';
import type { RunObserver } from './run-observer.js';

/** Failures that say nothing about the row and everything about the server or the account. */
type Kind = 'unavailable' | 'forbidden' | 'bad-response';

const EXPLAIN: Record<Kind, string> = {
  unavailable: 'the server is down or failing (server errors, refused connections or timeouts)',
  forbidden: 'the account is not allowed to do this (HTTP 403)',
  'bad-response': 'the server answers with something that is not the Odin API (is ODIN_BASE_URL right?)',
};

/** Consecutive failed rows of one kind that stop a run: max(5, 2 × concurrency). */
export function streakLimit(concurrency: number): number {
  return Math.max(5, 2 * concurrency);
}

/**
 * Stops the run at once on failures no later row can survive, instead of burning through the manifest:
 * - a row refused with HTTP 401 although the client logged in again (credentials revoked, account locked);
 * - the last `streakLimit` finished rows all failed the same way. 500 and 503, a reset connection and a timeout
 *   count as one kind ("unavailable"): a dying server mixes them, and any success breaks the streak.
 * Rows kept from an earlier attempt, skipped rows and interrupted rows are not counted.
 */
export class SystemicFailureDetector implements RunObserver {
  private kind: Kind | undefined;
  private streak = 0;
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly stop: { stop(reason: string): void },
  ) {}

  onResult(result: RowResult): void {
    if (result.status === 'skipped' || result.errorCode === 'INTERRUPTED') return;
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
