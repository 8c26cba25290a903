import type { ExportFormat } from '../report/export-writer.js';
import { resolveExport } from '../settings/resolve-export.js';
import { runExport, type ExportOutcome } from '../pipelines/run-export.js';
import { formatGroupTarget } from '../settings/group-target.js';
import { checkOptionKeys, settingsFrom } from './job-settings.js';
import { checkConnection, redactingLogger, secretsFor, type LibraryContext } from './library-context.js';

/** The flags of `odin-bulk export`. */
export type ExportSettings = {
  /** A job file: its operation and its manifest or group target. */
  job?: string;
  /** Export the targets this manifest names (only its key columns are read). */
  manifest?: string;
  /** `SP/GROUP`: export every user of the group (or the group, for a group operation). */
  group?: string;
  /** What to read. @default 'user-call-processing-policy' */
  operation?: string;
  /** The character between a CSV manifest's cells. @default ',' */
  delimiter?: string;
  /** The fields to export, as a list or comma-separated. @default every field of the operation */
  fields?: string | readonly string[];
  /** The file to write: .csv or .json (a manifest `runJob` accepts as is). */
  out: string;
  /** Replace `out` if it exists. @default false */
  overwrite?: boolean;
  /** Targets read at once, or 'auto'. @default 4 */
  concurrency?: number | 'auto';
  /** Requests per second; 0 = uncapped. @default 5 */
  rate?: number;
  /** Retries per request. @default 4 */
  retries?: number;
  /** Seconds to wait for each request. @default 30 */
  timeout?: number;
};

/** `signal` is not taken: an export only reads, and stops with the process. */
export type ExportValuesOptions = ExportSettings & Omit<LibraryContext, 'signal'>;

/** What `odin-bulk export` prints, as data. */
export type ExportResult = ExportOutcome & {
  operation: string;
  /** The manifest the targets came from, or `group SP/GROUP`. */
  source: string;
  /** The file written (none when `written` is 0). */
  file: string;
  format: ExportFormat;
  fields: string[];
};

/**
 * Writes the current values of a group's or a manifest's targets as a manifest (GET only), as `odin-bulk export`
 * does. Targets that cannot be read are left out and listed in `failures` (exit code 1).
 */
export async function exportValues(options: ExportValuesOptions): Promise<ExportResult> {
  checkOptionKeys('exportValues', options);
  const connection = checkConnection(options.connection);
  const given = settingsFrom('exportValues', options);
  const fields = options.fields === undefined || typeof options.fields === 'string' ? options.fields : options.fields.join(',');
  const resolved = await resolveExport({ ...given, fields }, options.env ?? process.env);
  const secrets = secretsFor(connection);
  const outcome = await runExport(resolved, connection, { logger: redactingLogger(options.logger, secrets), secrets, now: () => new Date() });
  const { job } = resolved;
  return {
    ...outcome,
    operation: job.op.name,
    source: job.target ? `group ${formatGroupTarget(job.target)}` : (job.manifest ?? ''),
    file: resolved.out,
    format: resolved.format,
    fields: resolved.fields,
  };
}
