import { AtomicFile, writeAround } from '../records/atomic-file.js';
import { escapeXml, escapeXmlAttribute, showValue } from './escape-text.js';
import { isFailure, isPending, ROW_STATUSES, type RowResult, type RowStatus, type StepOutcome } from '../model/row-result.js';
import { runInputHash, runSource, type RunInfo } from '../records/run-info.js';
import type { JobSummary } from '../model/summary.js';
import { wavesProperties } from './waves-text.js';

export const JUNIT_FILE = 'junit.xml';

/**
 * junit.xml, streamed: one `<testsuite>` for the job (classname = job name) and one `<testcase>` per row
 * (name = its userId). `failed`, `conflict` and `invalid` rows are failures carrying the error; `skipped` rows are
 * skipped, and so are `waiting` rows (held back by a canary or a wave; the waves are properties); `updated`, `unchanged` and `planned` pass, with what changed in `<system-out>`.
 * The test cases go into a part file as rows are added (junit.xml.cases.partial); the suite's head, which counts
 * them from the summary, is written at the end, then the part's bytes, then the tail.
 */
export class JunitWriter {
  private readonly cases: AtomicFile;

  constructor(private readonly path: string, private readonly info: RunInfo) {
    this.cases = new AtomicFile(`${path}.cases`);
  }

  add(row: RowResult): void {
    if (row.steps) {
      for (const step of row.steps) this.testCase(stepCase(row, step), `${this.info.job}.${step.operation}`);
      return;
    }
    this.testCase(row, this.info.job);
  }

  private testCase(row: RowResult, classname: string): void {
    const open = `    <testcase classname="${escapeXmlAttribute(classname)}" name="${escapeXmlAttribute(row.id)}" time="0">`;
    this.cases.write(`${open}\n${caseBody(row)}    </testcase>\n`);
  }

  /** Writes the suite around the test cases. */
  async commit(summary: JobSummary): Promise<void> {
    await writeAround(this.path, suiteHead(this.info, summary), this.cases, '  </testsuite>\n</testsuites>\n');
  }

  drained(): Promise<void> {
    return this.cases.drained();
  }

  discard(): Promise<void> {
    return this.cases.discard();
  }
}

function suiteHead(info: RunInfo, summary: JobSummary): string {
  // A job of steps: a test case per user and step, counted per step. Rows a canary or a wave held back are skipped.
  const tally = summary.steps ? stepTally(summary) : { tests: summary.total, failures: summary.failed + summary.conflict + summary.invalid, skipped: summary.skipped + (summary.waiting ?? 0) };
  const counts = `tests="${tally.tests}" failures="${tally.failures}" errors="0" skipped="${tally.skipped}" time="${seconds(summary.durationMs)}"`;
  const name = escapeXmlAttribute(info.job);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="odin-bulk" ${counts}>\n` +
    `  <testsuite name="${name}" ${counts} timestamp="${escapeXmlAttribute(info.startedAt)}">\n` +
    `    <properties>\n` +
    property('operation', info.operation) +
    property('mode', info.dryRun ? 'plan' : 'run') +
    property('manifest', runSource(info)) +
    property('manifestHash', runInputHash(info)) +
    property('requests', String(summary.requests)) +
    property('retries', String(summary.retries)) +
    property('exitCode', String(summary.exitCode)) +
    wavesProperties(summary.waves).map(([k, v]) => property(k, v)).join('') +
    `    </properties>\n`
  );
}

/** A step of a row as a test case of its own: the step's status and error, its fields, its warnings. */
function stepCase(row: RowResult, step: StepOutcome): RowResult {
  const prefix = `${step.operation}: `;
  return {
    ...row,
    status: step.status,
    changed: step.changed,
    requests: step.requests,
    warnings: row.warnings.filter((w) => w.startsWith(prefix)).map((w) => w.slice(prefix.length)),
    ...(step.error === undefined ? { error: undefined } : { error: step.error }),
    ...(step.httpStatus === undefined ? { httpStatus: undefined } : { httpStatus: step.httpStatus }),
  } as RowResult;
}

function stepTally(summary: JobSummary): { tests: number; failures: number; skipped: number } {
  const all = Object.values(summary.steps ?? {});
  const sum = (statuses: RowStatus[]) => all.reduce((n, c) => n + statuses.reduce((m, s) => m + (c[s] ?? 0), 0), 0);
  return { tests: sum([...ROW_STATUSES]), failures: sum(['failed', 'conflict', 'invalid']), skipped: sum(['skipped', 'waiting']) };
}

function caseBody(row: RowResult): string {
  const error = row.error ?? row.status;
  if (isFailure(row)) {
    const message = `${row.status}: ${firstLine(error)}`;
    const detail = [
      `line ${row.line}: ${row.status}${row.httpStatus ? ` (HTTP ${row.httpStatus})` : ''}`,
      error,
      ...fieldLines(row).map((l) => `requested ${l}`),
      ...row.warnings.map((w) => `warning: ${w}`),
    ].join('\n');
    return `      <failure message="${escapeXmlAttribute(message)}" type="${escapeXmlAttribute(row.status)}">${escapeXml(detail)}</failure>\n`;
  }
  if (isPending(row)) return `      <skipped message="${escapeXmlAttribute(error)}"/>\n`;
  const out = [`line ${row.line}: ${row.status}`, ...fieldLines(row), ...row.warnings.map((w) => `warning: ${w}`)];
  return `      <system-out>${escapeXml(out.join('\n'))}</system-out>\n`;
}

/** `clidPolicy: "Use DN" → "Use Configurable CLID"` for each changed field. */
function fieldLines(row: RowResult): string[] {
  return row.changed.map((f) => {
    const target = row.after && row.status === 'updated' ? row.after[f] : row.requested[f];
    return `${f}: ${showValue(row.before?.[f])} → ${showValue(target)}`;
  });
}

function property(name: string, value: string): string {
  return `      <property name="${name}" value="${escapeXmlAttribute(value)}"/>\n`;
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
