import { JobError } from '../model/errors.js';
import type { RowResult } from '../model/row-result.js';
import { readResults, ResultsUnreadable } from '../records/read-results.js';

/**
 * Streams the rows of a report folder's results.json (read and checked one line at a time by the codec, so a
 * 200,000-row file is never held whole). Anything that is not an odin-bulk results.json is an input error (exit 2).
 */
export async function* readResultRows(dir: string, keyFields: readonly string[]): AsyncGenerator<RowResult> {
  try {
    yield* readResults(dir, keyFields);
  } catch (error) {
    if (!(error instanceof ResultsUnreadable)) throw error;
    const what = error.what === 'row' ? `row ${error.after + 1}` : `the text after row ${error.after}`;
    throw new JobError('EINPUT', `${error.file}: ${what} is not a row of a results.json written by odin-bulk; nothing was written`, [
      'merge-reports reads the results.json of odin-bulk report folders, unedited.',
    ]);
  }
}
