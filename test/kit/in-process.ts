import { expect } from '@jest/globals';
import type { Simulator } from '../../src/simulator/simulator.js';
import { runAgainst } from './runs.js';
import type { JobOutcome } from '../../src/pipelines/run-job.js';

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
