import type { ExitCode } from '../model/errors.js';
import { exportValues } from '../api/export-values.js';
import { resolveExport, type ExportFlags } from '../settings/resolve-export.js';
import { connectionFromEnv, type Connection } from '../settings/connection.js';
import { createConsoleLogger, type LogLevel } from '../logging/create-logger.js';
import { Secrets } from '../logging/secrets.js';
import { println, type CliIo } from './cli-io.js';
import { consoleSettings } from './console-settings.js';
import { countOf } from '../util/plural.js';

export type ExportCommandFlags = ExportFlags;

const LISTED_FAILURES = 20;

/** `odin-bulk export`: current values → a manifest file; summary on stdout, unreadable targets on stderr. */
export async function exportCommand(flags: ExportCommandFlags, io: CliIo, connection?: Connection): Promise<ExitCode> {
  const settings = await resolveExport(flags, io.env); // bad flags are reported before the missing ODIN_* are
  const conn = connection ?? connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  const secrets = new Secrets();
  secrets.add(conn.password);
  const logger = createConsoleLogger(secrets, consoleSettings(flags, 'export').logLevel, io.stderr);
  if (conn.insecure) logger.warn('TLS CERTIFICATE VERIFICATION IS OFF (--insecure). Use --ca-file instead.');
  const { job, manifest, group, operation, delimiter, rate, retries, timeout, overwrite } = flags;
  const outcome = await exportValues({
    job, manifest, group, operation, delimiter, rate, retries, timeout, overwrite,
    concurrency: settings.job.concurrency, // checked: a number or 'auto'
    fields: settings.fields,
    out: settings.out,
    connection: conn,
    logger,
    env: io.env,
  });

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
    lines.push(`${outcome.unassigned} ${who} not have the ${settings.job.op.service ?? ''} service and ${outcome.unassigned === 1 ? 'is' : 'are'} not in the export (first ${outcome.firstUnassigned}): nothing to restore for them`);
  }
  if (outcome.written > 0) lines.push(`Restore these values later: odin-bulk run --manifest ${outcome.file} --operation ${outcome.operation}`);
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
