import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { writeJsonManifest, writeManifest } from '../lib/manifests.js';
import { RSS_METHOD, runTool } from '../lib/run-tool.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmt, median } from '../lib/stats.js';
import { expectAllUpdated } from './latency-bound.js';

/** Peak RSS of whole runs (validation pass, run, reports) at a small and a large manifest, interleaved. */
export async function memory(ctx: BenchContext): Promise<ResultRow[]> {
  const small = ctx.quick ? 2000 : 10_000;
  const large = ctx.quick ? 20_000 : 200_000;
  const sim = await startSimProcess({ users: large, latencyMs: 0 });
  const peaks = { small: [] as number[], large: [] as number[] };
  const jsonPeaks = { small: [] as number[], large: [] as number[] };
  const durations: number[] = [];
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      for (const [size, rows] of [['small', small], ['large', large]] as const) {
        ctx.progress(`memory ${rep}/${ctx.reps}: ${rows} rows`);
        const manifest = await writeManifest(ctx.tmp, `memory-${size}-${rep}`, rows, ctx.nextValue());
        const run = await runTool(['--manifest', manifest, '--concurrency', '16', '--rate', '0'], sim.env, ctx.outDir(`memory-${size}`));
        expectAllUpdated(run, rows);
        peaks[size].push(run.peakRssBytes);
        if (size === 'large') durations.push(run.summary.durationMs);
        ctx.progress(`memory ${rep}/${ctx.reps}: ${rows} rows from a JSON manifest`);
        const json = await writeJsonManifest(ctx.tmp, `memory-${size}-${rep}`, rows, ctx.nextValue());
        const jsonRun = await runTool(['--manifest', json, '--concurrency', '16', '--rate', '0'], sim.env, ctx.outDir(`memory-json-${size}`));
        expectAllUpdated(jsonRun, rows);
        jsonPeaks[size].push(jsonRun.peakRssBytes);
      }
    }
  } finally {
    await sim.close();
  }
  const delta = median(peaks.large) - median(peaks.small);
  const jsonDelta = median(jsonPeaks.large) - median(jsonPeaks.small);
  return [
    {
      figure: 'Memory (peak RSS)',
      setup: `whole run, concurrency 16, 0 ms latency; ${RSS_METHOD}`,
      measured:
        `${fmt.n(small)} rows: ${fmt.mb(median(peaks.small))}; ${fmt.n(large)} rows: ${fmt.mb(median(peaks.large))} ` +
        `(run took ${fmt.s(median(durations))}) → **${signedMb(delta)}**`,
      target: `≤ +40 MB from ${fmt.n(small)} to ${fmt.n(large)} rows`,
      verdict: verdict(delta <= 40 * 1024 * 1024),
    },
    {
      figure: 'Memory, JSON manifest (peak RSS)',
      setup: `the same whole runs from a {"defaults", "rows"} JSON manifest (streamed like a CSV)`,
      measured: `${fmt.n(small)} rows: ${fmt.mb(median(jsonPeaks.small))}; ${fmt.n(large)} rows: ${fmt.mb(median(jsonPeaks.large))} → **${signedMb(jsonDelta)}**`,
      target: `≤ +40 MB from ${fmt.n(small)} to ${fmt.n(large)} rows`,
      verdict: verdict(jsonDelta <= 40 * 1024 * 1024),
    },
  ];
}

/** `+16.9 MB`, `−4.3 MB`: a change of peak memory with its sign. */
function signedMb(bytes: number): string {
  return `${bytes < 0 ? '−' : '+'}${fmt.mb(Math.abs(bytes))}`;
}
