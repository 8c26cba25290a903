import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../model/errors.js';
import type { JobSummary } from '../model/summary.js';
import { readResults, readSummary, ResultsUnreadable } from '../records/read-results.js';
import { REPORT_FILES } from '../records/report-files.js';
import { readRunInfo, RUN_INFO_FILE, type RunInfo } from '../records/run-info.js';
import { PlanReview } from './plan-review.js';

export type FolderReview = { info: RunInfo; summary?: JobSummary; review: PlanReview };

/**
 * The review of a finished report folder (plan, run or apply; of this version or an older one), from its run.json
 * and results.json. A folder that is not one, or whose run did not finish, is EINPUT (exit 2) saying what to do.
 */
export async function reviewFolder(dir: string, show?: number): Promise<FolderReview> {
  const info = await readRunInfo(dir);
  if (!info || !Array.isArray(info.keyFields) || !Array.isArray(info.fieldsUsed)) {
    throw new JobError('EINPUT', `${dir} is not a report folder of odin-bulk: it has no readable ${RUN_INFO_FILE}`, [
      'Give the folder a plan, run or apply printed (Reports: …).',
    ]);
  }
  if (!(await access(join(dir, REPORT_FILES.resultsJson)).then(() => true, () => false))) {
    throw new JobError('EINPUT', `${dir} has no ${REPORT_FILES.resultsJson}: its run did not finish`, [
      `Finish it with --resume ${dir} (the command it printed when it stopped), then show it.`,
    ]);
  }
  const review = new PlanReview(info.fieldsUsed, info.dryRun === true, show);
  try {
    for await (const row of readResults(dir, info.keyFields)) review.add(row);
  } catch (error) {
    if (!(error instanceof ResultsUnreadable)) throw error;
    throw new JobError('EINPUT', `${dir}: ${error.message}`, ['The folder was changed by hand or damaged; plan or run again.']);
  }
  const summary = await readSummary(dir).catch(() => undefined);
  return { info, review, ...(summary ? { summary } : {}) };
}
