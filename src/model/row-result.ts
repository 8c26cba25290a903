import type { Fields } from './fields.js';

/** What can happen to a row; the order is the reports' order. */
export const ROW_STATUSES = ['updated', 'unchanged', 'planned', 'failed', 'conflict', 'invalid', 'skipped', 'waiting'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** The statuses a row fails with: it counts against the exit code, shows as a failed test case, and is listed as failed. */
export const FAILING_STATUSES: ReadonlySet<RowStatus> = new Set(['failed', 'conflict', 'invalid']);

/**
 * Why a row failed. Codes about the server rather than the row (see src/client/classify-failure.ts and
 * docs/odin-compatibility.md): ENDPOINT_MISSING = the server has no such endpoint (a 404 that names no target,
 * 405, or an HTML page); NOT_ASSIGNED = the user lacks the BroadWorks service the endpoint belongs to;
 * FIELD_MISSING = the live answer lacks a field the row sets that cannot be null (an older release);
 * UNKNOWN_NAME = a service or pack name the user's list does not hold; NO_LICENCE = the user's group has no
 * licence left for an assignment, or is not authorised for the service.
 */
export type RowErrorCode =
  | 'HTTP_4XX'
  | 'HTTP_5XX'
  | 'NOT_FOUND'
  | 'NOT_ASSIGNED'
  | 'ENDPOINT_MISSING'
  | 'FIELD_MISSING'
  | 'UNKNOWN_NAME'
  | 'NO_LICENCE'
  | 'AUTH'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'TLS'
  | 'BAD_RESPONSE'
  | 'VERIFY'
  | 'CONFLICT'
  | 'INTERRUPTED';

/**
 * What happened to one row (one target): the unit of every report, the journal, plan.json and a merge. The only
 * row type: records/row-codec.ts writes and reads its forms on disk.
 */
export type RowResult = {
  /** The manifest line (or, for a group, the position in the listing; for apply, the plan's manifest line). */
  line: number;
  key: Record<string, string>;
  /** The display id: `targetId` of the key. */
  id: string;
  status: RowStatus;
  /** The fields the row asked for (defaults applied), in wire types. */
  requested: Fields;
  /** Live values of the requested fields before any write; null when they could not be read. */
  before: Fields | null;
  /** Values after the write (the PUT response); equal to `before` for unchanged rows; null when not known. */
  after: Fields | null;
  /** Fields that differed and were (or, in a plan, would be) written. */
  changed: string[];
  /** HTTP requests this row sent, retries included (older report folders call it `attempts`; they are still read). */
  requests: number;
  error?: string;
  errorCode?: RowErrorCode;
  httpStatus?: number;
  warnings: string[];
  /** A job of several steps (issue 13): what happened in each step, in step order. Absent for one operation. */
  steps?: StepOutcome[];
};

/**
 * One step of a row of a job of several steps: its operation, status, the fields it changed (named
 * `OPERATION.FIELD`, as the row's), its requests and, when it failed or was skipped, why.
 */
export type StepOutcome = {
  operation: string;
  status: RowStatus;
  changed: string[];
  requests: number;
  error?: string;
  errorCode?: RowErrorCode;
  httpStatus?: number;
};

/** Why a step after a failed one was not run. */
export const EARLIER_STEP_FAILED = 'an earlier step failed';

/** A target's display id: its key values joined with `/` (the userId, or `serviceProviderId/groupId`). */
export function targetId(keyFields: readonly string[], key: Readonly<Record<string, string>>): string {
  return keyFields.map((k) => key[k]).join('/');
}

/** True for a row that failed (failed, conflict or invalid): the one definition every count and report uses. */
export function isFailure(r: Pick<RowResult, 'status'>): boolean {
  return FAILING_STATUSES.has(r.status);
}

/**
 * A target to work on: who (key, id, the manifest line) and the fields asked for; `prefetched` when its live values
 * were already read with the others of its group (a group-wide read, sources/group-bulk-read.ts): the step then
 * sends no GET for them.
 */
export type RowTarget = { line: number; key: Record<string, string>; id: string; fields: Fields; prefetched?: PrefetchedLive };

/**
 * A target's live values as a group-wide read gave them: its settings (read as a per-user GET is read), or that it
 * lacks the service. `via` names the request, for messages (`GET /users/call-forwarding-always/bulk`).
 */
export type PrefetchedLive = { via: string } & ({ assigned: true; fields: Fields } | { assigned: false; service: string });

/** A row's result before anything is known: no values read yet, nothing sent. Callers fill it in. */
export function blankResult(row: RowTarget, status: RowStatus): RowResult {
  return { line: row.line, key: row.key, id: row.id, status, requested: row.fields, before: null, after: null, changed: [], requests: 0, warnings: [] };
}

/**
 * Statuses of a row that is not done yet, and that a resume runs: `skipped` (the run stopped before it started) and
 * `waiting` (held back by a canary or a wave: not failed, not skipped, left for the continuing run).
 */
export const PENDING_STATUSES: ReadonlySet<RowStatus> = new Set(['skipped', 'waiting']);

/** True for a row a resume (or the continuing run of a canary) still has to do. */
export function isPending(r: Pick<RowResult, 'status'>): boolean {
  return PENDING_STATUSES.has(r.status);
}

/** A row held back by a canary or a wave (`--canary`, `--waves`): nothing was sent for it; `--resume` continues it. */
export function waitingResult(row: RowTarget, reason: string): RowResult {
  return { ...blankResult(row, 'waiting'), error: reason };
}

/** A row never started because the run stopped first. */
export function skippedResult(row: RowTarget, reason = 'not started: the run stopped'): RowResult {
  return { ...blankResult(row, 'skipped'), error: reason };
}

/** The words every gate warning carries ("clidPolicy has no effect while useUserCLIDSetting is false"). */
export const GATE_WARNING_WORDS = 'has no effect while';

/** True for a warning that a gate flag leaves a change without effect (see operations/gate-warnings.ts). */
export function isGateWarning(warning: string): boolean {
  return warning.includes(` ${GATE_WARNING_WORDS} `);
}
