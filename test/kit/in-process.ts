import { expect } from '@jest/globals';
import type { Simulator } from '../../src/simulator/simulator.js';
import { lazy } from './lazy.js';
import { runAgainst } from './runs.js';
import type { JobOutcome } from '../../src/pipelines/run-job.js';
import type { ApplyPlanOptions, ApplyResult } from '../../src/api/apply-plan.js';
import type { PlanJobOptions, RunJobOptions, RunResult } from '../../src/api/run-job.js';
import type { Connection } from '../../src/settings/connection.js';

/*
 * Checks of a spawned command's output, done in this process instead of by spawning the binary again: the undo
 * command a run or apply printed, run to prove that its rollback.csv restores what that command changed. What a CLI
 * test asserts about the command under test still comes from spawning it (runCli); set-up runs and plans (a plan
 * that the apply under test takes, the runs a merge-reports or a --resume reads) go through `runAgainst` (runs.ts).
 */

/** The console's "Undo this run:" line of a spawned run or apply, as the operation and rollback.csv it names. */
export function undoCommand(stdout: string): { manifest: string; operation?: string } {
  const line = stdout.split('\n').find((l) => l.startsWith('Undo this run:'));
  expect(line).toBeDefined();
  // Exactly `odin-bulk run --manifest FILE [--operation OP]`: anything else would not be what runAgainst runs.
  const match = /^Undo this run: +odin-bulk run --manifest (\S+)(?: --operation (\S+))?$/.exec(line!);
  expect({ line, parsed: match !== null }).toEqual({ line, parsed: true });
  return { manifest: match![1]!, ...(match![2] ? { operation: match![2] } : {}) };
}

/**
 * Runs the undo command a spawned command printed (its rollback.csv, its operation) in this process, into `out`;
 * the exit code it would end with is `summary.exitCode`.
 */
export function undoAgainst(sim: Simulator, stdout: string, out: string): Promise<JobOutcome> {
  return runAgainst(sim, { ...undoCommand(stdout), out, retries: 0 });
}

/*
 * Set-up for CLI tests, through the library in this process: a plan whose folder a spawned `apply` then takes, a run
 * whose report folder a spawned `--resume` reads, a run that only puts the simulator in a state. What a CLI test
 * asserts about a command comes from spawning that command (runCli); these only prepare what it starts from, at a
 * fraction of a spawn's CPU. They call the public library functions (src/api/) as `odin-bulk` does, so a plan made
 * here is the plan.json the CLI would write. Rate uncapped unless given; relative paths are relative to this
 * process's working directory (the repository), so give absolute ones.
 */

type Settings<T> = Omit<T, 'connection'>;

/** The library's plan, run and apply, loaded when one of these is first called (lazy.ts). */
const loadRunApi = lazy(() => import('../../src/api/run-job.js'));
const loadApplyApi = lazy(() => import('../../src/api/apply-plan.js'));

/** The simulator as a library connection: what the CLI takes from the three ODIN_* variables. */
export function libraryConnection(sim: Pick<Simulator, 'url' | 'username' | 'password'>): Connection {
  return { baseUrl: sim.url, username: sim.username, password: sim.password };
}

/** `odin-bulk plan` as the library runs it (planJob), against the simulator. */
export async function libraryPlan(sim: Pick<Simulator, 'url' | 'username' | 'password'>, settings: Settings<PlanJobOptions>): Promise<RunResult> {
  const { planJob } = await loadRunApi();
  return planJob({ rate: 0, ...settings, connection: libraryConnection(sim) });
}

/** `odin-bulk run` as the library runs it (runJob), against the simulator. */
export async function libraryRun(sim: Pick<Simulator, 'url' | 'username' | 'password'>, settings: Settings<RunJobOptions>): Promise<RunResult> {
  const { runJob } = await loadRunApi();
  return runJob({ rate: 0, ...settings, connection: libraryConnection(sim) });
}

/** `odin-bulk apply` as the library runs it (applyPlan), against the simulator. */
export async function libraryApply(sim: Pick<Simulator, 'url' | 'username' | 'password'>, settings: Settings<ApplyPlanOptions>): Promise<ApplyResult> {
  const { applyPlan } = await loadApplyApi();
  return applyPlan({ ...settings, connection: libraryConnection(sim) });
}
