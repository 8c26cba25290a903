import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExitCode } from '../model/errors.js';
import { applyResolvedPlan } from '../api/apply-plan.js';
import { REPORT_FILES } from '../records/report-files.js';
import { consoleSummary } from '../report/console-summary.js';
import { connectionFromEnv, type Connection } from '../settings/connection.js';
import { openPlan } from '../sources/read-plan.js';
import { resolveApply } from '../settings/resolve-apply.js';
import type { RunFlags } from '../settings/resolve-job.js';
import { countOf } from '../util/plural.js';
import { shellQuote } from '../util/shell-quote.js';
import { println, type CliIo } from './cli-io.js';
import { withConsole } from './console-run.js';
import { consoleSettings } from './console-settings.js';
import { terminalConfirm } from './confirm-wave.js';
import { wavesConsoleLines } from '../report/waves-text.js';
import type { WavesSummary } from '../model/waves.js';

export type ApplyCommandFlags = RunFlags & { plan: string };

/** `odin-bulk apply DIR`: executes a reviewed plan.json; summary on stdout (or summary.json with --json), exit code from the rows. */
export async function applyCommand(flags: ApplyCommandFlags, io: CliIo): Promise<ExitCode> {
  const options = resolveApply(flags.plan, flags);
  const settings = consoleSettings(flags, 'apply');
  const conn = await connectionOrPlanProblems(options.plan, io, flags);
  // Running apply again is the way to finish an interrupted apply: rows already at their planned values are unchanged.
  const again = `odin-bulk apply ${shellQuote(flags.plan)}${options.force ? ' --force' : ''}`;
  const confirmWave = flags.confirm ? terminalConfirm(io, []) : undefined;
  return withConsole(io, conn, settings, { again }, async ({ logger, secrets, stop, observers, chat, hold }) => {
    const result = await applyResolvedPlan(options, { connection: conn, logger, env: io.env }, { secrets, stop, now: io.now, observers, ...(confirmWave ? { confirmWave: confirmWave(hold) } : {}) });
    const { summary, outDir, plan } = result;
    if (result.stopReason && !summary.waves) println(io.stderr, [`Stopped early: ${result.stopReason}.`, `Finish the apply, once the cause is dealt with, with: ${again}`]);
    else if (result.stopReason) println(io.stderr, `Stopped early: ${result.stopReason}.`);
    println(chat, [`Applied ${plan.file} (planned ${plan.createdAt})${options.force ? ' with --force' : ''}`, ...consoleSummary(result.job, summary, outDir, false, result.operation)]);
    if (summary.waves) println(chat, wavesConsoleLines(summary.waves, continueApply(again, summary.waves)));
    if (summary.conflict) {
      println(chat, `${countOf(summary.conflict, 'row')} changed since the plan and ${summary.conflict === 1 ? 'was' : 'were'} not written: make a new plan (or apply --force)`);
    }
    if (settings.json) io.stdout.write(await readFile(join(outDir, REPORT_FILES.summary), 'utf8'));
    return result.exitCode;
  });
}

/**
 * The connection from the environment. When it is missing too, the plan folder is read first (offline), so an
 * operator who mistyped the folder and forgot ODIN_* is told about the folder first, as `run` does with its manifest.
 */
async function connectionOrPlanProblems(plan: string, io: CliIo, flags: ApplyCommandFlags): Promise<Connection> {
  try {
    return connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  } catch (error) {
    await openPlan(plan); // throws EPLAN when the folder is not a plan that can be applied
    throw error;
  }
}

/**
 * The apply that continues a canary or waves: the plan applied again (rows it already set are unchanged and sent
 * nothing), with the same waves; a canary's rest goes in one.
 */
function continueApply(again: string, waves: WavesSummary): string {
  if (waves.mode === 'canary') return again;
  return `${again} --waves ${waves.sizes.join(',')} --settle ${waves.settleMs / 1000}${waves.maxFailures ? ` --wave-max-failures ${waves.maxFailures}` : ''}${waves.order !== 'manifest' ? ` --wave-order ${waves.order}` : ''}`;
}
