import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExitCode } from '../model/errors.js';
import { driftNote } from '../model/errors.js';
import { runResolvedJob } from '../api/run-job.js';
import { defaultOutDir } from '../engine/report-folder.js';
import { REPORT_FILES } from '../records/report-files.js';
import { consoleSummary } from '../report/console-summary.js';
import { connectionFromEnv, type Connection } from '../settings/connection.js';
import type { JobOptions } from '../settings/job-options.js';
import { problemList, resolveJob, resolveSettings, type RunFlags } from '../settings/resolve-job.js';
import { reviewFolder } from '../report/review-folder.js';
import { checkInput } from '../sources/job-input.js';
import { countOf } from '../util/plural.js';
import { println, type CliIo } from './cli-io.js';
import { withConsole, type ConsoleDeps } from './console-run.js';
import { consoleSettings } from './console-settings.js';
import { terminalConfirm } from './confirm-wave.js';
import { CANARY_OPTIONS, resumeCommandLine } from './resume-command-line.js';
import { wavesConsoleLines } from '../report/waves-text.js';

export type RunCommandFlags = RunFlags & {
  /** The arguments as typed (without the program), to print the exact `--resume` command. */
  commandLine?: readonly string[];
};

/** Test hooks for the signal handling. */
export type RunCommandDeps = ConsoleDeps;

/** `odin-bulk run` and `odin-bulk plan`: settings → connection → runJob → summary (stdout, or stderr with --json). */
export async function runCommand(flags: RunCommandFlags, io: CliIo, connection?: Connection, deps: RunCommandDeps = {}): Promise<ExitCode> {
  const resolved = await resolveJob(flags, io.env);
  const options = { ...resolved, outDir: resolved.outDir ?? defaultOutDir(resolved.name, io.now(), existsSync) };
  const settings = consoleSettings(flags, options.dryRun ? 'plan' : 'run');
  const show = reviewSize(flags, options.dryRun);
  const conn = connection ?? (await connectionOrInputProblems(options, io, flags));
  const confirmWave = flags.confirm ? terminalConfirm(io, Object.keys(options.op.fields)) : undefined;
  const resumeCommand = resumeCommandLine(flags.commandLine, options.outDir, options.dryRun);
  return withConsole(io, conn, settings, { again: resumeCommand }, async ({ logger, secrets, stop, observers, chat, hold }) => {
    const { summary, outDir, stopReason, exitCode } = await runResolvedJob(options, { connection: conn, logger, env: io.env }, { secrets, stop, now: io.now, observers, ...(confirmWave ? { confirmWave: confirmWave(hold) } : {}) });
    // A plan's review (value transitions, gate warnings, the first users) comes before its summary, read back from results.json.
    if (options.dryRun && !settings.quiet) println(chat, (await reviewFolder(outDir, show)).review.text());
    println(chat, consoleSummary(options.name, summary, outDir, options.dryRun, options.op.name));
    const drift = driftNote(summary);
    if (drift) logger.warn(drift);
    if (summary.waves) {
      const drop = summary.waves.mode === 'canary' ? CANARY_OPTIONS : [];
      println(chat, wavesConsoleLines(summary.waves, resumeCommandLine(flags.commandLine, outDir, false, drop)));
    }
    if (stopReason && summary.waves && summary.skipped === 0) {
      println(io.stderr, `Stopped early: ${stopReason}.`);
    } else if (stopReason) {
      println(io.stderr, [
        `Stopped early: ${stopReason}.`,
        `${countOf(summary.skipped, 'row')} ${summary.skipped === 1 ? 'was' : 'were'} not started (skipped); the reports cover every row. Finish the run, once the cause is dealt with, with:`,
        `  ${resumeCommand}`,
        ...(summary.failed ? ['Rows that failed for good stay failed on resume: add --retry-failed to that command to redo them too.'] : []),
      ]);
    }
    if (settings.json) io.stdout.write(await readFile(join(outDir, REPORT_FILES.summary), 'utf8'));
    return exitCode;
  }, deps);
}

/** `--show N`: users a plan's review lists one by one; only a plan has one on the console. */
function reviewSize(flags: RunCommandFlags, dryRun: boolean): number {
  const check = problemList();
  const { show } = resolveSettings(['show'], flags, { flag: check.flag, command: dryRun ? 'plan' : 'run' });
  if (flags.show !== undefined && !dryRun) check.flag('--show', 'only goes with `odin-bulk plan` or --dry-run: a run shows its review in summary.md and report.html (or: odin-bulk show DIR)');
  check.throwIfAny();
  return show!;
}

/**
 * The connection from the environment. When it is missing too, the manifest is checked first (offline), so an
 * operator who forgot both sees the manifest's problems, the ones that take longest to fix, before being told to export ODIN_*.
 */
async function connectionOrInputProblems(options: JobOptions, io: CliIo, flags: RunCommandFlags): Promise<Connection> {
  try {
    return connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  } catch (error) {
    await checkInput(options); // throws EMANIFEST_INVALID / EINPUT when the input is bad
    throw error;
  }
}
