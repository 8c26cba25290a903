import { join } from 'node:path';
import { DEFAULT_OPERATION } from '../operations/registry.js';
import { REPORT_FILES } from '../records/report-files.js';
import type { JobSummary } from '../model/summary.js';
import { ROW_STATUSES } from '../model/row-result.js';
import { countOf } from '../util/plural.js';

/** The short human summary printed at the end of a run. Pure. `operation` goes into the retry/undo commands. */
export function consoleSummary(name: string, summary: JobSummary, outDir: string, dryRun: boolean, operation?: string): string[] {
  const op = operation && operation !== DEFAULT_OPERATION ? ` --operation ${operation}` : '';
  const parts = ROW_STATUSES.filter((s) => (summary[s] ?? 0) > 0)
    .map((s) => `${summary[s]} ${s}`);
  const lines = [
    `${dryRun ? 'Plan' : 'Job'} "${name}": ${countOf(summary.total, 'row')}: ${parts.join(', ') || 'nothing to do'} ` +
      `in ${(summary.durationMs / 1000).toFixed(1)} s (${countOf(summary.requests, 'request')}, ${countOf(summary.retries, 'retry', 'retries')})`,
  ];
  if (summary.warnings) lines.push(`${countOf(summary.warnings, 'row')} ${summary.warnings === 1 ? 'has' : 'have'} warnings (see the warnings column of results.csv)`);
  if (summary.gateWarnings) {
    lines.push(`${countOf(summary.gateWarnings, 'row')} ${summary.gateWarnings === 1 ? 'changes' : 'change'} a value that its gate flag (e.g. useUserCLIDSetting, isActive), being false, leaves without effect; --strict-gates refuses them`);
  }
  lines.push(`Reports: ${outDir}`);
  if (summary.failed) lines.push(`Retry the failed rows: odin-bulk run --manifest ${join(outDir, REPORT_FILES.failed)}${op}`);
  if (summary.updated) lines.push(`Undo this run:         odin-bulk run --manifest ${join(outDir, REPORT_FILES.rollback)}${op}`);
  if (dryRun && summary.planned) lines.push(`Review ${join(outDir, 'plan.json')}, then: odin-bulk apply ${outDir}`);
  return lines;
}
