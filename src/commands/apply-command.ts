import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExitCode } from '../model/errors.js';
import { applyResolvedPlan } from '../api/apply-plan.js';
import { resolveApply } from '../settings/resolve-apply.js';
import type { RunFlags } from '../settings/resolve-job.js';
import { createProgress, isTerminal, type Progress } from '../progress/progress.js';
import { REPORT_FILES } from '../records/report-files.js';
import { countOf } from '../util/plural.js';
import { consoleSettings } from './console-settings.js';
import { connectionFromEnv } from '../settings/connection.js';
import { StopControl } from '../engine/stop-control.js';
import { shellQuote } from '../util/shell-quote.js';
import { installInterruptHandlers } from './interrupt-signals.js';
import { createConsoleLogger, type LogLevel } from '../logging/create-logger.js';
import { Secrets } from '../logging/secrets.js';
import { consoleSummary } from '../report/console-summary.js';
import { println, type CliIo } from './cli-io.js';
import { printConnectionWarnings } from './connection-warnings.js';

export type ApplyCommandFlags = RunFlags & { plan: string };

/** `odin-bulk apply DIR`: executes a reviewed plan.json; summary on stdout (or summary.json with --json), exit code from the rows. */
export async function applyCommand(flags: ApplyCommandFlags, io: CliIo): Promise<ExitCode> {
  const options = resolveApply(flags.plan, flags);
  const { json, quiet, progressIntervalMs, logLevel } = consoleSettings(flags, 'apply');
  const conn = connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  const secrets = new Secrets();
  secrets.add(conn.password);
  const progress: Progress | undefined = quiet
    ? undefined
    : createProgress({ stream: io.stderr, tty: isTerminal(io.stderr), intervalMs: progressIntervalMs, now: () => io.now().getTime() });
  const consoleStream = progress?.consoleStream ?? io.stderr;
  const logger = createConsoleLogger(secrets, logLevel, consoleStream);
  printConnectionWarnings(conn, consoleStream);
  const stop = new StopControl();
  // Running apply again is the way to finish an interrupted apply: rows already at their planned values are unchanged.
  const again = `odin-bulk apply ${shellQuote(flags.plan)}${options.force ? ' --force' : ''}`;
  const uninstall = installInterruptHandlers({ stop, stderr: io.stderr, resumeCommand: again });
  let result: Awaited<ReturnType<typeof applyResolvedPlan>>;
  try {
    result = await applyResolvedPlan(options, { connection: conn, logger, env: io.env }, { secrets, stop, now: io.now, observers: progress ? [progress] : [] });
  } finally {
    progress?.close();
    uninstall();
  }
  const { summary, outDir, plan } = result;
  if (result.stopReason) println(io.stderr, [`Stopped early: ${result.stopReason}.`, `Finish the apply, once the cause is dealt with, with: ${again}`]);
  // With --json, stdout carries summary.json only.
  const chat = json ? io.stderr : io.stdout;
  println(chat, [`Applied ${plan.file} (planned ${plan.createdAt})${options.force ? ' with --force' : ''}`, ...consoleSummary(result.job, summary, outDir, false, result.operation)]);
  if (summary.conflict) {
    println(chat, `${countOf(summary.conflict, 'row')} changed since the plan and ${summary.conflict === 1 ? 'was' : 'were'} not written: make a new plan (or apply --force)`);
  }
  if (json) io.stdout.write(await readFile(join(outDir, REPORT_FILES.summary), 'utf8'));
  return result.exitCode;
}
