import { EXIT } from '../model/errors.js';
import { isFailure, ROW_STATUSES, type RowResult } from '../model/row-result.js';
import { markdownCell } from './escape-text.js';
import { runSource, type RunInfo } from '../records/run-info.js';
import type { JobSummary } from '../model/summary.js';
import { countOf } from '../util/plural.js';

export const SUMMARY_MD_FILE = 'summary.md';
/** Failed rows listed in summary.md; the rest are in failed.csv and results.csv. */
export const FAILED_ROWS_SHOWN = 50;

type FailedRow = { line: number; id: string; status: string; error: string };

/**
 * summary.md: counts by status, each changed field with how many users, the first failed rows with their error,
 * and the report folder. Rows are added one at a time, so only the counts and the first 50 failures are held.
 */
export class SummaryMarkdown {
  private readonly fieldCounts = new Map<string, number>();
  private readonly failures: FailedRow[] = [];
  private failing = 0;

  /** `dir`: the report folder it names. */
  constructor(private readonly info: RunInfo, private readonly dir: string) {}

  add(row: RowResult): void {
    if (row.status === 'updated' || row.status === 'planned') {
      for (const f of row.changed) this.fieldCounts.set(f, (this.fieldCounts.get(f) ?? 0) + 1);
    }
    if (isFailure(row)) {
      this.failing++;
      if (this.failures.length < FAILED_ROWS_SHOWN) {
        this.failures.push({ line: row.line, id: row.id, status: row.status, error: row.error ?? '' });
      }
    }
  }

  /** The summary's counts with the rows' (known only at the end); `sections`: further sections (the plan review, the waves), before the report folder's line. */
  render(summary: JobSummary, sections: readonly string[] = []): string {
    const { info } = this;
    const plan = info.dryRun;
    const out = [`## ${headline(info, summary)}`, '', '| status | rows |', '| --- | ---: |'];
    for (const s of ROW_STATUSES) if (s !== 'waiting' || summary.waiting !== undefined) out.push(`| ${s} | ${summary[s] ?? 0} |`);
    out.push(`| **total** | **${summary.total}** |`, '');
    if (summary.steps) {
      // A job of steps: each step's rows by status (a row that sets nothing in a step is not counted in it).
      const shown = ROW_STATUSES.filter((s) => Object.values(summary.steps!).some((c) => (c[s] ?? 0) > 0));
      out.push('### Steps', '', `| step | ${shown.join(' | ')} |`, `| --- |${shown.map(() => ' ---: |').join('')}`);
      for (const [step, counts] of Object.entries(summary.steps)) out.push(`| ${markdownCell(step)} | ${shown.map((s) => counts[s] ?? 0).join(' | ')} |`);
      out.push('');
    }
    out.push(
      `Operation ${markdownCell(info.operation)} on ${markdownCell(runSource(info))}, started ${markdownCell(info.startedAt)}, ` +
        `${(summary.durationMs / 1000).toFixed(1)} s, ${countOf(summary.requests, 'request')}, ${countOf(summary.retries, 'retry', 'retries')}, exit code ${summary.exitCode}.`,
    );
    if (summary.warnings) out.push('', `${countOf(summary.warnings, 'row')} ${summary.warnings === 1 ? 'has' : 'have'} warnings (see the warnings column of results.csv).`);
    out.push('', `### ${plan ? 'Fields that would change' : 'Changed fields'}`, '');
    if (this.fieldCounts.size === 0) out.push(plan ? 'No field would change.' : 'No field was changed.');
    else {
      out.push('| field | users |', '| --- | ---: |');
      const fields = [...this.fieldCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      for (const [field, users] of fields) out.push(`| ${markdownCell(field)} | ${users} |`);
    }
    if (this.failing) {
      out.push('', `### Failed rows (${this.failing})`, '', `| line | ${markdownCell(info.keyFields.join('/') || 'row')} | status | error |`, '| ---: | --- | --- | --- |');
      for (const f of this.failures) out.push(`| ${f.line} | ${markdownCell(f.id)} | ${markdownCell(f.status)} | ${markdownCell(f.error)} |`);
      const more = this.failing - this.failures.length;
      if (more > 0) out.push('', `… and ${more} more: see failed.csv and results.csv in the report folder.`);
    }
    if (sections.length) out.push('', ...sections);
    out.push('', `Report folder: ${codeSpan(this.dir)}`, '');
    return out.join('\n');
  }
}

function headline(info: RunInfo, s: JobSummary): string {
  const failing = s.failed + s.conflict + s.invalid > 0;
  const mark = s.exitCode === EXIT.aborted ? '⚠️' : failing ? '❌' : '✅';
  const parts = ROW_STATUSES.filter((st) => (s[st] ?? 0) > 0).map((st) => `${s[st]} ${st}`);
  const what = `${countOf(s.total, 'row')}${parts.length ? `: ${parts.join(', ')}` : ''}`;
  return `${mark} odin-bulk ${info.dryRun ? 'plan' : 'run'} "${markdownCell(info.job)}": ${what}${s.exitCode === EXIT.aborted ? ' (aborted)' : ''}`;
}

function codeSpan(text: string): string {
  return text.includes('`') || /[\r\n]/.test(text) ? markdownCell(text) : `\`${text}\``;
}
