import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { writeManifest } from '../lib/manifests.js';
import { runTool } from '../lib/run-tool.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmt, median } from '../lib/stats.js';

const CAPACITY = 16;
const LATENCY_MS = 50;
// 32 behaves like 64 (congestion collapse) and takes minutes per run: 64 stands for "too high".
const FIXED = [8, 16, 64] as const;
const TOO_HIGH = 64;

type Sample = { rowsPerSecond: number; throttled: number; failed: number };

/**
 * `--concurrency auto` against fixed settings, on a simulator that takes 16 requests in flight and answers 429
 * (after an extra delay) beyond that. Throughput = rows ÷ the run's own duration; 429s counted by the simulator.
 */
export async function adaptive(ctx: BenchContext): Promise<ResultRow[]> {
  const rows = ctx.quick ? 500 : 2000;
  const sim = await startSimProcess({ users: rows, latencyMs: LATENCY_MS, capacity: CAPACITY });
  const settings = [...FIXED.map(String), 'auto'];
  const samples = new Map<string, Sample[]>(settings.map((s) => [s, []]));
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      for (const setting of settings) {
        ctx.progress(`adaptive ${rep}/${ctx.reps}: --concurrency ${setting}, ${rows} rows, capacity ${CAPACITY}`);
        const manifest = await writeManifest(ctx.tmp, `adaptive-${setting}-${rep}`, rows, ctx.nextValue());
        await sim.record(true);
        const run = await runTool(['--manifest', manifest, '--concurrency', setting, '--rate', '0'], sim.env, ctx.outDir(`adaptive-${setting}`));
        const statuses = await sim.statuses();
        await sim.record(false);
        const done = run.summary.updated + run.summary.unchanged;
        samples.get(setting)!.push({ rowsPerSecond: done / (run.summary.durationMs / 1000), throttled: statuses['429'] ?? 0, failed: run.summary.failed });
      }
    }
  } finally {
    await sim.close();
  }
  const med = (s: string, k: keyof Sample) => median(samples.get(s)!.map((x) => x[k]));
  const best = FIXED.map(String).reduce((a, b) => (med(b, 'rowsPerSecond') > med(a, 'rowsPerSecond') ? b : a));
  const share = med('auto', 'rowsPerSecond') / med(best, 'rowsPerSecond');
  const autoThrottled = med('auto', 'throttled');
  const highThrottled = med(String(TOO_HIGH), 'throttled');
  const fixedText = FIXED.map((c) => `${c}: ${fmt.n(med(String(c), 'rowsPerSecond'))} rows/s, ${fmt.n(med(String(c), 'throttled'))}×429${failedText(med(String(c), 'failed'))}`).join('; ');
  return [
    {
      figure: 'Adaptive concurrency',
      setup: `${fmt.n(rows)} rows, ${LATENCY_MS} ms latency, simulator capacity ${CAPACITY} in flight (429 beyond); fixed ${fixedText}`,
      measured:
        `auto: **${fmt.n(med('auto', 'rowsPerSecond'))} rows/s = ${fmt.pct(share)} of the best fixed (${best})**, ` +
        `**${fmt.n(autoThrottled)}×429** vs ${fmt.n(highThrottled)} at fixed ${TOO_HIGH}${failedText(med('auto', 'failed'))}`,
      target: `≥ 85 % of the best fixed; 429s ≤ ¼ of fixed ${TOO_HIGH}'s`,
      verdict: verdict(share >= 0.85 && autoThrottled <= highThrottled / 4),
    },
  ];
}

const failedText = (n: number) => (n > 0 ? ` (${fmt.n(n)} rows failed)` : '');
