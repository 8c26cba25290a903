import { JobError } from '../errors.js';
import type { JobOptions } from '../job/job-options.js';
import { openManifest } from '../manifest/open-manifest.js';
import type { ManifestSource } from '../manifest/types.js';
import { formatProblem, validateManifest, type ManifestCheck } from '../manifest/validate-manifest.js';

export type CheckedManifest = { source: ManifestSource; check: ManifestCheck };

/** Opens and validates the whole manifest. Any problem → JobError EMANIFEST_INVALID (exit 2), nothing sent. */
export async function checkManifest(options: JobOptions): Promise<CheckedManifest> {
  if (options.manifest === undefined) throw new Error('internal: checkManifest called for a job without a manifest');
  const opened = await openManifest(options.manifest);
  if ('problem' in opened) {
    throw new JobError('EMANIFEST_INVALID', `${options.manifest} cannot be used; nothing was sent`, [formatProblem(opened.problem)]);
  }
  const check = await validateManifest(opened.source, options.op, options.defaults);
  if (check.problemCount > 0) {
    const more = check.problemCount - check.problems.length;
    throw new JobError(
      'EMANIFEST_INVALID',
      `${options.manifest} has ${check.problemCount} problem${check.problemCount === 1 ? '' : 's'}; nothing was sent`,
      [...check.problems.map(formatProblem), ...(more > 0 ? [`… and ${more} more`] : [])],
    );
  }
  return { source: opened.source, check };
}
