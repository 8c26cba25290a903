import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { checkTextBytes, checkTextFile, EMPTY_FILE } from './check-text.js';
import { csvRowsOf, DEFAULT_DELIMITER, readCsvRows } from './read-csv.js';
import { READ_ONCE_LIMIT, type ReadOnceLimit } from './read-once.js';
import { readJsonDefaults, readJsonRows } from './read-json.js';
import type { ManifestSource, Problem } from './types.js';

export type OpenedManifest = { source: ManifestSource } | { problem: Problem };

/**
 * Opens a manifest by its extension (.csv or .json, never by guessing) and checks it is UTF-8 text.
 * A CSV within `readOnce.bytes` is read once, whole: the checks, every pass and the hash use those bytes. A larger
 * CSV and a JSON file are streamed on each pass; opening a JSON file reads it through once to check it and find its
 * defaults.
 */
export async function openManifest(file: string, options: { delimiter?: string; readOnce?: ReadOnceLimit } = {}): Promise<OpenedManifest> {
  const ext = extname(file).toLowerCase();
  if (ext !== '.csv' && ext !== '.json') {
    return { problem: { file, message: `unknown manifest type "${ext || '(none)'}": name the file .csv or .json` } };
  }
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) return { problem: { file, message: 'not a file' } };
    if (info.size === 0) return { problem: { file, message: EMPTY_FILE } };
    size = info.size;
  } catch {
    return { problem: { file, message: 'cannot read the file: it does not exist or is not readable' } };
  }
  const { delimiter = DEFAULT_DELIMITER, readOnce = READ_ONCE_LIMIT } = options;
  if (ext === '.csv' && size <= readOnce.bytes) return csvInMemory(file, await readFile(file), delimiter);

  const notText = await checkTextFile(file);
  if (notText) return { problem: { file, line: notText.line, message: notText.message } };
  const hash = () => hashFile(file);
  if (ext === '.json') {
    const defaults = await readJsonDefaults(file).catch((error: Error & { line?: number }) => error);
    if (defaults instanceof Error) return { problem: { file, line: defaults.line, message: defaults.message } };
    return { source: { file, format: 'json', defaults, size, rows: () => readJsonRows(file), hash } };
  }
  return {
    source: { file, format: 'csv', defaults: {}, delimiter, size, rows: (onHeader) => readCsvRows(file, onHeader ?? (() => {}), { delimiter }), hash },
  };
}

/** A CSV read whole: the bytes are checked, parsed (on each pass) and hashed as they were read, once. */
async function csvInMemory(file: string, bytes: Buffer, delimiter: string): Promise<OpenedManifest> {
  const notText = await checkTextBytes(bytes);
  if (notText) return { problem: { file, line: notText.line, message: notText.message } };
  // Only blank lines (a file an export left empty, saved with a BOM or line ends): empty, as the JSON reader has it.
  if (onlyWhiteSpace(bytes)) return { problem: { file, message: EMPTY_FILE } };
  const hash = async () => createHash('sha256').update(bytes).digest('hex');
  return {
    source: { file, format: 'csv', defaults: {}, delimiter, size: bytes.length, rows: (onHeader) => csvRowsOf(bytes, onHeader ?? (() => {}), { delimiter }), hash },
  };
}

/** A UTF-8 byte-order mark, then nothing but spaces, tabs and line ends. Stops at the first other byte: the header's. */
function onlyWhiteSpace(bytes: Buffer): boolean {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/** sha256 of the file's bytes: ties a resume or a plan to the exact manifest it was made from. */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
