import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExitCode } from '../errors.js';
import { createProgress, isTerminal, type Progress } from '../progress/progress.js';
import { REPORT_FILES } from '../report/report-writer.js';
import { countOf } from '../util/plural.js';
import { progressIntervalMs } from './run-command.js';
import { connectionFromEnv } from '../job/connection.js';
import { LIMITS } from '../job/job-options.js';
import { StopControl } from '../run/stop-control.js';
import { shellQuote } from '../util/shell-quote.js';
import { installInterruptHandlers } from './interrupt-signals.js';
import { inputError } from '../job/resolve-job.js';
import { createConsoleLogger, type LogLevel } from '../logging/create-logger.js';
import type { Problem } from '../manifest/types.js';
import { Secrets } from '../logging/secrets.js';
import { applyPlan, type ApplyOptions } from '../plan/apply-plan.js';
import { consoleSummary } from '../report/console-summary.js';
import { println, type CliIo } from './cli-io.js';
import { printConnectionWarnings } from './connection-warnings.js';

export type ApplyCommandFlags = {
  plan: string;
  out?: string;
  force?: boolean;
  concurrency?: number;
  rate?: number;
  retries?: number;
  /** Seconds. */
  timeout?: number;
  caFile?: string;
  insecure?: boolean;
  logLevel?: LogLevel;
  /** Print summary.json on stdout and nothing else there; the human summary goes to stderr. */
  json?: boolean;
  /** No progress display and no per-row warnings on the console; errors still print. */
  quiet?: boolean;
  /** Seconds between two progress lines when stderr is not a terminal. @default 5 */
  progressInterval?: number;
};

/** `odin-bulk apply DIR`: executes a reviewed plan.json; summary on stdout (or summary.json with --json), exit code from the rows. */
export async function applyCommand(flags: ApplyCommandFlags, io: CliIo): Promise<ExitCode> {
  const options = resolveApply(flags);
  const conn = connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  const secrets = new Secrets();
  secrets.add(conn.password);
  const progress: Progress | undefined = flags.quiet
    ? undefined
    : createProgress({ stream: io.stderr, tty: isTerminal(io.stderr), intervalMs: progressIntervalMs(flags.progressInterval), now: () => io.now().getTime() });
  const consoleStream = progress?.consoleStream ?? io.stderr;
  const logger = createConsoleLogger(secrets, flags.logLevel ?? (flags.quiet ? 'error' : 'info'), consoleStream);
  printConnectionWarnings(conn, consoleStream);
  const stop = new StopControl();
  // Running apply again is the way to finish an interrupted apply: rows already at their planned values are unchanged.
  const again = `odin-bulk apply ${shellQuote(flags.plan)}${options.force ? ' --force' : ''}`;
  const uninstall = installInterruptHandlers({ stop, stderr: io.stderr, resumeCommand: again });
  let outcome: Awaited<ReturnType<typeof applyPlan>>;
  try {
    outcome = await applyPlan(options, conn, { logger, secrets, now: io.now, stop, env: io.env, observers: progress ? [progress] : [] });
  } finally {
    progress?.close();
    uninstall();
  }
  const { summary, outDir, plan } = outcome;
  if (stop.reason) println(io.stderr, [`Stopped early: ${stop.reason}.`, `Finish the apply, once the cause is dealt with, with: ${again}`]);
  // With --json, stdout carries summary.json only.
  const chat = flags.json ? io.stderr : io.stdout;
  println(chat, [`Applied ${plan.file} (planned ${plan.header.createdAt})${options.force ? ' with --force' : ''}`, ...consoleSummary(plan.header.job, summary, outDir, false, plan.header.operation)]);
  if (summary.conflict) {
    println(chat, `${countOf(summary.conflict, 'row')} changed since the plan and ${summary.conflict === 1 ? 'was' : 'were'} not written: make a new plan (or apply --force)`);
  }
  if (flags.json) io.stdout.write(await readFile(join(outDir, REPORT_FILES.summary), 'utf8'));
  return summary.exitCode;
}

/** Flags → ApplyOptions; bad numbers are an input error (exit 2) naming the flag. */
export function resolveApply(flags: ApplyCommandFlags): ApplyOptions {
  const problems: Problem[] = [];
  const checked = (flag: string, field: keyof typeof LIMITS, value: number | undefined, integer = true, scale = 1): number | undefined => {
    if (value === undefined) return undefined;
    const [min, max] = [LIMITS[field].min / scale, LIMITS[field].max / scale];
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
      problems.push({ file: 'command line', field: flag, message: `must be from ${min} to ${max}, got ${value}` });
    }
    return value;
  };
  const timeout = checked('--timeout', 'timeoutMs', flags.timeout, false, 1000);
  const options: ApplyOptions = {
    plan: flags.plan,
    outDir: flags.out,
    force: flags.force ?? false,
    concurrency: checked('--concurrency', 'concurrency', flags.concurrency),
    rate: checked('--rate', 'rate', flags.rate, false),
    retries: checked('--retries', 'retries', flags.retries),
    timeoutMs: timeout === undefined ? undefined : Math.round(timeout * 1000),
  };
  if (problems.length) throw inputError('invalid settings', problems);
  return options;
}
