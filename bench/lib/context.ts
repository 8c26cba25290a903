import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Verdict = 'PASS' | 'MISS' | 'info';

/** One line of the results table. */
export type ResultRow = { figure: string; setup: string; measured: string; target: string; verdict: Verdict };

export type BenchContext = {
  quick: boolean;
  /** Repetitions per figure; each figure is the median. */
  reps: number;
  /** Temporary folder for manifests and report folders. */
  tmp: string;
  progress(message: string): void;
  /** A fresh report folder. */
  outDir(name: string): string;
  /** A value no earlier run set, so every row of the next manifest is a real change. */
  nextValue(): number;
};

export async function createContext(quick: boolean): Promise<BenchContext> {
  const tmp = await mkdtemp(join(tmpdir(), 'odin-bulk-bench-'));
  let value = 900_000;
  let out = 0;
  return {
    quick,
    reps: quick ? 1 : 3,
    tmp,
    progress: (message) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`),
    outDir: (name) => join(tmp, `out-${++out}-${name}`),
    nextValue: () => ++value,
  };
}

export const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'MISS');
