/**
 * Up to how large a manifest a run reads it only once. Up to both limits, `openManifest` reads a CSV whole into
 * memory (its text check, its parse and its hash work on those bytes) and `validateManifest` keeps the rows it
 * checked, which are then the rows the run sends: no second parse, and the first request goes out right after the
 * login. A larger manifest is streamed, and streamed again for the run, so that memory does not grow with it.
 */
export type ReadOnceLimit = {
  /** The largest file, in bytes; 0 streams every manifest. */
  bytes: number;
  /** Rows kept for the run; 0 keeps none (`validate`, which sends nothing). */
  rows: number;
};

/**
 * Why these: 10,000 rows of a few fields are about 2 MB of kept rows (2.2 MB of heap for the benchmark's
 * 10,000-row manifest of three fields, 360 KB of CSV), a small part of the 40 MB by which a run's memory may grow
 * with its manifest; 4 MiB bounds the bytes held and the text that long values add to the kept rows (400 bytes a
 * row over 10,000 rows). The benchmark's latency-bound (2,000 rows) and CPU-bound (10,000) runs, and most real
 * jobs, are within both; its 200,000-row memory run is not, and is streamed.
 */
export const READ_ONCE_LIMIT: ReadOnceLimit = { bytes: 4 * 1024 * 1024, rows: 10_000 };

/**
 * The checked rows a first pass keeps for the run, while the manifest stays within `limit`: none (undefined) for a
 * larger file, once there are more than `limit.rows`, or once a row has a problem (there will be no run to send them).
 */
export class KeptRows<T> {
  private kept: T[] | undefined;

  constructor(size: number, private readonly limit: ReadOnceLimit) {
    this.kept = size <= limit.bytes && limit.rows > 0 ? [] : undefined;
  }

  /** The next row as checked; undefined for a row with a problem. */
  add(row: T | undefined): void {
    if (!this.kept) return;
    if (row === undefined || this.kept.length === this.limit.rows) this.kept = undefined;
    else this.kept.push(row);
  }

  /** The rows kept, or undefined when the run must read the file again. */
  get rows(): T[] | undefined {
    return this.kept;
  }
}
