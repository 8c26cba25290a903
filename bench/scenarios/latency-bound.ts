import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { gotPairsOnce } from '../lib/got-ceiling.js';
import { writeManifest } from '../lib/manifests.js';
import { runTool, type ToolRun } from '../lib/run-tool.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmt, median } from '../lib/stats.js';

const LATENCY_MS = 50;
const CONCURRENCY = 16;

/**
 * Latency-bound run (50 ms, concurrency 16, rate uncapped) against its ideal, and the serial way (concurrency 1,
 * --rate 5, as the Python library does) on the same simulator, repetitions interleaved.
 */
export async function latencyBound(ctx: BenchContext): Promise<ResultRow[]> {
  const rows = ctx.quick ? 500 : 2000;
  const serialRows = ctx.quick ? 10 : 50;
  const sim = await startSimProcess({ users: rows, latencyMs: LATENCY_MS });
  const fast: { run: ToolRun; idealMs: number }[] = [];
  const phases: Phases[] = [];
  const serialPerRowMs: number[] = [];
  const bareMs: number[] = [];
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      ctx.progress(`latency-bound ${rep}/${ctx.reps}: ${rows} rows, concurrency ${CONCURRENCY}`);
      const manifest = await writeManifest(ctx.tmp, `latency-${rep}`, rows, ctx.nextValue());
      await sim.record(true);
      const run = await runTool(['--manifest', manifest, '--concurrency', String(CONCURRENCY), '--rate', '0'], sim.env, ctx.outDir('latency'));
      phases.push(phasesOf(run, await sim.times()));
      await sim.record(false);
      expectAllUpdated(run, rows);
      fast.push({ run, idealMs: (run.summary.requests * LATENCY_MS) / CONCURRENCY });

      ctx.progress(`bare got ${rep}/${ctx.reps}: the same ${rows} GET + PUT pairs, concurrency ${CONCURRENCY}`);
      bareMs.push(await gotPairsOnce(sim.url, sim.env, CONCURRENCY, rows, ctx.nextValue()));

      ctx.progress(`serial ${rep}/${ctx.reps}: ${serialRows} rows, concurrency 1, --rate 5`);
      const small = await writeManifest(ctx.tmp, `serial-${rep}`, serialRows, ctx.nextValue());
      const serial = await runTool(['--manifest', small, '--concurrency', '1', '--rate', '5'], sim.env, ctx.outDir('serial'));
      expectAllUpdated(serial, serialRows);
      serialPerRowMs.push(serial.wallMs / serialRows);
    }
  } finally {
    await sim.close();
  }
  const ratio = median(fast.map((f) => f.run.wallMs / f.idealMs));
  const wall = median(fast.map((f) => f.run.wallMs));
  const ideal = median(fast.map((f) => f.idealMs));
  const perRow = median(fast.map((f) => f.run.summary.requests / rows));
  const cpuPerRow = median(fast.map((f) => f.run.cpuMs / rows));
  const serialWall = median(serialPerRowMs) * rows;
  const bareIdeal = (rows * 2 * LATENCY_MS) / CONCURRENCY;
  const phase = (k: keyof Phases) => median(phases.map((p) => p[k]));
  return [
    {
      figure: 'Latency-bound',
      setup: `${fmt.n(rows)} rows (${fmt.n(perRow, 2)} requests/row), ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}, rate uncapped`,
      measured:
        `${fmt.s(wall)} wall (node start-up included) vs ideal ${fmt.s(ideal)} = **${ratio.toFixed(3)} × ideal**; ` +
        `the client's CPU time (user + system, start-up included) ÷ rows: **${fmt.n(cpuPerRow, 2)} ms per row**`,
      target: '≤ 1.10 × ideal',
      verdict: verdict(ratio <= 1.1),
    },
    {
      figure: 'Latency-bound: got alone',
      setup: `the same ${fmt.n(rows)} GET + PUT pairs through bare got (keep-alive, no validation, reports or logs), concurrency ${CONCURRENCY}, in the bench's process, same simulator`,
      measured: `${fmt.s(median(bareMs))} vs ideal ${fmt.s(bareIdeal)} = **${(median(bareMs) / bareIdeal).toFixed(3)} × ideal** (no node start-up in it): the floor for a got-based client beside this simulator`,
      target: '(for information)',
      verdict: 'info',
    },
    {
      figure: 'Latency-bound: where the time goes',
      setup: `the same runs, split by the simulator's record of its answers: spawn → first request (node start-up, validation of the manifest, login); first request → last answer; last answer → exit (the reports)`,
      measured:
        `start-up ${fmt.s(phase('startMs'))}, requests ${fmt.s(phase('requestsMs'))} (**${(phase('requestsMs') / bareIdeal).toFixed(3)} × ideal**; got alone ${(median(bareMs) / bareIdeal).toFixed(3)} ×), ` +
        `end ${fmt.s(phase('endMs'))}`,
      target: '(for information)',
      verdict: 'info',
    },
    {
      figure: 'Against the serial way',
      setup: `concurrency 1 + --rate 5 (odins_spear's way) vs the latency-bound run above, same simulator`,
      measured:
        `**${fmt.n(serialWall / wall, 0)}× faster**: serial ${fmt.n(median(serialPerRowMs), 0)} ms/row, measured on ${serialRows} rows ` +
        `and extrapolated to ${fmt.n(rows)} rows = ${fmt.n(serialWall / 60_000, 1)} min vs ${fmt.s(wall)}`,
      target: '(for information)',
      verdict: 'info',
    },
  ];
}

type Phases = { startMs: number; requestsMs: number; endMs: number };

/** A run's three phases, from its spawn and exit times and the simulator's answer times (each answer LATENCY_MS after its request arrived). */
function phasesOf(run: ToolRun, answeredAt: number[]): Phases {
  const firstRequest = Math.min(...answeredAt) - LATENCY_MS;
  const lastAnswer = Math.max(...answeredAt);
  return { startMs: firstRequest - run.startedAt, requestsMs: lastAnswer - firstRequest, endMs: run.endedAt - lastAnswer };
}

export function expectAllUpdated(run: ToolRun, rows: number): void {
  if (run.summary.updated !== rows || run.summary.total !== rows) {
    throw new Error(`expected ${rows} updated rows, got ${JSON.stringify(run.summary)} (exit ${run.exitCode})`);
  }
}
