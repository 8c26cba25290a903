import type { CheckedInput } from './checked-input.js';
import { targetId, type RowTarget } from '../model/row-result.js';
import type { JobOptions } from '../settings/job-options.js';
import { formatGroupTarget } from '../settings/group-target.js';
import { readGroupInBulk, withPrefetched } from './group-bulk-read.js';
import { groupTargetKeys } from './group-listing.js';
import { checkManifestTargets } from './manifest-targets.js';
import { iterate } from '../util/iterate.js';

/**
 * What `export` reads: the targets a manifest names (its key columns only, checked whole first: any problem is
 * EMANIFEST_INVALID before a request) or a group's, listed after login. Export sets nothing: no fields, no defaults.
 */
export async function exportInput(job: JobOptions): Promise<CheckedInput<RowTarget>> {
  const common = { fieldsUsed: [], defaults: {}, warnings: [] };
  if (job.manifest) {
    const targets = await checkManifestTargets(job.manifest, job.op, job.delimiter);
    return { ...common, source: job.manifest, rowCount: targets.count, open: async () => ({ rows: targets.rows(), count: targets.count, hash: '' }) };
  }
  const target = job.target!;
  return {
    ...common,
    source: `group ${formatGroupTarget(target)}`,
    async open(client) {
      const { keys, hash } = await groupTargetKeys(client, job.op, target);
      const rows = keys.map((key, i): RowTarget => ({ line: i + 1, key, id: targetId(job.op.keyFields, key), fields: {} }));
      const read = await readGroupInBulk(client, job.op, target, rows.map((row) => row.id));
      return { rows: iterate(rows.map((row) => withPrefetched(row, read))), count: rows.length, hash, ...(read.note ? { notes: [read.note] } : {}) };
    },
  };
}
