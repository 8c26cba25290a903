import { EXIT, type ExitCode } from '../model/errors.js';
import { reviewFolder } from '../report/review-folder.js';
import { wavesConsoleLines } from '../report/waves-text.js';
import { runSource } from '../records/run-info.js';
import { problemList, resolveSettings, type RunFlags } from '../settings/resolve-job.js';
import { ROW_STATUSES } from '../model/row-result.js';
import { countOf } from '../util/plural.js';
import { shellQuote } from '../util/shell-quote.js';
import { println, type CliIo } from './cli-io.js';

export type ShowCommandFlags = RunFlags & { dir: string };

/**
 * `odin-bulk show DIR`: the review of any plan, run or apply folder (of this version or older): what it is, its
 * counts, its waves, the value transitions per field, the gate warnings and the first `--show N` users' changes.
 * Reads the folder only.
 */
export async function showCommand(flags: ShowCommandFlags, io: CliIo): Promise<ExitCode> {
  const check = problemList();
  const { show } = resolveSettings(['show'], flags, { flag: check.flag, command: 'show' });
  check.throwIfAny();
  const { info, summary, review } = await reviewFolder(flags.dir, show);
  const kind = info.plan ? 'apply' : info.dryRun ? 'plan' : 'run';
  const counts = summary ? ROW_STATUSES.filter((s) => (summary[s] ?? 0) > 0).map((s) => `${summary[s]} ${s}`) : [];
  const head = `${kind} "${info.job}": ${info.operation} on ${runSource(info)}, started ${info.startedAt}`;
  const lines = [summary ? `${head}: ${countOf(summary.total, 'row')}${counts.length ? `: ${counts.join(', ')}` : ''}, exit code ${summary.exitCode}` : head];
  if (summary?.waves) lines.push(...wavesConsoleLines(summary.waves, `odin-bulk run <the same job file and options> --resume ${shellQuote(flags.dir)}`));
  lines.push(...review.text());
  if (kind === 'plan' && review.count > 0) lines.push(`Apply it: odin-bulk apply ${shellQuote(flags.dir)}`);
  println(io.stdout, lines);
  return EXIT.ok;
}
