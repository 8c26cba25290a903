import type { OdinClient } from '../client/odin-client.js';
import type { Fields } from '../model/fields.js';
import type { RowResult, RowTarget } from '../model/row-result.js';
import type { EarlierWrite } from '../records/write-log.js';

/** What one row gets: read, compare, write… Returns the row's result; a request failure is a failed result, never a throw. */
export type Step<T extends RowTarget> = (row: T, io: StepIo) => Promise<RowResult>;

export type StepIo = {
  client: OdinClient;
  /** Called just before a PUT is sent, with the values before this run touched the fields it changes (writes.ndjson). */
  beforeWrite?: (row: RowTarget, before: Fields, changed: readonly string[]) => void;
  /** A PUT an interrupted attempt sent for this row (a resume), whose fields keep their values from before it. */
  earlier?: EarlierWrite;
};
