import { autocannonGet } from '../lib/autocannon-run.js';
import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { gotCeiling } from '../lib/got-ceiling.js';
import { writeManifest } from '../lib/manifests.js';
import { runTool } from '../lib/run-tool.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmt, median } from '../lib/stats.js';
import { expectAllUpdated } from './latency-bound.js';

const CONCURRENCY = 16;

/**
 * 0 ms latency: the run's requests/s against autocannon's on the simulator's GET, same concurrency, interleaved.
 * Bare GETs through got are measured too, as the ceiling of any got-based client on this machine.
 */
export async function cpuBound(ctx: BenchContext): Promise<ResultRow[]> {
  const rows = ctx.quick ? 3000 : 10_000;
  const seconds = ctx.quick ? 3 : 8;
  const sim = await startSimProcess({ users: rows, latencyMs: 0 });
  const tool: number[] = [];
  const cannon: number[] = [];
  const bareGot: number[] = [];
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      ctx.progress(`cpu-bound ${rep}/${ctx.reps}: autocannon ${CONCURRENCY} connections for ${seconds} s`);
      cannon.push(await autocannonGet(sim.url, sim.env, CONCURRENCY, seconds));
      ctx.progress(`cpu-bound ${rep}/${ctx.reps}: bare got GETs, ${CONCURRENCY} at a time for ${seconds} s`);
      bareGot.push(await gotCeiling(sim.url, sim.env, CONCURRENCY, seconds));
      ctx.progress(`cpu-bound ${rep}/${ctx.reps}: ${rows} rows, concurrency ${CONCURRENCY}`);
      const manifest = await writeManifest(ctx.tmp, `cpu-${rep}`, rows, ctx.nextValue());
      const run = await runTool(['--manifest', manifest, '--concurrency', String(CONCURRENCY), '--rate', '0'], sim.env, ctx.outDir('cpu'));
      expectAllUpdated(run, rows);
      tool.push(run.summary.requests / (run.summary.durationMs / 1000));
    }
  } finally {
    await sim.close();
  }
  const ratio = median(tool) / median(cannon);
  return [
    {
      figure: 'CPU-bound',
      setup: `0 ms latency, concurrency ${CONCURRENCY}: ${fmt.n(rows)} rows (GET + PUT each) vs autocannon on the GET for ${seconds} s`,
      measured:
        `run ${fmt.n(median(tool))} req/s vs autocannon ${fmt.n(median(cannon))} req/s = **${fmt.pct(ratio)}**; ` +
        `bare GETs through got alone: ${fmt.n(median(bareGot))} req/s (${fmt.pct(median(bareGot) / median(cannon))}), the ceiling of a got-based client here`,
      target: '≥ 50 %',
      verdict: verdict(ratio >= 0.5),
    },
  ];
}
