import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../model/errors.js';
import { REPORT_FILES } from '../records/report-files.js';
import { RUN_INFO_FILE, RUN_INFO_VERSION, type RunInfo } from '../records/run-info.js';
import type { JobSummary } from '../model/summary.js';

/** A finished report folder, as merge-reports needs it. */
export type ReportFolder = { dir: string; info: RunInfo; summary: JobSummary };

/**
 * Reads run.json and summary.json of each folder and checks results.json is there. Every folder that is not a
 * finished odin-bulk report folder is listed in one JobError EINPUT (exit 2), before anything is written.
 */
export async function readReportFolders(dirs: readonly string[]): Promise<ReportFolder[]> {
  const problems: string[] = [];
  const folders: ReportFolder[] = [];
  for (const dir of dirs) {
    const info = await readJson<RunInfo>(join(dir, RUN_INFO_FILE));
    if (!info.ok) {
      problems.push(`${dir}: ${info.missing ? `no ${RUN_INFO_FILE}: not an odin-bulk report folder` : `${RUN_INFO_FILE} ${info.problem}`}`);
      continue;
    }
    if (info.value.version !== RUN_INFO_VERSION || typeof info.value.operation !== 'string') {
      problems.push(`${dir}: ${RUN_INFO_FILE} is not version ${RUN_INFO_VERSION} of the run description`);
      continue;
    }
    if (!(await isFile(join(dir, REPORT_FILES.resultsJson)))) {
      problems.push(`${dir}: no ${REPORT_FILES.resultsJson}: the run did not finish (only a finished run's folder can be merged)`);
      continue;
    }
    const summary = await readJson<JobSummary>(join(dir, REPORT_FILES.summary));
    if (!summary.ok) {
      problems.push(`${dir}: ${summary.missing ? `no ${REPORT_FILES.summary}: the run did not finish` : `${REPORT_FILES.summary} ${summary.problem}`}`);
      continue;
    }
    folders.push({ dir, info: info.value, summary: summary.value });
  }
  if (problems.length) {
    throw new JobError('EINPUT', `cannot merge: ${problems.length} of ${dirs.length} folders are not usable; nothing was written`, problems);
  }
  return folders;
}

type Read<T> = { ok: true; value: T } | { ok: false; missing: boolean; problem: string };

async function readJson<T>(file: string): Promise<Read<T>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { ok: false, missing: true, problem: 'cannot be read' };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, missing: false, problem: 'is not a JSON object' };
    return { ok: true, value: value as T };
  } catch (error) {
    return { ok: false, missing: false, problem: `is not valid JSON: ${(error as Error).message}` };
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}
