import type { ExitCode } from '../errors.js';
import { connectionFromEnv, type Connection } from '../job/connection.js';
import { resolveJob, type RunFlags } from '../job/resolve-job.js';
import { createConsoleLogger, type LogLevel } from '../logging/create-logger.js';
import { Secrets } from '../logging/secrets.js';
import { consoleSummary } from '../report/console-summary.js';
import { driftNote } from '../report/run-exit-code.js';
import { defaultOutDir, runJob } from '../run/run-job.js';
import { StopControl } from '../run/stop-control.js';
import { println, type CliIo } from './cli-io.js';
import { installInterruptHandlers, type InterruptOptions } from './interrupt-signals.js';
import { resumeCommandLine } from './resume-command-line.js';

export type RunCommandFlags = RunFlags & {
  caFile?: string;
  insecure?: boolean;
  logLevel?: LogLevel;
  /** The arguments as typed (without the program), to print the exact `--resume` command. */
  commandLine?: readonly string[];
};

/** Test hooks for the signal handling. */
export type RunCommandDeps = Pick<InterruptOptions, 'graceMs' | 'target' | 'exit'>;

/** `odin-bulk run` and `odin-bulk plan`: settings → connection → runJob → summary on stdout. */
export async function runCommand(flags: RunCommandFlags, io: CliIo, connection?: Connection, deps: RunCommandDeps = {}): Promise<ExitCode> {
  const resolved = await resolveJob(flags, io.env);
  const options = { ...resolved, outDir: resolved.outDir ?? defaultOutDir(resolved.name, io.now()) };
  const conn = connection ?? connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  const secrets = new Secrets();
  secrets.add(conn.password);
  const logger = createConsoleLogger(secrets, flags.logLevel ?? 'info', io.stderr);
  if (conn.insecure) {
    logger.warn('TLS CERTIFICATE VERIFICATION IS OFF (--insecure): anyone on the network path can read and change this run. Use --ca-file instead.');
  }
  const stop = new StopControl();
  const resumeCommand = resumeCommandLine(flags.commandLine, options.outDir, options.dryRun);
  const uninstall = installInterruptHandlers({ stop, stderr: io.stderr, resumeCommand, ...deps });
  try {
    const { summary, outDir, stopReason } = await runJob(options, conn, { logger, secrets, now: io.now, stop });
    println(io.stdout, consoleSummary(options.name, summary, outDir, options.dryRun));
    const drift = driftNote(summary);
    if (drift) logger.warn(drift);
    if (stopReason) {
      println(io.stderr, [
        `Stopped early: ${stopReason}.`,
        `${summary.skipped} rows were not started (skipped); the reports cover every row. Finish the run, once the cause is dealt with, with:`,
        `  ${resumeCommand}`,
        ...(summary.failed ? ['Rows that failed for good stay failed on resume: add --retry-failed to that command to redo them too.'] : []),
      ]);
    }
    return summary.exitCode;
  } finally {
    uninstall();
  }
}
