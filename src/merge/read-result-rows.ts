import { JobError } from '../model/errors.js';
import type { RowResult } from '../model/row-result.js';
import { readResults, ResultsUnreadable } from '../records/read-results.js';

/**
 * Streams the rows of a report folder's results.json (read and checked one line at a time by the codec, so a
 * 200,000-row file is never held whole). Anything that is not an odin-bulk results.json, text after its closing
 * `]` included, is an input error (exit 2) naming the file and line: the part is damaged, and merging the rows
 * before the damage would hide it.
 */
export async function* readResultRows(dir: string, keyFields: readonly string[]): AsyncGenerator<RowResult> {
  try {
    yield* readResults(dir, keyFields);
  } catch (error) {
    if (!(error instanceof ResultsUnreadable)) throw error;
    throw resultsDamaged(dir, error);
  }
}

/** The EINPUT a damaged results.json of a part is refused with: where, what, and how to get a whole one again. */
export function resultsDamaged(dir: string, error: ResultsUnreadable): JobError {
  const where = `${error.file}${error.lineNumber ? `:${error.lineNumber}` : ''}`;
  const what =
    error.what === 'row'
      ? `row ${error.after + 1} is not a row of a results.json written by odin-bulk`
      : error.what === 'text'
        ? `the text after row ${error.after} is not a row of a results.json written by odin-bulk`
        : `there is text after the closing ] of its rows`;
  return new JobError('EINPUT', `${where}: ${what}; this part's results.json is damaged, nothing was written`, [
    'merge-reports reads the results.json of odin-bulk report folders, unedited.',
    `Run that shard again into a new folder, or run it again with --resume ${dir} (its reports are written anew from its journal), then merge.`,
  ]);
}
