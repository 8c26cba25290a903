import type { ExitCode } from '../model/errors.js';
import { formatShard } from '../settings/shard.js';
import { mergeReports } from '../merge/merge-reports.js';
import { consoleSummary } from '../report/console-summary.js';
import { driftNote } from '../model/errors.js';
import { println, type CliIo } from './cli-io.js';

export type MergeReportsFlags = { dirs: string[]; out: string };

/**
 * `odin-bulk merge-reports DIR… --out DIR`: one report folder from the folders of a sharded run.
 * Exits with the merged run's code (0, 1, 4 or 5), so a CI job that merges fails when any shard did.
 */
export async function mergeReportsCommand(flags: MergeReportsFlags, io: CliIo): Promise<ExitCode> {
  const { summary, info, outDir } = await mergeReports(flags.dirs, flags.out, {
    now: io.now,
    env: io.env,
    warn: (message) => io.stderr.write(`warning: ${message}\n`),
  });
  const count = info.merged.parts.length;
  println(io.stdout, `Merged ${count} report folder${count === 1 ? '' : 's'} into ${outDir}`);
  println(io.stdout, consoleSummary(info.job, summary, outDir, info.dryRun, info.operation));
  const shards = info.merged.parts[0]?.shard;
  if (shards && info.merged.missingShards.length) {
    println(
      io.stderr,
      `warning: no folder holds shard ${info.merged.missingShards.map((k) => formatShard({ index: k, count: shards.count })).join(', ')}: ` +
        'the merged report covers only part of the manifest',
    );
  }
  const drift = driftNote(summary);
  if (drift) println(io.stderr, drift);
  return summary.exitCode;
}
