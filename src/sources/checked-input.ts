import type { OdinClient } from '../client/odin-client.js';
import type { Fields } from '../model/fields.js';
import type { RowTarget } from '../model/row-result.js';

/** The input, checked offline: every problem is found before anything is sent. */
export type CheckedInput<T extends RowTarget> = {
  /** What it reads from, for the log: the manifest file, `group SP/GROUP`, the plan file. */
  source: string;
  /** Fields the rows set, in the operation's order: the report columns. */
  fieldsUsed: string[];
  /** Values every row gets (recorded in run.json; a resume must match them). */
  defaults: Fields;
  /** Lines for the operator before anything is sent (e.g. gate warnings found while validating). */
  warnings: string[];
  /** Rows to work through, when known before logging in (a manifest, a plan); a group's are listed after. */
  rowCount?: number;
  /**
   * After login: the rows (streamed), how many, and the hash of what they came from (run.json). `kept` tells the
   * rows whose result stands from an earlier attempt (a resume), which are not run again.
   */
  open(client: OdinClient, context?: OpenContext): Promise<OpenedRows<T>>;
};

export type OpenContext = {
  kept?: (row: RowTarget) => boolean;
  /** The operator's console, for a line before a long listing (the licence check's reads). */
  say?: (line: string) => void;
};

export type OpenedRows<T> = {
  rows: AsyncIterable<T>;
  count: number;
  hash: string;
  /** Lines for the log once, about how the rows were read (e.g. a group read in one request, or why not). */
  notes?: RunNote[];
};

/** A line for the operator's log and run.log. */
export type RunNote = { level: 'debug' | 'info' | 'warn'; text: string };
