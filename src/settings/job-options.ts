import type { GroupTarget } from './group-target.js';
import type { OperationDef } from '../operations/types.js';
import type { FailureBudget } from './max-failures.js';
import type { Shard } from './shard.js';
import type { WavePlan } from '../model/waves.js';

/** Everything a run needs to know, after the job file, flags and defaults are merged and checked. */
export type JobOptions = {
  name: string;
  op: OperationDef;
  /** Path of the manifest file; undefined when the job targets a group instead. */
  manifest?: string;
  /** The cell separator of a CSV manifest (`--delimiter`, job file `delimiter`). @default ',' */
  delimiter?: string;
  /** The group whose users (or, for a group operation, the group itself) get `defaults`; exclusive with `manifest`. */
  target?: GroupTarget;
  /** Job-file defaults, checked against the operation with the manifest; `file` names where they came from. */
  defaults: { values: Record<string, unknown>; file: string };
  /** Rows in flight at once, or 'auto': adapted to the server's answers (AIMD), up to maxConcurrency. @default 4 */
  concurrency: number | 'auto';
  /** Ceiling for `concurrency: 'auto'`. @default 64 */
  maxConcurrency: number;
  /** Requests per second for the whole run; 0 = uncapped. @default 5 */
  rate: number;
  /** Retries per request for transient failures. @default 4 */
  retries: number;
  /** Per-request timeout in milliseconds. @default 30000 */
  timeoutMs: number;
  /** Read and compare only; no PUT. */
  dryRun: boolean;
  /** user-services: when a group would run out of licences, skip the rows past the limit instead of refusing the group's writes. @default false */
  allowPartial?: boolean;
  /** Refuse (status invalid) a change that a gate flag leaves without effect. */
  strictGates: boolean;
  /** Report folder; undefined = reports/<name>-<UTC timestamp>/. With `resume`, the folder to continue. */
  outDir?: string;
  /** Continue the run in `outDir`: rows its journal has finished are kept, the rest are run (--resume). @default false */
  resume?: boolean;
  /** With `resume`: also redo rows that failed in an earlier attempt (--retry-failed). @default false */
  retryFailed?: boolean;
  /** Failed rows tolerated before the run stops (--max-failures). @default 10 % once 20 rows are finished */
  maxFailures: FailureBudget;
  /** A plan (dryRun) with rows to change exits 5 (EXIT.changesPending): a drift check. */
  failOnChanges: boolean;
  /** Only the rows of this shard (by a hash of the row id) run; the whole manifest is still validated. */
  shard?: Shard;
  /** `--canary` / `--waves`: write in waves, holding the rest back until each is done and checked. */
  waves?: WavePlan;
};
