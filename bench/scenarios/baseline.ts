import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { simUser } from '../lib/manifests.js';
import { runTool, type ToolRun } from '../lib/run-tool.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmt, median } from '../lib/stats.js';

const LATENCY_MS = 50;
const CONCURRENCY = 16;
const STEPS = ['user-call-forwarding-no-answer', 'user-do-not-disturb', 'user-call-processing-policy'];

/**
 * A baseline of three steps (docs/baselines.md) for every user: each step is its own GET and PUT, one after the
 * other per user, users side by side. Against its ideal (requests × latency ÷ concurrency): the steps add their
 * own requests and nothing else.
 */
export async function baseline(ctx: BenchContext): Promise<ResultRow[]> {
  const rows = ctx.quick ? 500 : 2000;
  const sim = await startSimProcess({ users: rows, latencyMs: LATENCY_MS });
  const runs: { run: ToolRun; idealMs: number }[] = [];
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      ctx.progress(`baseline ${rep}/${ctx.reps}: ${rows} users × ${STEPS.length} steps, concurrency ${CONCURRENCY}`);
      const manifest = await writeBaselineManifest(ctx.tmp, `baseline-${rep}`, rows, rep);
      const run = await runTool(['--manifest', manifest, '--operation', STEPS.join('+'), '--concurrency', String(CONCURRENCY), '--rate', '0'], sim.env, ctx.outDir('baseline'));
      if (run.summary.failed > 0 || run.summary.total !== rows) throw new Error(`expected ${rows} rows without a failure, got ${JSON.stringify(run.summary)} (exit ${run.exitCode})`);
      runs.push({ run, idealMs: (run.summary.requests * LATENCY_MS) / CONCURRENCY });
    }
  } finally {
    await sim.close();
  }
  const ratio = median(runs.map((r) => r.run.wallMs / r.idealMs));
  const wall = median(runs.map((r) => r.run.wallMs));
  const ideal = median(runs.map((r) => r.idealMs));
  const perUser = median(runs.map((r) => r.run.summary.requests / rows));
  return [
    {
      figure: 'Baseline of 3 steps',
      setup: `${fmt.n(rows)} users × ${STEPS.length} steps (${fmt.n(perUser, 2)} requests/user), ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}, rate uncapped`,
      measured: `${fmt.s(wall)} wall (node start-up included) vs ideal ${fmt.s(ideal)} = **${ratio.toFixed(3)} × ideal**`,
      target: '≤ 1.10 × ideal',
      verdict: verdict(ratio <= 1.1),
    },
  ];
}

/**
 * Users 1..rows, every step changing something: rings, DND and the CLID switch flip with the repetition, so each
 * run after the first writes every step (the first finds some users already there: fewer requests, same ideal).
 */
async function writeBaselineManifest(dir: string, name: string, rows: number, rep: number): Promise<string> {
  const file = join(dir, `${name}.csv`);
  const out = createWriteStream(file);
  const on = rep % 2 === 1;
  out.write(`userId,${STEPS[0]}.isActive,${STEPS[0]}.numberOfRings,${STEPS[1]}.isActive,${STEPS[2]}.useUserCLIDSetting\n`);
  for (let i = 1; i <= rows; i++) {
    if (!out.write(`${simUser(i)},true,${on ? 4 : 6},${on},${on}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}
