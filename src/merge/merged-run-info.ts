import { EXIT, JobError, type ExitCode } from '../model/errors.js';
import { formatShard, type Shard } from '../settings/shard.js';
import { runInputHash, runSource, serverRoot, type RunInfo } from '../records/run-info.js';
import { VERSION } from '../version.js';
import type { ReportFolder } from './read-report-folder.js';

/** run.json of a merged folder: the parts' common description, plus where the rows came from. */
export type MergedRunInfo = RunInfo & {
  merged: {
    at: string;
    parts: { dir: string; shard?: Shard; startedAt: string; exitCode: ExitCode; odinBulkVersion?: string }[];
    /** Shards of N that no folder held (a matrix job that produced no report). */
    missingShards: number[];
  };
};

/**
 * Checks the folders belong together (one operation, one manifest, all plans or all runs, distinct shards of one N)
 * and describes the merge. Throws JobError EINPUT (exit 2) listing what does not fit. Pure.
 */
export function mergedRunInfo(folders: readonly ReportFolder[], at: Date): MergedRunInfo {
  const problems = [
    ...differing(folders, 'operations', (f) => f.info.operation),
    ...differing(folders, 'kinds of run', (f) => (f.info.dryRun ? 'plan' : 'run')),
    ...differing(folders, 'manifests (or the manifest changed between the runs)', (f) => `${runSource(f.info)} sha256 ${runInputHash(f.info).slice(0, 12)}`),
    ...differing(folders, 'report columns', (f) => f.info.fieldsUsed.join(',')),
    // Shards of one run talk to one Odin (a part of a version that did not record its server is not compared).
    ...differing(folders.filter((f) => f.info.server !== undefined), 'servers', (f) => serverRoot(f.info.server!)),
    ...shardProblems(folders),
  ];
  if (problems.length) throw new JobError('EINPUT', 'these report folders cannot be merged; nothing was written', problems);

  const first = folders[0]!.info;
  const count = first.shard?.count;
  const present = new Set(folders.map((f) => f.info.shard?.index));
  const { shard: _omit, ...common } = first;
  return {
    ...common,
    odinBulkVersion: VERSION, // the merge's writer; each part's is in merged.parts
    startedAt: folders.map((f) => f.info.startedAt).sort()[0]!,
    settings: { ...first.settings, failOnChanges: folders.some((f) => f.info.settings?.failOnChanges === true) },
    merged: {
      at: at.toISOString(),
      parts: folders.map((f) => ({
        dir: f.dir,
        ...(f.info.shard ? { shard: f.info.shard } : {}),
        startedAt: f.info.startedAt,
        exitCode: f.summary.exitCode,
        ...(f.info.odinBulkVersion === undefined ? {} : { odinBulkVersion: f.info.odinBulkVersion }),
      })),
      missingShards: count ? Array.from({ length: count }, (_, i) => i + 1).filter((k) => !present.has(k)) : [],
    },
  };
}

/** Whether any part stopped early: the merged run then counts as aborted too (exit 4). */
export const anyAborted = (folders: readonly ReportFolder[]): boolean => folders.some((f) => f.summary.exitCode === EXIT.aborted);

function differing(folders: readonly ReportFolder[], what: string, value: (f: ReportFolder) => string): string[] {
  const values = new Set(folders.map(value));
  if (values.size < 2) return [];
  return [`the folders are of different ${what}:`, ...folders.map((f) => `  ${f.dir}: ${value(f)}`)];
}

function shardProblems(folders: readonly ReportFolder[]): string[] {
  const whole = folders.filter((f) => !f.info.shard);
  if (whole.length === folders.length) {
    return whole.length > 1 ? [`${whole.map((f) => f.dir).join(', ')} each hold the whole manifest (no --shard): their rows would overlap`] : [];
  }
  if (whole.length) return [`${whole.map((f) => f.dir).join(', ')} ran without --shard, the others with it: their rows would overlap`];
  const problems = differing(folders, 'shard counts (N in --shard K/N)', (f) => String(f.info.shard!.count));
  const seen = new Map<number, string>();
  for (const f of folders) {
    const other = seen.get(f.info.shard!.index);
    if (other) problems.push(`shard ${formatShard(f.info.shard!)} is in both ${other} and ${f.dir}`);
    else seen.set(f.info.shard!.index, f.dir);
  }
  return problems;
}
