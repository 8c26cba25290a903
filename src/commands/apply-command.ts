import type { ExitCode } from '../errors.js';
import { applyResolvedPlan, resolveApply, type ApplySettings } from '../api/apply-plan.js';
import { connectionFromEnv } from '../job/connection.js';
import { StopControl } from '../run/stop-control.js';
import { shellQuote } from '../util/shell-quote.js';
import { installInterruptHandlers } from './interrupt-signals.js';
import { createConsoleLogger, type LogLevel } from '../logging/create-logger.js';
import { Secrets } from '../logging/secrets.js';
import { consoleSummary } from '../report/console-summary.js';
import { println, type CliIo } from './cli-io.js';
import { printConnectionWarnings } from './connection-warnings.js';

export type ApplyCommandFlags = ApplySettings & {
  caFile?: string;
  insecure?: boolean;
  logLevel?: LogLevel;
};

/** `odin-bulk apply DIR`: executes a reviewed plan.json; summary on stdout, exit code from the rows. */
export async function applyCommand(flags: ApplyCommandFlags, io: CliIo): Promise<ExitCode> {
  const options = resolveApply(flags);
  const conn = connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  const secrets = new Secrets();
  secrets.add(conn.password);
  const logger = createConsoleLogger(secrets, flags.logLevel ?? 'info', io.stderr);
  printConnectionWarnings(conn, io.stderr);
  const stop = new StopControl();
  // Running apply again is the way to finish an interrupted apply: rows already at their planned values are unchanged.
  const again = `odin-bulk apply ${shellQuote(flags.plan)}${options.force ? ' --force' : ''}`;
  const uninstall = installInterruptHandlers({ stop, stderr: io.stderr, resumeCommand: again });
  let result: Awaited<ReturnType<typeof applyResolvedPlan>>;
  try {
    result = await applyResolvedPlan(options, { connection: conn, logger, env: io.env }, { secrets, stop, now: io.now });
  } finally {
    uninstall();
  }
  const { summary, outDir, plan } = result;
  if (result.stopReason) println(io.stderr, [`Stopped early: ${result.stopReason}.`, `Finish the apply, once the cause is dealt with, with: ${again}`]);
  println(io.stdout, [`Applied ${plan.file} (planned ${plan.createdAt})${options.force ? ' with --force' : ''}`, ...consoleSummary(result.job, summary, outDir, false, result.operation)]);
  if (summary.conflict) {
    println(io.stdout, `${summary.conflict} rows changed since the plan and were not written: make a new plan (or apply --force)`);
  }
  return result.exitCode;
}
