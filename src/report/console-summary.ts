import { join } from 'node:path';
import { DEFAULT_OPERATION } from '../operations/registry.js';
import { STEP_JOIN } from '../operations/steps-operation.js';
import { REPORT_FILES } from '../records/report-files.js';
import type { JobSummary } from '../model/summary.js';
import { ROW_STATUSES } from '../model/row-result.js';
import { countOf } from '../util/plural.js';

/**
 * The short human summary printed at the end of a run. Pure. `operation` goes into the retry/undo commands; the undo
 * of a job of steps runs them last step first (its operation's steps reversed).
 */
export function consoleSummary(name: string, summary: JobSummary, outDir: string, dryRun: boolean, operation?: string): string[] {
  const undoOperation = operation?.split(STEP_JOIN).reverse().join(STEP_JOIN);
  const flag = (o: string | undefined) => (o && o !== DEFAULT_OPERATION ? ` --operation ${o}` : '');
  const op = flag(operation);
  const parts = ROW_STATUSES.filter((s) => (summary[s] ?? 0) > 0)
    .map((s) => `${summary[s]} ${s}`);
  const lines = [
    `${dryRun ? 'Plan' : 'Job'} "${name}": ${countOf(summary.total, 'row')}: ${parts.join(', ') || 'nothing to do'} ` +
      `in ${(summary.durationMs / 1000).toFixed(1)} s (${countOf(summary.requests, 'request')}, ${countOf(summary.retries, 'retry', 'retries')})`,
  ];
  // A job of steps: each step's users by status, in step order.
  for (const [step, counts] of Object.entries(summary.steps ?? {})) {
    const own = ROW_STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => `${counts[s]} ${s}`);
    lines.push(`  step ${step}: ${own.join(', ') || 'not run'}`);
  }
  if (summary.warnings) lines.push(`${countOf(summary.warnings, 'row')} ${summary.warnings === 1 ? 'has' : 'have'} warnings (see the warnings column of results.csv)`);
  if (summary.gateWarnings) {
    lines.push(`${countOf(summary.gateWarnings, 'row')} ${summary.gateWarnings === 1 ? 'changes' : 'change'} a value that its gate flag (e.g. useUserCLIDSetting, isActive), being false, leaves without effect; --strict-gates refuses them`);
  }
  lines.push(`Reports: ${outDir}`);
  if (summary.failed) lines.push(`Retry the failed rows: odin-bulk run --manifest ${join(outDir, REPORT_FILES.failed)}${op}`);
  if (summary.updated) lines.push(`Undo this run:         odin-bulk run --manifest ${join(outDir, REPORT_FILES.rollback)}${flag(undoOperation)}`);
  if (dryRun && summary.planned) lines.push(`Review ${join(outDir, 'plan.json')}, then: odin-bulk apply ${outDir}`);
  return lines;
}
