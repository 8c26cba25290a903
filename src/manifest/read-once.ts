/**
 * Up to how large a manifest a run reads it only once. Up to both limits, `openManifest` reads a CSV whole into
 * memory (its text check, its parse and its hash work on those bytes) and `validateManifest` keeps the rows it
 * checked, which are then the rows the run sends: no second parse, and the first request goes out right after the
 * login. A larger manifest is streamed, and streamed again for the run, so that memory does not grow with it.
 */
export type ReadOnceLimit = {
  /** The file's size. */
  bytes: number;
  /** Rows kept for the run; 0 keeps none (`validate`, which sends nothing). */
  rows: number;
};

/**
 * 10,000 rows of a few fields are about 3 MB of kept rows (measured: 2.9 MB for the benchmark's 10,000-row
 * manifest), within the run's 40 MB memory budget beside the rest; the file is at most 4 MiB, which bounds the text
 * a row of long values can hold (10,000 rows of 400 bytes). The benchmark's and most real runs are under both.
 */
export const READ_ONCE_LIMIT: ReadOnceLimit = { bytes: 4 * 1024 * 1024, rows: 10_000 };
