/*
 * Canary and waves (`--canary N|N%`, `--waves 1%,10%,100%`): the shared model. The engine holds the next row back
 * until a wave is finished and checked (engine/waves.ts); the reports show what each wave did (summary.json `waves`).
 */

/** How far a wave reaches: a number of rows, or a share of the run's rows. Waves are cumulative: `1%,10%,100%`. */
export type WaveSize = { kind: 'count'; rows: number } | { kind: 'percent'; percent: number };

/** The waves of a run, as the settings give them. */
export type WavePlan = {
  /** `canary` (one wave, then the rest waits for `--resume`) or `waves`. */
  mode: 'canary' | 'waves';
  sizes: readonly WaveSize[];
  /** Wait after a wave before its users are read again (`--settle`). */
  settleMs: number;
  /** Failed or reverted users a wave may have before the run stops (`--wave-max-failures`). @default 0 */
  maxFailures: number;
  /** `manifest` (default) or `spread`: evenly across groups. */
  order: 'manifest' | 'spread';
};

/** A user of a wave that no longer holds what was written when read again after `--settle`. */
export type RevertedUser = { line: number; id: string; fields: { field: string; written: unknown; found: unknown }[] };

/** What one wave did. */
export type WaveRecord = {
  /** 1-based. */
  wave: number;
  /** Rows that needed a change the wave could take (its reach, cumulative, in rows). */
  upTo: number;
  /** Users written (updated) in this wave. */
  written: number;
  /** Rows of this wave that failed (failed, conflict, invalid). */
  failed: number;
  /** Rows read and found as requested (nothing to write) while this wave ran. */
  unchanged: number;
  /** Users read again after the settle time; `reverted` of them no longer held the written values. */
  checked: number;
  reverted: RevertedUser[];
  /** Users that could not be read again (counted as failures of the wave). */
  unreadable: number;
  /** `passed`, `stopped` (more failures than --wave-max-failures), `declined` (--confirm answered no), `interrupted`. */
  outcome: 'passed' | 'stopped' | 'declined' | 'interrupted';
};

/** summary.json's `waves`: the run's waves, and the rows left waiting. */
export type WavesSummary = {
  mode: WavePlan['mode'];
  /** The waves as given, e.g. `["1%", "10%", "100%"]`. */
  sizes: string[];
  settleMs: number;
  maxFailures: number;
  order: WavePlan['order'];
  waves: WaveRecord[];
  /** Rows held back (`waiting`): a `--resume` of the folder continues them. */
  waiting: number;
};

/** `10` or `10%`, as typed. */
export function waveSizeText(size: WaveSize): string {
  return size.kind === 'count' ? String(size.rows) : `${size.percent}%`;
}

/** The cumulative reach of each wave in rows, for a run of `total` rows: increasing, at least 1, at most `total`. */
export function waveReaches(sizes: readonly WaveSize[], total: number): number[] {
  const out: number[] = [];
  for (const size of sizes) {
    const rows = size.kind === 'count' ? size.rows : Math.ceil((size.percent * total) / 100);
    const reach = Math.min(total, Math.max(1, rows));
    if (out.length === 0 || reach > out[out.length - 1]!) out.push(reach);
  }
  return out;
}

/** Failures of a wave that count against `--wave-max-failures`: failed rows, reverted and unreadable users. */
export function waveFailures(w: Pick<WaveRecord, 'failed' | 'reverted' | 'unreadable'>): number {
  return w.failed + w.reverted.length + w.unreadable;
}
