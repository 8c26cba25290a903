import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchContext, type ResultRow, verdict } from '../lib/context.js';
import { spawnMeasured, type Summary } from '../lib/run-tool.js';
import { startSimProcess, type SimProcess } from '../lib/sim-process.js';
import { fmt, median } from '../lib/stats.js';

const USERS = 1000;
const LATENCY_MS = 50;
const CONCURRENCY = 16;
const OPERATION = 'user-call-forwarding-always';

type Measured = { wallMs: number; summary: Summary & { planned: number }; userGets: number; groupGets: number };

/**
 * `plan --group` of a 1,000-user group (issue 10 §7): with Odin's group-wide read (one GET for the group) against
 * the same simulator without it (`bulk: 'missing'`, one GET per user), 50 ms latency, concurrency 16, rate uncapped,
 * repetitions interleaved. Requests are the tool's count (summary.json) and the simulator's count of GETs.
 */
export async function groupRead(ctx: BenchContext): Promise<ResultRow[]> {
  const options = { users: USERS, groupSize: USERS, latencyMs: LATENCY_MS };
  const bulk = await startSimProcess(options);
  const perUser = await startSimProcess({ ...options, bulk: 'missing' });
  const job = join(ctx.tmp, 'group-read.json');
  await writeFile(job, JSON.stringify({ operation: OPERATION, defaults: { isActive: true, forwardToPhoneNumber: '4500' } }));
  const runs: { bulk: Measured[]; perUser: Measured[] } = { bulk: [], perUser: [] };
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      ctx.progress(`group read ${rep}/${ctx.reps}: plan --group of ${USERS} users, with the group-wide read and user by user`);
      runs.bulk.push(await planGroup(bulk, job, ctx.outDir('group-bulk')));
      runs.perUser.push(await planGroup(perUser, job, ctx.outDir('group-per-user')));
    }
  } finally {
    await Promise.all([bulk.close(), perUser.close()]);
  }
  const [b, p] = [runs.bulk, runs.perUser];
  const wall = (m: Measured[]) => median(m.map((x) => x.wallMs));
  const requests = (m: Measured[]) => median(m.map((x) => x.summary.requests));
  const userGets = (m: Measured[]) => median(m.map((x) => x.userGets));
  // Both plans come to the same rows; only how they were read differs.
  const same = [...b, ...p].every((x) => x.summary.total === USERS && x.summary.planned + x.summary.unchanged === USERS && x.summary.failed === 0);
  return [
    {
      figure: 'Group-wide read',
      setup: `plan --group of ${fmt.n(USERS)} users (${OPERATION}), ${LATENCY_MS} ms latency, concurrency ${CONCURRENCY}, rate uncapped; the same simulator without the bulk read for per-user`,
      measured:
        `bulk read: **${fmt.n(requests(b))} requests** (the user list, 1 GET of the group's settings), ${fmt.s(wall(b))} wall; ` +
        `per-user: **${fmt.n(requests(p))} requests** (the user list, the refused bulk read, ${fmt.n(userGets(p))} GETs), ${fmt.s(wall(p))} wall (node start-up included in both); ` +
        `at the default --rate 5 the per-user reads alone would take ${fmt.n(requests(p) / 5 / 60, 1)} min`,
      target: '2 requests for the group (the user list and the settings), the same rows',
      verdict: verdict(same && requests(b) === 2 && b.every((x) => x.groupGets === 1 && x.userGets === 0) && userGets(p) === USERS),
    },
  ];
}

async function planGroup(sim: SimProcess, job: string, out: string): Promise<Measured> {
  await sim.reset();
  const args = ['plan', job, '--group', 'sim-sp/grp-01', '--out', out, '--rate', '0', '--concurrency', String(CONCURRENCY), '--quiet'];
  const run = await spawnMeasured(args, sim.env);
  const text = await readFile(join(out, 'summary.json'), 'utf8').catch(() => undefined);
  if (!text) throw new Error(`the plan wrote no summary.json (exit ${run.exitCode})\n${run.stdout}\n${run.stderr.slice(-2000)}`);
  const { byRoute } = await sim.stats();
  const path = `/users/${OPERATION.slice('user-'.length)}`;
  return { wallMs: run.wallMs, summary: JSON.parse(text) as Measured['summary'], userGets: byRoute[`GET ${path}`] ?? 0, groupGets: byRoute[`GET ${path}/bulk`] ?? 0 };
}
