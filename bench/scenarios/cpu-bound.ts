import { autocannonGet } from '../lib/autocannon-run.js';
import { clientPairCeiling } from '../lib/client-ceiling.js';
import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { gotCeiling, gotPairCeiling } from '../lib/got-ceiling.js';
import { writeManifest } from '../lib/manifests.js';
import { nodeHttpCeiling } from '../lib/node-http-ceiling.js';
import { runTool } from '../lib/run-tool.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmt, median } from '../lib/stats.js';
import { expectAllUpdated } from './latency-bound.js';

const CONCURRENCY = 16;

/**
 * 0 ms latency: the run's requests/s against autocannon's on the simulator's GET, same concurrency, interleaved.
 * Three bare clients put the figure in context: node:http GETs, got GETs (the ceiling of any got-based client
 * here), and got doing the run's own GET + PUT pairs with no tool around it (what the tool itself costs).
 */
export async function cpuBound(ctx: BenchContext): Promise<ResultRow[]> {
  const rows = ctx.quick ? 3000 : 10_000;
  const seconds = ctx.quick ? 3 : 8;
  const sim = await startSimProcess({ users: rows, latencyMs: 0 });
  const m = { tool: [] as number[], cannon: [] as number[], nodeHttp: [] as number[], gotGet: [] as number[], gotPair: [] as number[], clientPair: [] as number[] };
  const step = (rep: number, what: string) => ctx.progress(`cpu-bound ${rep}/${ctx.reps}: ${what}`);
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      step(rep, `autocannon, ${CONCURRENCY} connections for ${seconds} s`);
      m.cannon.push(await autocannonGet(sim.url, sim.env, CONCURRENCY, seconds));
      step(rep, `bare node:http GETs, ${CONCURRENCY} at a time for ${seconds} s`);
      m.nodeHttp.push(await nodeHttpCeiling(sim.url, sim.env, CONCURRENCY, seconds));
      step(rep, `bare got GETs, ${CONCURRENCY} at a time for ${seconds} s`);
      m.gotGet.push(await gotCeiling(sim.url, sim.env, CONCURRENCY, seconds));
      step(rep, `bare got GET + PUT pairs, ${CONCURRENCY} at a time for ${seconds} s`);
      m.gotPair.push(await gotPairCeiling(sim.url, sim.env, CONCURRENCY, seconds, rows));
      step(rep, `odin-bulk's client alone, GET + PUT pairs, ${CONCURRENCY} at a time for ${seconds} s`);
      m.clientPair.push(await clientPairCeiling(sim.url, sim.env, CONCURRENCY, seconds, rows));
      step(rep, `${rows} rows, concurrency ${CONCURRENCY}`);
      const manifest = await writeManifest(ctx.tmp, `cpu-${rep}`, rows, ctx.nextValue());
      const run = await runTool(['--manifest', manifest, '--concurrency', String(CONCURRENCY), '--rate', '0'], sim.env, ctx.outDir('cpu'));
      expectAllUpdated(run, rows);
      m.tool.push(run.summary.requests / (run.summary.durationMs / 1000));
    }
  } finally {
    await sim.close();
  }
  const [tool, cannon, nodeHttp, gotGet, gotPair, clientPair] = [m.tool, m.cannon, m.nodeHttp, m.gotGet, m.gotPair, m.clientPair].map(median) as [number, number, number, number, number, number];
  const ratio = tool / cannon;
  const ofCannon = (n: number) => `${fmt.n(n)} req/s (${fmt.pct(n / cannon)})`;
  return [
    {
      figure: 'CPU-bound',
      setup: `0 ms latency, concurrency ${CONCURRENCY}: ${fmt.n(rows)} rows (GET + PUT each) vs autocannon on the GET for ${seconds} s`,
      measured:
        `run ${fmt.n(tool)} req/s vs autocannon ${fmt.n(cannon)} req/s = **${fmt.pct(ratio)}**. ` +
        `Bare clients, same GET, same concurrency: node:http ${ofCannon(nodeHttp)}; got ${ofCannon(gotGet)}, the ceiling of a got-based client here`,
      target: '(for information)',
      verdict: 'info',
    },
    {
      figure: 'CPU-bound: the tool\'s own cost',
      setup: `the same run vs got alone sending the run's traffic (GET + PUT per user, no validation, reports or logs), concurrency ${CONCURRENCY}`,
      measured: `run ${fmt.n(tool)} req/s vs bare got pairs ${fmt.n(gotPair)} req/s = **${fmt.pct(tool / gotPair)}**`,
      target: '≥ 80 % of bare got pairs',
      verdict: verdict(tool / gotPair >= 0.8),
    },
    {
      figure: "CPU-bound: the client's share",
      setup: `the same GET + PUT pairs through odin-bulk's own client (configured as the run configures it: timeout, retries, login, answers read into fields) and nothing else: no manifest, comparison, journal, writes.ndjson, reports or run.log, concurrency ${CONCURRENCY}`,
      measured: `client alone ${fmt.n(clientPair)} req/s = **${fmt.pct(clientPair / gotPair)}** of bare got pairs; the run is ${fmt.pct(tool / clientPair)} of it`,
      target: '(for information)',
      verdict: 'info',
    },
  ];
}
