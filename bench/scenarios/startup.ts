import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { simUser, writeManifest } from '../lib/manifests.js';
import { spawnMeasured } from '../lib/run-tool.js';
import { startSimProcess } from '../lib/sim-process.js';
import { fmt, median } from '../lib/stats.js';

/**
 * Start-up: how long the built binary takes for `--version`, `--help`, `validate` of a 10-row manifest and a 10-row
 * run against the simulator, spawned as a user would (the median of repeated runs). Short commands are mostly
 * start-up, and so is a test suite that spawns the binary hundreds of times.
 */
export async function startup(ctx: BenchContext): Promise<ResultRow[]> {
  const times = ctx.quick ? 5 : 21;
  const manifest = join(ctx.tmp, 'startup-10.csv');
  await writeFile(manifest, ['userId,clidPolicy', ...Array.from({ length: 10 }, (_, i) => `${simUser(i + 1)},Use DN`)].join('\n') + '\n');
  const measure = async (what: string, argsOf: (i: number) => string[], env: Record<string, string> = {}) => {
    ctx.progress(`start-up: ${what}, ${times} times`);
    const runs = [];
    for (let i = 0; i < times; i++) {
      const args = argsOf(i);
      const run = await spawnMeasured(args, env);
      if (run.exitCode !== 0) throw new Error(`odin-bulk ${args.join(' ')} exited ${run.exitCode}\n${run.stderr.slice(-2000)}`);
      runs.push(run);
    }
    return { wall: median(runs.map((r) => r.wallMs)), cpu: median(runs.map((r) => r.cpuMs)) };
  };
  // Node's own start-up, for scale: what no command can go below on this machine.
  ctx.progress(`start-up: node -e 0, ${times} times`);
  const bare: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(performance.now() - started);
  }
  const version = await measure('--version', () => ['--version']);
  const help = await measure('run --help', () => ['run', '--help']);
  const validate = await measure('validate of 10 rows', () => ['validate', '--manifest', manifest]);
  const sim = await startSimProcess({ users: 20, latencyMs: 0 });
  let run: { wall: number; cpu: number };
  try {
    const rows = await writeManifest(ctx.tmp, 'startup-run', 10, ctx.nextValue());
    // The same rows each time: from the second run on they are unchanged (a GET each, no PUT), as a re-run is.
    run = await measure('run of 10 rows', () => ['run', '--manifest', rows, '--rate', '0', '--quiet', '--out', ctx.outDir('startup')], sim.env);
  } finally {
    await sim.close();
  }
  const shown = (m: { wall: number; cpu: number }) => `**${fmt.s(m.wall)}** (CPU ${fmt.s(m.cpu)})`;
  return [
    { figure: 'Start-up: --version', setup: `\`odin-bulk --version\`, median of ${times}`, measured: shown(version), target: '≤ 0.25 s', verdict: verdict(version.wall <= 250) },
    { figure: 'Start-up: validate', setup: `\`odin-bulk validate --manifest\` of 10 rows, median of ${times}`, measured: shown(validate), target: '≤ 0.40 s', verdict: verdict(validate.wall <= 400) },
    { figure: 'Start-up: node itself', setup: `\`node -e 0\` on the same machine at the same time, median of ${times}`, measured: `**${fmt.s(median(bare))}**`, target: '(for information)', verdict: 'info' },
    { figure: 'Start-up: --help', setup: `\`odin-bulk run --help\`, median of ${times}`, measured: shown(help), target: '(for information)', verdict: 'info' },
    { figure: 'Start-up: a 10-row run', setup: `\`odin-bulk run\` of 10 rows against the simulator (0 ms latency), median of ${times}`, measured: shown(run), target: '(for information)', verdict: 'info' },
  ];
}
