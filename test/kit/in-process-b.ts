import { applyPlan, type ApplyPlanOptions, type ApplyResult } from '../../src/api/apply-plan.js';
import { planJob, runJob, type PlanJobOptions, type RunJobOptions, type RunResult } from '../../src/api/run-job.js';
import type { Connection } from '../../src/settings/connection.js';
import type { Simulator } from '../../src/simulator/simulator.js';

/*
 * Set-up for CLI tests, through the library in this process: a plan whose folder a spawned `apply` then takes, a run
 * whose report folder a spawned `--resume` reads, a run that only puts the simulator in a state. What a CLI test
 * asserts about a command comes from spawning that command (runCli); these only prepare what it starts from, at a
 * fraction of a spawn's CPU. They call the public library functions (src/api/) as `odin-bulk` does, so a plan made
 * here is the plan.json the CLI would write. Rate uncapped unless given; relative paths are relative to this
 * process's working directory (the repository), so give absolute ones.
 */

type Settings<T> = Omit<T, 'connection'>;

/** The simulator as a library connection: what the CLI takes from the three ODIN_* variables. */
export function libraryConnection(sim: Pick<Simulator, 'url' | 'username' | 'password'>): Connection {
  return { baseUrl: sim.url, username: sim.username, password: sim.password };
}

/** `odin-bulk plan` as the library runs it (planJob), against the simulator. */
export function libraryPlan(sim: Pick<Simulator, 'url' | 'username' | 'password'>, settings: Settings<PlanJobOptions>): Promise<RunResult> {
  return planJob({ rate: 0, ...settings, connection: libraryConnection(sim) });
}

/** `odin-bulk run` as the library runs it (runJob), against the simulator. */
export function libraryRun(sim: Pick<Simulator, 'url' | 'username' | 'password'>, settings: Settings<RunJobOptions>): Promise<RunResult> {
  return runJob({ rate: 0, ...settings, connection: libraryConnection(sim) });
}

/** `odin-bulk apply` as the library runs it (applyPlan), against the simulator. */
export function libraryApply(sim: Pick<Simulator, 'url' | 'username' | 'password'>, settings: Settings<ApplyPlanOptions>): Promise<ApplyResult> {
  return applyPlan({ ...settings, connection: libraryConnection(sim) });
}
