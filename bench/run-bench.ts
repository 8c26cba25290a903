/**
 * `npm run bench [-- --quick] [-- --only latency,cpu,rate,memory,adaptive,startup,group]`: measures the built binary against the
 * simulator (separate process, 127.0.0.1 only), prints one table with PASS/MISS per target and writes it to
 * bench/RESULTS.md (a --quick or --only run writes bench/out/RESULTS.md instead, so the record is never a partial run).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createContext, type BenchContext, type ResultRow } from './lib/context.js';
import { resultsMarkdown } from './lib/results.js';
import { adaptive } from './scenarios/adaptive.js';
import { baseline } from './scenarios/baseline.js';
import { cpuBound } from './scenarios/cpu-bound.js';
import { groupRead } from './scenarios/group-read.js';
import { latencyBound } from './scenarios/latency-bound.js';
import { memory } from './scenarios/memory.js';
import { rateCap } from './scenarios/rate-cap.js';
import { startup } from './scenarios/startup.js';

const SCENARIOS: Record<string, (ctx: BenchContext) => Promise<ResultRow[]>> = {
  latency: latencyBound,
  cpu: cpuBound,
  rate: rateCap,
  memory,
  adaptive,
  startup,
  group: groupRead,
  baseline,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'))?.split('=')[1] ?? (args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined);
const only = onlyArg?.split(',').map((s) => s.trim());
const unknown = only?.filter((name) => !SCENARIOS[name]);
if (unknown?.length) {
  process.stderr.write(`unknown scenario ${unknown.join(', ')}: choose from ${Object.keys(SCENARIOS).join(', ')}\n`);
  process.exit(2);
}

const ctx = await createContext(quick);
const started = performance.now();
const rows: ResultRow[] = [];
try {
  for (const [name, scenario] of Object.entries(SCENARIOS)) {
    if (only && !only.includes(name)) continue;
    rows.push(...(await scenario(ctx)));
  }
} finally {
  await rm(ctx.tmp, { recursive: true, force: true });
}
const markdown = resultsMarkdown(rows, { quick, reps: ctx.reps, minutes: (performance.now() - started) / 60_000, only });
const record = !quick && !only;
const target = fileURLToPath(new URL(record ? './RESULTS.md' : './out/RESULTS.md', import.meta.url));
await mkdir(fileURLToPath(new URL('./out/', import.meta.url)), { recursive: true });
await writeFile(target, markdown);
process.stdout.write(`${markdown}\nWritten to ${target}\n`);
process.exitCode = rows.some((r) => r.verdict === 'MISS') ? 1 : 0;
