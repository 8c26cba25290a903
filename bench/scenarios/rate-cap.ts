import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { writeManifest } from '../lib/manifests.js';
import { runTool } from '../lib/run-tool.js';
import { startSimProcess } from '../lib/sim-process.js';
import { achievedRate, fmt, maxInWindow, median } from '../lib/stats.js';
import { expectAllUpdated } from './latency-bound.js';

const RATE = 20;

/** `--rate 20` for about 30 s: the rate the simulator saw, and its busiest one-second window (sliding). */
export async function rateCap(ctx: BenchContext): Promise<ResultRow[]> {
  const seconds = ctx.quick ? 10 : 30;
  const rows = (RATE * seconds) / 2; // a GET and a PUT per row
  const sim = await startSimProcess({ users: rows, latencyMs: 0 });
  const rates: number[] = [];
  const windows: number[] = [];
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      ctx.progress(`rate cap ${rep}/${ctx.reps}: ${rows} rows at --rate ${RATE} (~${seconds} s)`);
      const manifest = await writeManifest(ctx.tmp, `rate-${rep}`, rows, ctx.nextValue());
      await sim.record(true);
      const run = await runTool(['--manifest', manifest, '--concurrency', '16', '--rate', String(RATE)], sim.env, ctx.outDir('rate'));
      expectAllUpdated(run, rows);
      const times = await sim.times();
      await sim.record(false);
      rates.push(achievedRate(times));
      windows.push(maxInWindow(times, 1000));
    }
  } finally {
    await sim.close();
  }
  const rate = median(rates);
  const worst = Math.max(...windows);
  return [
    {
      figure: 'Rate cap accuracy',
      setup: `--rate ${RATE}, concurrency 16, ${rows} rows = ${rows * 2} requests (~${seconds} s), counted by the simulator`,
      measured: `**${rate.toFixed(2)} req/s** achieved; busiest 1-s sliding window **${worst}** requests (worst of ${windows.length} run${windows.length === 1 ? '' : 's'})`,
      target: '19–20.5 req/s, no 1-s window > 21',
      verdict: verdict(rate >= 19 && rate <= 20.5 && worst <= 21),
    },
  ];
}
