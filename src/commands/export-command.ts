import type { ExitCode } from '../errors.js';
import { runExport } from '../export/run-export.js';
import { resolveExport, type ExportFlags } from '../export/resolve-export.js';
import { connectionFromEnv, type Connection } from '../job/connection.js';
import { createConsoleLogger, type LogLevel } from '../logging/create-logger.js';
import { Secrets } from '../logging/secrets.js';
import { formatGroupTarget } from '../targets/group-target.js';
import { println, type CliIo } from './cli-io.js';
import { countOf } from '../util/plural.js';

export type ExportCommandFlags = ExportFlags & { caFile?: string; insecure?: boolean; logLevel?: LogLevel };

const LISTED_FAILURES = 20;

/** `odin-bulk export`: current values → a manifest file; summary on stdout, unreadable targets on stderr. */
export async function exportCommand(flags: ExportCommandFlags, io: CliIo, connection?: Connection): Promise<ExitCode> {
  const options = await resolveExport(flags);
  const conn = connection ?? connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  const secrets = new Secrets();
  secrets.add(conn.password);
  const logger = createConsoleLogger(secrets, flags.logLevel ?? 'warn', io.stderr);
  if (conn.insecure) logger.warn('TLS CERTIFICATE VERIFICATION IS OFF (--insecure). Use --ca-file instead.');
  const outcome = await runExport(options, conn, { logger, secrets, now: io.now });

  const { job } = options;
  const from = job.target ? `group ${formatGroupTarget(job.target)}` : job.manifest;
  const lines = [
    outcome.written > 0
      ? `Exported ${outcome.written} of ${countOf(outcome.targets, 'target')} of ${from} (${job.op.name}: ${countOf(options.fields.length, 'field')}) to ${options.out}`
      : `Nothing was written: no target of ${from} (${outcome.targets}) could be read with a value to export`,
    `in ${(outcome.durationMs / 1000).toFixed(1)} s (${countOf(outcome.requests, 'request')}, ${countOf(outcome.retries, 'retry', 'retries')})`,
  ];
  for (const o of outcome.omissions) {
    lines.push(`${o.field}: left empty for ${o.count} target${o.count === 1 ? '' : 's'} (first ${o.firstId}): ${o.reason}`);
  }
  if (outcome.emptyTargets > 0) {
    lines.push(`${outcome.emptyTargets} target${outcome.emptyTargets === 1 ? '' : 's'} left out: none of the fields could be written for ${outcome.emptyTargets === 1 ? 'it' : 'them'}`);
  }
  if (outcome.written > 0) lines.push(`Restore these values later: odin-bulk run --manifest ${options.out} --operation ${job.op.name}`);
  println(io.stdout, lines);
  if (outcome.failedCount > 0) {
    const shown = outcome.failures.slice(0, LISTED_FAILURES).map((f) => `  ${f.id}: ${f.error}`);
    const more = outcome.failedCount - shown.length;
    println(io.stderr, [
      `${outcome.failedCount} target${outcome.failedCount === 1 ? '' : 's'} could not be read and ${outcome.failedCount === 1 ? 'is' : 'are'} not in the export:`,
      ...shown,
      ...(more > 0 ? [`  … and ${more} more`] : []),
    ]);
  }
  return outcome.exitCode;
}
