import { join } from 'node:path';
import { createFileLogger } from '../logging/create-logger.js';
import { teeLogger, type ClosableLogger, type Logger } from '../logging/logger.js';
import type { Secrets } from '../logging/secrets.js';
import { isFailure, type RowResult, type RowTarget } from '../model/row-result.js';
import type { RunObserver } from '../model/run-observer.js';
import type { OperationDef } from '../operations/types.js';
import { REPORT_FILES } from '../records/report-files.js';
import { writeRunInfo, type RunInfo } from '../records/run-info.js';
import { WriteLog } from '../records/write-log.js';
import { claimReportFolder } from '../report/folder-lock.js';
import { planHeaderFor } from '../records/plan-file.js';
import { PlanWriter } from '../report/plan-writer.js';
import { ReportWriter } from '../report/report-writer.js';
import type { ArtefactBuilder } from '../report/artefact-builder.js';
import { appendStepSummary } from '../report/step-summary.js';
import type { Resume } from '../resume/resume.js';
import type { CheckedInput, Claimed, OpenedRows, Output } from './row-engine.js';

export type ReportFolderSpec = {
  dir: string;
  /** `run`, `plan` or `apply`: recorded in the folder's lock. */
  command: 'run' | 'plan' | 'apply';
  op: OperationDef;
  /** run.json of this run, once its rows are listed (the hash of its input is known then). */
  describe(rows: OpenedRows<unknown>, input: CheckedInput<RowTarget>, started: Date): RunInfo;
  /** Write plan.json beside the reports: what `apply` will send. */
  plan?: boolean;
  /** Record each PUT in writes.ndjson before it is sent. */
  writes?: boolean;
  /** Continue the run this folder holds (--resume). */
  resume?: Resume;
};

export type ReportFolderDeps = {
  /** The operator's log (the console). */
  logger: Logger;
  secrets: Secrets;
  now: () => Date;
  /** The caller's environment, for the artefacts (GITHUB_STEP_SUMMARY); never read from process.env here. */
  env?: Readonly<Record<string, string | undefined>>;
  openRunLog?: (file: string, secrets: Secrets) => ClosableLogger;
};

/**
 * The report folder as a run's output: claimed with its lock before any request; then run.json, run.log, the
 * journal (a line per row as it ends), writes.ndjson (a line per PUT before it is sent) and plan.json; at the end
 * results, rollback, failed, summary.json and the artefacts (junit.xml, summary.md, report.html).
 */
export function reportFolder(spec: ReportFolderSpec, deps: ReportFolderDeps): Output {
  return {
    async claim(input, started) {
      const { dir, resume } = spec;
      // Before any request: of two runs given one folder, only one goes on (a resume takes the same lock).
      const lock = await claimReportFolder(dir, { command: spec.command, resume: resume !== undefined, now: deps.now });
      try {
        await resume?.open(input.defaults);
      } catch (error) {
        await lock.release();
        throw error;
      }
      let writes: WriteLog | undefined;
      let runLog: ClosableLogger | undefined;
      let info: RunInfo | undefined;
      let artefacts: ArtefactBuilder | undefined;
      let log: Logger = deps.logger;
      const claimed: Claimed = {
        finishedEarlier: resume?.finishedCount ?? 0,
        ...(resume ? { kept: (row) => resume.kept(row), earlierWrite: (row) => resume.earlierWrite(row) } : {}),
        async open(rows, checked) {
          info = resume?.info ?? spec.describe(rows, checked, started);
          if (!resume) await writeRunInfo(dir, info);
          // Each PUT is recorded before it is sent, so a resume after a crash still knows what it may have changed.
          if (spec.writes) writes = new WriteLog(join(dir, REPORT_FILES.writes), (text) => deps.secrets.redact(text));
          runLog = (deps.openRunLog ?? createFileLogger)(join(dir, REPORT_FILES.log), deps.secrets);
          log = teeLogger(deps.logger, runLog);
          log.debug(`job "${info.job}": ${rows.count} row${rows.count === 1 ? '' : 's'} from ${checked.source}`, { operation: spec.op.name, command: spec.command });
          resume?.announce(log, rows.count);
          // The artefacts' writers (report.html among them) are loaded only once there are rows to show.
          const { ArtefactBuilder } = await import('../report/artefact-builder.js');
          artefacts = new ArtefactBuilder(dir, info);
          const observers: RunObserver[] = [new ReportWriter({ dir, op: spec.op, fieldsUsed: info.fieldsUsed, artefacts }, deps.secrets)];
          if (spec.plan) observers.push(new PlanWriter(dir, planHeaderFor(info), deps.secrets));
          observers.push(rowLog(runLog, log));
          return { observers, log, runLog, ...(writes ? { beforeWrite: (row, before, changed) => writes!.record(row, before, changed) } : {}) };
        },
        async finish(summary) {
          // Built from the rows as they passed: nothing is read back.
          const markdown = await artefacts!.commit(summary);
          artefacts = undefined;
          for (const warning of await appendStepSummary(markdown, deps.env)) log.warn(warning);
        },
        async release() {
          // A run that did not finish leaves no part of the artefacts.
          await artefacts?.discard();
          writes?.close();
          await runLog?.close();
          resume?.close();
          await lock.release();
        },
      };
      return claimed;
    },
  };
}

/** Each finished row in run.log; a failed one on the console too. Rows kept from an earlier attempt are not logged again. */
function rowLog(runLog: Logger, console: Logger): RunObserver {
  return {
    onResult(r: RowResult) {
      const meta = { line: r.line, id: r.id, status: r.status, requests: r.requests, changed: r.changed };
      if (isFailure(r)) console.warn(`line ${r.line} ${r.id}: ${r.status}: ${r.error}`, meta);
      else runLog.debug(`line ${r.line} ${r.id}: ${r.status}`, meta);
      for (const w of r.warnings) runLog.warn(`line ${r.line} ${r.id}: ${w}`, { line: r.line, id: r.id });
    },
  };
}

/**
 * reports/<job-name>-<UTC timestamp>, e.g. reports/clid-migration-20261130T101500Z (`parent` instead of reports/: an
 * apply's folder goes in its plan's); when `taken` says that folder is there already (a run of the same job started
 * in the same second), the first of …-2, …-3 that is not.
 */
export function defaultOutDir(name: string, at: Date, taken: (dir: string) => boolean = () => false, parent = 'reports'): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const base = join(parent, `${name.replace(/[^\w.-]+/g, '_')}-${stamp}`);
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}
