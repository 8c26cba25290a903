import type { ExitCode } from '../errors.js';
import { connectionFromEnv, type Connection } from '../job/connection.js';
import { resolveJob, type RunFlags } from '../job/resolve-job.js';
import { createConsoleLogger, type LogLevel } from '../logging/create-logger.js';
import { Secrets } from '../logging/secrets.js';
import { consoleSummary } from '../report/console-summary.js';
import { runJob } from '../run/run-job.js';
import { println, type CliIo } from './cli-io.js';
import { printConnectionWarnings } from './connection-warnings.js';

export type RunCommandFlags = RunFlags & {
  caFile?: string;
  insecure?: boolean;
  logLevel?: LogLevel;
};

/** `odin-bulk run` and `odin-bulk plan`: settings → connection → runJob → summary on stdout. */
export async function runCommand(flags: RunCommandFlags, io: CliIo, connection?: Connection): Promise<ExitCode> {
  const options = await resolveJob(flags);
  const conn = connection ?? connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  const secrets = new Secrets();
  secrets.add(conn.password);
  const logger = createConsoleLogger(secrets, flags.logLevel ?? 'info', io.stderr);
  printConnectionWarnings(conn, io.stderr);
  const { summary, outDir } = await runJob(options, conn, { logger, secrets, now: io.now });
  println(io.stdout, consoleSummary(options.name, summary, outDir, options.dryRun));
  return summary.exitCode;
}
