import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runRows, type EngineDeps, type Output } from '../engine/row-engine.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { JobError } from '../model/errors.js';
import { isFailure, type RowResult } from '../model/row-result.js';
import type { JobSummary } from '../model/summary.js';
import { ExportWriter, type LeftOut } from '../report/export-writer.js';
import type { Connection } from '../settings/connection.js';
import type { ExportOptions } from '../settings/resolve-export.js';
import { exportInput } from '../sources/export-targets.js';
import { forEachStep } from '../steps/in-steps.js';
import { readOnly } from '../steps/read-only.js';

export type ExportDeps = EngineDeps;

export type ExportOutcome = {
  /** Targets listed (group) or named (manifest). */
  targets: number;
  /** Rows written to the file; 0 means no file was written. */
  written: number;
  /** Targets read but left out: none of their fields could be written. */
  emptyTargets: number;
  /** Targets that could not be read (the first 100 kept), and how many in all. */
  failures: RowResult[];
  failedCount: number;
  /** Users left out because they do not have the operation's service (NOT_ASSIGNED): nothing to export for them. */
  unassigned: number;
  /** The first of them in target order, for the summary. */
  firstUnassigned?: string;
  omissions: LeftOut[];
  requests: number;
  retries: number;
  durationMs: number;
  exitCode: JobSummary['exitCode'];
  /** The targets counted by status, as a run's summary.json counts rows (read targets are `unchanged`). */
  summary: JobSummary;
  /** Why the export stopped early (interrupt, failure budget, systemic failure): then nothing was written. */
  stopReason?: string;
};

const KEPT_FAILURES = 100;

/** Users without the operation's service have nothing to export: they are left out, not failed. */
const failing = (r: RowResult) => isFailure(r) && r.errorCode !== 'NOT_ASSIGNED';

/**
 * `export`: the row engine with the targets of a manifest (key columns only) or a group, a read-only step (GET
 * only, with the run's client, rate limit, retries and concurrency), and a manifest file as the output. Targets
 * that cannot be read are left out and reported (exit 1); an export stopped early writes nothing.
 */
export async function runExport(options: ExportOptions, connection: Connection, deps: ExportDeps): Promise<ExportOutcome> {
  const { job } = options;
  const file = exportFile(options, deps.logger);
  const outcome = await runRows(
    { op: job.op, settings: job, check: () => exportInput(job), output: file.output, step: forEachStep(job.op, readOnly, (row) => row), failing },
    connection,
    deps,
  );
  const { summary } = outcome;
  return {
    ...file.found(),
    targets: summary.total,
    requests: summary.requests,
    retries: summary.retries,
    durationMs: summary.durationMs,
    exitCode: summary.exitCode,
    summary,
    ...(outcome.stopReason === undefined ? {} : { stopReason: outcome.stopReason }),
  };
}

type Found = Pick<ExportOutcome, 'written' | 'emptyTargets' | 'failures' | 'failedCount' | 'unassigned' | 'firstUnassigned' | 'omissions'>;

/** The export file as the engine's output, and what it found along the way. */
function exportFile(options: ExportOptions, logger: Logger): { output: Output; found(): Found } {
  let writer: ExportWriter | undefined;
  const failures: RowResult[] = [];
  let failedCount = 0;
  let unassigned = 0;
  let firstUnassigned: { id: string; index: number } | undefined;
  let missingEndpoint: RowResult | undefined;
  const output: Output = {
    async claim() {
      await checkOut(options);
      let committed = false;
      return {
        finishedEarlier: 0,
        async open() {
          writer = new ExportWriter(options.out, options.format, options.job.op, options.fields);
          const found = {
            onResult(result: RowResult, index: number) {
              writer!.add(result, index);
              if (result.status !== 'failed') return;
              if (result.errorCode === 'NOT_ASSIGNED') {
                unassigned++;
                if (!firstUnassigned || index < firstUnassigned.index) firstUnassigned = { id: result.id, index };
                return;
              }
              if (result.errorCode === 'ENDPOINT_MISSING') missingEndpoint ??= result;
              if (failedCount++ < KEPT_FAILURES) failures.push(result);
              logger.debug(`${result.id}: cannot be read: ${result.error}`, { line: result.line, id: result.id });
            },
          };
          return { observers: [found], log: logger, runLog: silentLogger };
        },
        async finish(_summary, stop) {
          // The endpoint is missing: no target can be read, and the systemic detector stopped the export.
          if (missingEndpoint) {
            throw new JobError('EENDPOINT', `nothing was exported: ${missingEndpoint.error}`, ['Check ODIN_BASE_URL and the operation; `odin-bulk doctor` shows which endpoints this server answers.']);
          }
          // An export stopped early would be incomplete: nothing is written.
          if (stop.requested || writer!.written === 0) return;
          await writer!.commit();
          committed = true;
        },
        async release() {
          if (!committed) await writer?.discard();
        },
      };
    },
  };
  return {
    output,
    found: () => ({
      written: writer?.written ?? 0,
      emptyTargets: writer?.emptyTargets ?? 0,
      failures,
      failedCount,
      unassigned,
      ...(firstUnassigned ? { firstUnassigned: firstUnassigned.id } : {}),
      omissions: writer?.omissions ?? [],
    }),
  };
}



/** Refuses an existing file (without --overwrite) or a missing folder before anything is sent. */
async function checkOut(options: ExportOptions): Promise<void> {
  const existing = await stat(options.out).catch(() => undefined);
  if (existing && !options.overwrite) {
    throw new JobError('EINPUT', `${options.out} already exists`, ['Choose another --out file, or add --overwrite to replace it.']);
  }
  if (existing && !existing.isFile()) throw new JobError('EINPUT', `${options.out} is not a file`);
  const folder = await stat(dirname(options.out)).catch(() => undefined);
  if (!folder?.isDirectory()) throw new JobError('EINPUT', `the folder of ${options.out} does not exist`);
}
