import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError, type ExitCode } from '../model/errors.js';
import { connectionFromEnv, type Connection } from '../settings/connection.js';
import type { JobOptions } from '../settings/job-options.js';
import { resolveJob, type RunFlags } from '../settings/resolve-job.js';
import { createConsoleLogger, type LogLevel } from '../logging/create-logger.js';
import { Secrets } from '../logging/secrets.js';
import { createProgress, isTerminal, type Progress } from '../progress/progress.js';
import { consoleSummary } from '../report/console-summary.js';
import { REPORT_FILES } from '../records/report-files.js';
import { driftNote } from '../model/errors.js';
import { checkInput } from '../sources/job-input.js';
import { runResolvedJob } from '../api/run-job.js';
import { defaultOutDir } from '../pipelines/run-job.js';
import { StopControl } from '../engine/stop-control.js';
import { println, type CliIo } from './cli-io.js';
import { consoleSettings } from './console-settings.js';
import { installInterruptHandlers, type InterruptOptions } from './interrupt-signals.js';
import { resumeCommandLine } from './resume-command-line.js';
import { printConnectionWarnings } from './connection-warnings.js';
import { countOf } from '../util/plural.js';

export type RunCommandFlags = RunFlags & {
  /** The arguments as typed (without the program), to print the exact `--resume` command. */
  commandLine?: readonly string[];
};

/** Test hooks for the signal handling. */
export type RunCommandDeps = Pick<InterruptOptions, 'graceMs' | 'target' | 'exit'>;

/** `odin-bulk run` and `odin-bulk plan`: settings → connection → runJob → summary (stdout, or stderr with --json). */
export async function runCommand(flags: RunCommandFlags, io: CliIo, connection?: Connection, deps: RunCommandDeps = {}): Promise<ExitCode> {
  const resolved = await resolveJob(flags, io.env);
  const options = { ...resolved, outDir: resolved.outDir ?? defaultOutDir(resolved.name, io.now()) };
  const { json, quiet, progressIntervalMs: intervalMs, logLevel } = consoleSettings(flags, 'run');
  const conn = connection ?? (await connectionOrInputProblems(options, io, flags));
  const secrets = new Secrets();
  secrets.add(conn.password);
  const progress: Progress | undefined = quiet
    ? undefined
    : createProgress({ stream: io.stderr, tty: isTerminal(io.stderr), intervalMs, now: () => io.now().getTime() });
  const logger = createConsoleLogger(secrets, logLevel, progress?.consoleStream ?? io.stderr);
  printConnectionWarnings(conn, progress?.consoleStream ?? io.stderr);
  const stop = new StopControl();
  const resumeCommand = resumeCommandLine(flags.commandLine, options.outDir, options.dryRun);
  const uninstall = installInterruptHandlers({ stop, stderr: io.stderr, resumeCommand, ...deps });
  try {
    const { summary, outDir, stopReason, exitCode } = await runResolvedJob(
      options,
      { connection: conn, logger, env: io.env },
      { secrets, stop, now: io.now, observers: progress ? [progress] : [] },
    );
    progress?.close();
    println(json ? io.stderr : io.stdout, consoleSummary(options.name, summary, outDir, options.dryRun, options.op.name));
    const drift = driftNote(summary);
    if (drift) logger.warn(drift);
    if (stopReason) {
      println(io.stderr, [
        `Stopped early: ${stopReason}.`,
        `${countOf(summary.skipped, 'row')} ${summary.skipped === 1 ? 'was' : 'were'} not started (skipped); the reports cover every row. Finish the run, once the cause is dealt with, with:`,
        `  ${resumeCommand}`,
        ...(summary.failed ? ['Rows that failed for good stay failed on resume: add --retry-failed to that command to redo them too.'] : []),
      ]);
    }
    if (json) io.stdout.write(await readFile(join(outDir, REPORT_FILES.summary), 'utf8'));
    return exitCode;
  } finally {
    progress?.close();
    uninstall();
  }
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
