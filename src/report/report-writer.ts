import { closeSync, openSync, writeSync } from 'node:fs';
import { devNull } from 'node:os';
import { join } from 'node:path';
import type { Secrets } from '../logging/secrets.js';
import type { OperationDef } from '../operations/types.js';
import type { RowResult } from '../model/row-result.js';
import type { RunObserver } from '../model/run-observer.js';
import { AtomicFile, writeFileAtomic } from '../records/atomic-file.js';
import { csvCell, manifestCell } from './csv-cell.js';
import { CsvFile } from './csv-file.js';
import { REPORT_FILES } from '../records/report-files.js';
import type { JobSummary } from '../model/summary.js';
import { assignmentStep, fieldsOfStep, inStepOrder, isStepsOperation, namesOfStep, qualify, stepField } from '../operations/steps-operation.js';
import { encodeJournalLine, resultsJsonLine } from '../records/row-codec.js';
import { ResultsUnreadable } from '../records/read-results.js';
import type { ArtefactBuilder } from './artefact-builder.js';
import { InOrder } from './in-order.js';
import { undoColumns, undoNames } from '../operations/service-names.js';

export type ReportLayout = {
  dir: string;
  op: OperationDef;
  fieldsUsed: readonly string[];
  /** Write journal.ndjson as rows finish. @default true (merge-reports joins the parts' journals instead) */
  journal?: boolean;
  /** Fed each row as results.json has it, in manifest order, for junit.xml, report.html and summary.md. */
  artefacts?: ArtefactBuilder;
};


/**
 * The fields a row's rollback puts back: those it changed, and those of a failed row whose PUT was sent (a timeout
 * after the server applied it may still have changed them). In a job of steps, those of each step that wrote or
 * failed in its PUT; not those of a step only planned, or refused before its PUT.
 */
export function rollbackFields(r: RowResult): string[] {
  if (r.steps) return r.steps.filter((s) => s.status === 'updated' || s.status === 'failed').flatMap((s) => s.changed);
  return r.status === 'updated' || r.status === 'failed' ? r.changed : [];
}

/**
 * Streams every report as rows finish, so memory does not grow with the manifest. The journal gets each row
 * the moment it ends (completion order, written synchronously so a kill loses at most the rows in flight);
 * the other files get rows in manifest order through a small reorder buffer and appear atomically at the end.
 */
export class ReportWriter implements RunObserver {
  private readonly results: CsvFile;
  private readonly resultsJson: AtomicFile;
  private readonly rollback: CsvFile;
  private readonly failed: CsvFile;
  private readonly journalFd: number;
  private readonly ordered = new InOrder<RowResult>((r) => this.writeOrdered(r));
  /** Rows written to results.json so far. */
  private written = 0;
  /** A job of steps: their operations, in order; [] for one operation. */
  private readonly steps: string[];
  private readonly rollbackFields: string[];

  constructor(private readonly layout: ReportLayout, private readonly secrets: Secrets) {
    const { dir, op, fieldsUsed } = layout;
    const path = (name: string) => join(dir, name);
    // Without a journal (merge-reports joins the parts' journals instead), its lines go to the null device.
    this.journalFd = openSync(layout.journal === false ? devNull : path(REPORT_FILES.journal), 'a');
    this.resultsJson = new AtomicFile(path(REPORT_FILES.resultsJson));
    const pairs = fieldsUsed.flatMap((f) => [`${f}.before`, `${f}.after`]);
    this.steps = isStepsOperation(op) ? op.steps.map((s) => s.name) : [];
    // A job of steps is undone last step first: its rollback.csv names the columns in that order, run with the steps reversed.
    this.rollbackFields = inStepOrder(op, fieldsUsed, true);
    const header = ['line', ...op.keyFields, 'status', ...this.steps.map((s) => `${s}.status`), 'requests', 'error', ...pairs, 'warnings'];
    this.results = new CsvFile(path(REPORT_FILES.results), header, (text) => secrets.redact(text));
    this.rollback = new CsvFile(path(REPORT_FILES.rollback), [...op.keyFields, ...this.rollbackColumns()]);
    this.failed = new CsvFile(path(REPORT_FILES.failed), [...op.keyFields, ...fieldsUsed]);
    this.resultsJson.write('[');
  }

  /** Records a finished row; `index` is its position in the manifest (0-based). */
  onResult(result: RowResult, index: number): void {
    writeSync(this.journalFd, this.secrets.redact(encodeJournalLine(result)) + '\n');
    this.replay(result, index);
  }

  /** A row whose result is already in the journal (kept by a resume): into the ordered reports only. */
  replay(result: RowResult, index: number): void {
    this.ordered.add(result, index);
  }

  private writeOrdered(r: RowResult): void {
    const { op, fieldsUsed } = this.layout;
    const keys = op.keyFields.map((k) => csvCell(r.key[k]));
    const pairs = fieldsUsed.flatMap((f) => [csvCell(r.before?.[f]), csvCell(r.after?.[f])]);
    const error = csvCell(r.error ?? '');
    const stepStatuses = this.steps.map((s) => r.steps?.find((o) => o.operation === s)?.status ?? '');
    this.results.row([String(r.line), ...keys, r.status, ...stepStatuses, String(r.requests), error, ...pairs, csvCell(r.warnings.join('; '))]);
    const json = resultsJsonLine(r, op.keyFields, (text) => this.secrets.redact(text));
    this.resultsJson.write(`${this.written === 0 ? '\n' : ',\n'}${json.line}`);
    // The artefacts get the row as reading results.json back would give it, so they need not read it.
    if (json.row) this.layout.artefacts?.add(json.row);
    else this.layout.artefacts?.refuse(new ResultsUnreadable(join(this.layout.dir, REPORT_FILES.resultsJson), this.written, json.unreadable!, this.written + 2));
    this.written++;
    // A failed row whose PUT was sent may still have changed (a timeout after the server applied it): undo it too.
    const undo = rollbackFields(r);
    if (undo.length > 0 && r.before) {
      this.rollback.row([...keys, ...this.rollbackCells(r, r.before, undo)]);
    }
    if (r.status === 'failed') {
      this.failed.row([...keys, ...fieldsUsed.map((f) => manifestCell(op.fields[f], r.requested[f]))]);
    }
  }

  /**
   * The value columns of rollback.csv: the fields used (a job of steps: last step first), where a service assignment
   * (the operation, or a job's user-services step) has each of its lists with its inverse.
   */
  private rollbackColumns(): string[] {
    const { op, fieldsUsed } = this.layout;
    const step = assignmentStep(op);
    if (!step) return this.rollbackFields;
    if (step === op) return undoColumns(op, fieldsUsed);
    const own = stepField(step, '');
    const columns = undoColumns(step, namesOfStep(step, fieldsUsed)).map((f) => stepField(step, f));
    const at = this.rollbackFields.findIndex((f) => f.startsWith(own));
    const others = this.rollbackFields.filter((f) => !f.startsWith(own));
    return at < 0 ? others : [...others.slice(0, at), ...columns, ...others.slice(at)];
  }

  /**
   * A rollback row's values: each changed field at its value before, or for a service assignment the names the run
   * flipped, in the opposite list (what it assigned is unassigned, and the other way round).
   */
  private rollbackCells(r: RowResult, before: NonNullable<RowResult['before']>, undo: readonly string[]): string[] {
    const { op } = this.layout;
    const step = assignmentStep(op);
    if (!step) return this.rollbackFields.map((f) => (undo.includes(f) ? manifestCell(op.fields[f], before[f]) : ''));
    if (step === op) {
      const names = undoNames(op, r.requested, before, r.changed);
      return this.rollbackColumns().map((f) => csvCell(names[f]));
    }
    const names = qualify(step, undoNames(step, fieldsOfStep(step, r.requested), fieldsOfStep(step, before), namesOfStep(step, undo)));
    const own = stepField(step, '');
    return this.rollbackColumns().map((f) => (f.startsWith(own) ? csvCell(names[f]) : undo.includes(f) ? manifestCell(op.fields[f], before[f]) : ''));
  }

  /** Writes summary.json and moves every report into place. */
  async finish(summary: JobSummary): Promise<void> {
    this.ordered.done('the reports');
    closeSync(this.journalFd);
    this.resultsJson.write(this.written === 0 ? ']\n' : '\n]\n');
    await Promise.all([this.results.commit(), this.resultsJson.commit(), this.rollback.commit(), this.failed.commit()]);
    await writeFileAtomic(join(this.layout.dir, REPORT_FILES.summary), JSON.stringify(summary, null, 2) + '\n');
  }
}
