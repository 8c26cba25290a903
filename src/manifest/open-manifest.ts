import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { checkTextFile } from './check-text.js';
import { DEFAULT_DELIMITER, readCsvRows } from './read-csv.js';
import { readJsonDefaults, readJsonRows } from './read-json.js';
import type { ManifestSource, Problem } from './types.js';

export type OpenedManifest = { source: ManifestSource } | { problem: Problem };

/**
 * Opens a manifest by its extension (.csv or .json, never by guessing) and checks it is UTF-8 text.
 * Both kinds are streamed on each pass; opening a JSON file reads it through once to check it and find its defaults.
 */
export async function openManifest(file: string, options: { delimiter?: string } = {}): Promise<OpenedManifest> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.json') {
    return { problem: { file, message: `unknown manifest type "${ext || '(none)'}": name the file .csv or .json` } };
  }
  try {
    const info = await stat(file);
    if (!info.isFile()) return { problem: { file, message: 'not a file' } };
    if (info.size === 0) return { problem: { file, message: 'the file is empty: expected a header row with the key columns (userId, or serviceProviderId and groupId) and fields' } };
  } catch {
    return { problem: { file, message: 'cannot read the file: it does not exist or is not readable' } };
  }
  const notText = await checkTextFile(file);
  if (notText) return { problem: { file, line: notText.line, message: notText.message } };

  if (ext === '.json') {
    const defaults = await readJsonDefaults(file).catch((error: Error & { line?: number }) => error);
    if (defaults instanceof Error) return { problem: { file, line: defaults.line, message: defaults.message } };
    return { source: { file, format: 'json', defaults, rows: () => readJsonRows(file) } };
  }
  return {
    source: {
      file,
      format: 'csv',
      defaults: {},
      delimiter: options.delimiter ?? DEFAULT_DELIMITER,
      rows: (onHeader) => readCsvRows(file, onHeader ?? (() => {}), { delimiter: options.delimiter }),
    },
  };
}

/** sha256 of the file's bytes: ties a resume or a plan to the exact manifest it was made from. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
