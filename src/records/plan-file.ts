import type { Fields } from '../operations/types.js';
import type { RunInfo } from './run-info.js';
import type { RowResult, RowStatus } from '../model/row-result.js';

export const PLAN_FILE = 'plan.json';
/** Bump when the shape changes; apply refuses versions it does not know. */
export const PLAN_VERSION = 1;

/** Everything in plan.json except its rows: what the plan was made from. */
export type PlanHeader = {
  version: typeof PLAN_VERSION;
  createdAt: string;
  job: string;
  operation: string;
  keyFields: string[];
  /** Fields the manifest set, in the operation's order: the report columns of an apply. */
  fieldsUsed: string[];
  /** The manifest; absent when the plan targeted a group. */
  manifest?: string;
  /** sha256 of the manifest's bytes. */
  manifestHash?: string;
  /** The group the plan targeted instead of a manifest, and the hash of its user list. */
  target?: RunInfo['target'];
  userListHash?: string;
  /** The plan run's settings; apply uses them unless flags override. */
  settings: RunInfo['settings'];
};

/**
 * One manifest row in the plan. Key fields (e.g. `userId`) sit beside `line`. `before` holds the live values
 * of the fields the row asked for; `set` (only when `status` is `planned`) is exactly what apply will PUT.
 */
export type PlanRow = {
  line: number;
  key: Record<string, string>;
  status: RowStatus;
  before: Fields | null;
  set?: Fields;
  warnings?: string[];
  error?: string;
};

export function planHeaderFor(info: RunInfo): PlanHeader {
  return {
    version: PLAN_VERSION,
    createdAt: info.startedAt,
    job: info.job,
    operation: info.operation,
    keyFields: info.keyFields,
    fieldsUsed: info.fieldsUsed,
    ...(info.target ? { target: info.target, userListHash: info.userListHash } : { manifest: info.manifest, manifestHash: info.manifestHash }),
    settings: info.settings,
  };
}

/** A finished plan-mode row as a plan row. Pure. */
export function planRowOf(r: RowResult): PlanRow {
  const row: PlanRow = { line: r.line, key: r.key, status: r.status, before: r.before };
  if (r.status === 'planned') row.set = Object.fromEntries(r.changed.map((f) => [f, r.requested[f] ?? null]));
  if (r.warnings.length) row.warnings = r.warnings;
  if (r.error) row.error = r.error;
  return row;
}

/** The row as one line of plan.json: key fields flattened next to `line`, for a readable diff. */
export function planRowJson(row: PlanRow): string {
  const { line, key, ...rest } = row;
  return JSON.stringify({ line, ...key, ...rest });
}

/**
 * The text of plan.json before its rows. Rows follow one per line, so a reviewer's diff shows one line per
 * user and apply can stream a 200,000-row plan instead of parsing it whole.
 */
export function planHead(header: PlanHeader): string {
  const lines = Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  return `{\n${lines.join('\n')}\n  "rows": [`;
}

export const PLAN_TAIL = '\n  ]\n}\n';
