import type { ExitCode } from '../model/errors.js';
import { exportResolved, type ExportResult } from '../api/export-values.js';
import { resolveExport, type ExportFlags } from '../settings/resolve-export.js';
import { connectionFromEnv, type Connection } from '../settings/connection.js';
import { listedLines } from '../manifest/problem-list.js';
import { countOf } from '../util/plural.js';
import { shellQuote } from '../util/shell-quote.js';
import { println, type CliIo } from './cli-io.js';
import { withConsole, type ConsoleDeps } from './console-run.js';
import { consoleSettings } from './console-settings.js';
import type { InterruptTexts } from './interrupt-signals.js';

export type ExportCommandFlags = ExportFlags & {
  /** The arguments as typed (without the program), to print the command that runs the export again. */
  commandLine?: readonly string[];
};

const LISTED_FAILURES = 20;

/** What Ctrl-C says during an export: it has no journal; stopped, it writes nothing, and is simply run again. */
const EXPORT_INTERRUPT: InterruptTexts = {
  afterGrace: 'the export ends without writing its file',
  quitHint: 'Press Ctrl-C again to quit at once.',
  quitting: 'nothing was written. Run the export again with:',
};

/** `odin-bulk export`: current values → a manifest file; summary on stdout (or JSON with --json), unreadable targets on stderr. */
export async function exportCommand(flags: ExportCommandFlags, io: CliIo, connection?: Connection, deps: ConsoleDeps = {}): Promise<ExitCode> {
  const options = await resolveExport(flags, io.env); // bad flags are reported before the missing ODIN_* are
  const settings = consoleSettings(flags, 'export');
  const conn = connection ?? connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  const again = flags.commandLine ? ['odin-bulk', ...flags.commandLine].map(shellQuote).join(' ') : 'odin-bulk export <the same options>';
  return withConsole(io, conn, settings, { again, says: EXPORT_INTERRUPT }, async ({ logger, secrets, stop, observers, chat }) => {
    const outcome = await exportResolved(options, { connection: conn, logger, env: io.env }, { secrets, stop, now: io.now, observers });
    if (outcome.stopReason) {
      println(io.stderr, [
        `Stopped early: ${outcome.stopReason}.`,
        'Nothing was written: an export stopped early would be incomplete. Run it again, once the cause is dealt with:',
        `  ${again}`,
      ]);
    } else println(chat, summaryLines(outcome, options.job.op.service));
    if (outcome.failedCount > 0) println(io.stderr, failureLines(outcome));
    if (settings.json) io.stdout.write(`${JSON.stringify(exportJson(outcome), null, 2)}\n`);
    return outcome.exitCode;
  }, deps);
}

function summaryLines(outcome: ExportResult, service: string | undefined): string[] {
  const from = outcome.source;
  const lines = [
    outcome.written > 0
      ? `Exported ${outcome.written} of ${countOf(outcome.targets, 'target')} of ${from} (${outcome.operation}: ${countOf(outcome.fields.length, 'field')}) to ${outcome.file}`
      : `Nothing was written: no target of ${from} (${outcome.targets}) could be read with a value to export`,
    `in ${(outcome.durationMs / 1000).toFixed(1)} s (${countOf(outcome.requests, 'request')}, ${countOf(outcome.retries, 'retry', 'retries')})`,
  ];
  for (const o of outcome.omissions) {
    lines.push(`${o.field}: left empty for ${o.count} target${o.count === 1 ? '' : 's'} (first ${o.firstId}): ${o.reason}`);
  }
  if (outcome.emptyTargets > 0) {
    lines.push(`${outcome.emptyTargets} target${outcome.emptyTargets === 1 ? '' : 's'} left out: none of the fields could be written for ${outcome.emptyTargets === 1 ? 'it' : 'them'}`);
  }
  if (outcome.unassigned > 0) {
    const who = outcome.unassigned === 1 ? 'user does' : 'users do';
    lines.push(`${outcome.unassigned} ${who} not have the ${service ?? ''} service and ${outcome.unassigned === 1 ? 'is' : 'are'} not in the export (first ${outcome.firstUnassigned}): nothing to restore for them`);
  }
  if (outcome.written > 0) lines.push(`Restore these values later: odin-bulk run --manifest ${outcome.file} --operation ${outcome.operation}`);
  return lines;
}

function failureLines(outcome: ExportResult): string[] {
  return [
    `${outcome.failedCount} target${outcome.failedCount === 1 ? '' : 's'} could not be read and ${outcome.failedCount === 1 ? 'is' : 'are'} not in the export:`,
    ...listedLines(outcome.failures, outcome.failedCount, (f) => `${f.id}: ${f.error}`, LISTED_FAILURES, '  '),
  ];
}

/** `--json`: what the export did, as data; the targets that could not be read are in `failures` (the first 20). */
function exportJson(o: ExportResult): Record<string, unknown> {
  return {
    operation: o.operation,
    source: o.source,
    file: o.written > 0 && !o.stopReason ? o.file : null,
    format: o.format,
    fields: o.fields,
    targets: o.targets,
    written: o.written,
    emptyTargets: o.emptyTargets,
    unassigned: o.unassigned,
    failed: o.failedCount,
    failures: o.failures.slice(0, LISTED_FAILURES).map((f) => ({ line: f.line, id: f.id, error: f.error ?? null, ...(f.errorCode ? { errorCode: f.errorCode } : {}) })),
    omissions: o.omissions,
    requests: o.requests,
    retries: o.retries,
    durationMs: o.durationMs,
    exitCode: o.exitCode,
    ...(o.stopReason ? { stopReason: o.stopReason } : {}),
  };
}
