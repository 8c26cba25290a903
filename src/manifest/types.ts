import type { Fields } from '../operations/types.js';

/** One row as read from the file, before any checking. `line` is 1-based, as an editor shows it. */
export type RawRow = { line: number; cells: Record<string, unknown> };

/** A problem found in the input, located so the operator can go straight to it. */
export type Problem = { file: string; line?: number; field?: string; message: string };

/** A row that passed validation: who it targets and the fields to set, in wire types. */
export type ManifestRow = {
  line: number;
  /** The key fields exactly as given, e.g. `{ userId: 'a@x' }`. */
  key: Record<string, string>;
  /** A display id: the userId, or `serviceProviderId/groupId`. */
  id: string;
  fields: Fields;
};

/** A manifest file opened for reading; `rows()` can be iterated more than once (validation, then the run). */
export type ManifestSource = {
  file: string;
  format: 'csv' | 'json';
  /** Fields given in the file itself (JSON `defaults`); job-file defaults are merged on top by the caller. */
  defaults: Record<string, unknown>;
  /** Iterates the rows; a CSV calls `onHeader` with its column names first. */
  rows(onHeader?: (columns: string[]) => void): AsyncIterable<RawRow>;
};
