import type { Fields } from '../operations/types.js';

/** One row as read from the file, before any checking. `line` is 1-based, as an editor shows it. */
export type RawRow = {
  line: number;
  cells: Record<string, unknown>;
  /** JSON: the row was not an object; `value` is what it was (cells is then empty). */
  notObject?: { value: unknown };
  /** JSON: the row's place in the file, `rows[3]` or `[3]`, for files where rows share a line. */
  path?: string;
  /** CSV: the record could not be read (uneven cells, a stray quote); the message says why. `cells` is empty. */
  broken?: string;
  /** JSON: keys the row names twice (JSON keeps the last one silently). */
  duplicates?: ReadonlyArray<{ key: string; line: number; firstLine: number }>;
};

/**
 * A problem found in the input, located so the operator can go straight to it. `path` (JSON only: `rows[3]`)
 * is shown beside the line when rows share lines, as in a file written on one line.
 */
export type Problem = { file: string; line?: number; path?: string; field?: string; message: string };

/** A row that passed validation: who it targets and the fields to set, in wire types. */
export type ManifestRow = {
  line: number;
  /** The key fields exactly as given, e.g. `{ userId: 'a@x' }`. */
  key: Record<string, string>;
  /** A display id: the userId, or `serviceProviderId/groupId`. */
  id: string;
  fields: Fields;
  /** A user manifest's `serviceProviderId/groupId` columns, when given: what `--wave-order spread` spreads over. */
  group?: string;
};

/** A manifest file opened for reading; `rows()` can be iterated more than once (validation, then the run). */
export type ManifestSource = {
  file: string;
  format: 'csv' | 'json';
  /** Fields given in the file itself (JSON `defaults`); job-file defaults are merged on top by the caller. */
  defaults: Record<string, unknown>;
  /** CSV: the cell separator (`,` unless `--delimiter` says otherwise). */
  delimiter?: string;
  /** The file's size in bytes, as opened. */
  size: number;
  /** Iterates the rows; a CSV calls `onHeader` with its column names first. A file read whole iterates them at once. */
  rows(onHeader?: (columns: string[]) => void): AsyncIterable<RawRow> | Iterable<RawRow>;
  /** sha256 of the file's bytes (of the bytes read, for a file read whole): what run.json and a resume compare. */
  hash(): Promise<string>;
};
