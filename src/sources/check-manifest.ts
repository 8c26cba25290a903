import { JobError } from '../model/errors.js';
import type { JobOptions } from '../settings/job-options.js';
import { inShard } from '../settings/shard.js';
import { openManifest } from '../manifest/open-manifest.js';
import { READ_ONCE_LIMIT, type ReadOnceLimit } from '../manifest/read-once.js';
import type { ManifestSource, Problem } from '../manifest/types.js';
import { listedLines } from '../manifest/problem-list.js';
import { formatProblem, validateManifest, type ManifestCheck } from '../manifest/validate-manifest.js';

export type CheckedManifest = { source: ManifestSource; check: ManifestCheck };

/**
 * Opens and validates the whole manifest. Any problem → JobError EMANIFEST_INVALID (exit 2), nothing sent. Within
 * `readOnce` the file is read once and its checked rows kept for the run (READ_ONCE_LIMIT).
 */
export async function checkManifest(options: JobOptions, readOnce: ReadOnceLimit = READ_ONCE_LIMIT): Promise<CheckedManifest> {
  if (options.manifest === undefined) throw new Error('internal: checkManifest called for a job without a manifest');
  const opened = await openManifest(options.manifest, { delimiter: options.delimiter, readOnce });
  if ('problem' in opened) {
    throw new JobError('EMANIFEST_INVALID', `${options.manifest} cannot be used; nothing was sent`, [formatProblem(opened.problem)]);
  }
  const { shard } = options;
  const check = await validateManifest(opened.source, options.op, options.defaults, {
    strictGates: options.strictGates,
    select: shard && ((id) => inShard(id, shard)),
    readOnce,
  });
  if (check.problemCount > 0) throw manifestInvalid(options.manifest, check.problems, check.problemCount);
  return { source: opened.source, check };
}

/** A manifest with problems: EMANIFEST_INVALID (exit 2) listing each one (the first 200). */
export function manifestInvalid(file: string, problems: readonly Problem[], count: number): JobError {
  return new JobError('EMANIFEST_INVALID', `${file} has ${count} problem${count === 1 ? '' : 's'}; nothing was sent`, listedLines(problems, count, formatProblem));
}

/** How many manifest warnings the console lists before it only counts. */
const LISTED_WARNINGS = 20;

/** The validation warnings as console lines: a count, then the first few, each naming file, line and field. */
export function manifestWarningLines(manifest: string, check: Pick<ManifestCheck, 'warnings' | 'warningCount'>): string[] {
  if (check.warningCount === 0) return [];
  const rows = `${check.warningCount} warning${check.warningCount === 1 ? '' : 's'}`;
  return [`${manifest}: ${rows} (--strict-gates refuses these)`, ...listedLines(check.warnings, check.warningCount, formatProblem, LISTED_WARNINGS, '  ')];
}
