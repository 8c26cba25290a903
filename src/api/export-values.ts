import type { ExportFormat } from '../report/export-writer.js';
import { resolveExport, type ExportOptions } from '../settings/resolve-export.js';
import { runExport, type ExportOutcome } from '../pipelines/export-values.js';
import { formatGroupTarget } from '../settings/group-target.js';
import { checkOptionKeys, settingsFrom, type PacingSettings } from './job-settings.js';
import { checkConnection, withCallDeps, type Internals, type LibraryContext } from './library-context.js';

/** The flags of `odin-bulk export`: the targets, the fields, the file, and the pacing a run has (`maxFailures` counts targets that cannot be read). */
export type ExportSettings = PacingSettings & {
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
};

/** `signal` stops the export as Ctrl-C does: nothing is written, the result has exit code 4 and a `stopReason`. */
export type ExportValuesOptions = ExportSettings & LibraryContext;

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
 * does. Targets that cannot be read are left out and listed in `failures` (exit code 1); an export stopped early
 * (the `signal`, the failure budget, a systemic failure) writes nothing and says why in `stopReason` (exit code 4).
 */
export async function exportValues(options: ExportValuesOptions): Promise<ExportResult> {
  checkOptionKeys('exportValues', options);
  checkConnection(options.connection);
  const given = settingsFrom('exportValues', options);
  const fields = options.fields === undefined || typeof options.fields === 'string' ? options.fields : options.fields.join(',');
  return exportResolved(await resolveExport({ ...given, fields }, options.env ?? process.env), options);
}

/** An export of settings already checked; the CLI passes its interrupt switch and progress display. */
export async function exportResolved(resolved: ExportOptions, context: LibraryContext, internals: Internals = {}): Promise<ExportResult> {
  const outcome = await withCallDeps(context, internals, (connection, deps) => runExport(resolved, connection, deps));
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
