import type { RowErrorCode } from '../client/describe-error.js';
import type { Fields } from '../operations/types.js';

export const ROW_STATUSES = ['updated', 'unchanged', 'planned', 'failed', 'conflict', 'invalid', 'skipped'] as const;
export type RowStatus = (typeof ROW_STATUSES)[number];

/** What happened to one manifest row: the unit of every report. */
export type RowResult = {
  line: number;
  key: Record<string, string>;
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
};

/** A row's result before anything is known: no values read yet, nothing sent. Callers fill it in. */
export function blankResult(row: { line: number; key: Record<string, string>; id: string; fields: Fields }, status: RowStatus): RowResult {
  return { line: row.line, key: row.key, id: row.id, status, requested: row.fields, before: null, after: null, changed: [], requests: 0, warnings: [] };
}
