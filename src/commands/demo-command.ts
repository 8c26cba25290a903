import { join } from 'node:path';
import type { ExitCode } from '../model/errors.js';
import { startSimulator } from '../simulator/simulator.js';
import { PACKAGE_ROOT } from '../version.js';
import { println, type CliIo } from './cli-io.js';
import { runCommand, type RunCommandFlags } from './run-command.js';

/** The job `npm run demo` runs, shipped with the package. */
export const DEMO_JOB = join(PACKAGE_ROOT, 'jobs', 'demo.json');

/**
 * `odin-bulk demo`: starts the embedded simulator on a free loopback port, runs jobs/demo.json against it,
 * prints the summary and report folder, and stops the simulator. Real credentials are never used.
 */
export async function demoCommand(flags: RunCommandFlags, io: CliIo): Promise<ExitCode> {
  const username = 'demo-admin';
  const password = 'demo-password';
  const sim = await startSimulator({ users: 200, username, password, record: false });
  // With --json, stdout carries summary.json only.
  const chat = flags.json ? io.stderr : io.stdout;
  try {
    println(chat, `Started the Odin simulator at ${sim.url} (200 users); running ${flags.job ?? DEMO_JOB}`);
    const code = await runCommand({ ...flags, job: flags.job ?? DEMO_JOB }, io, { baseUrl: sim.url, username, password });
    // The summary's undo line names a simulator that is about to stop: say so, and where an undo can be rehearsed.
    println(chat, "This simulator stops now, so there is nothing left to undo; to rehearse plan, run and undo, start one with odin-bulk simulate (README: Your first real job)");
    println(chat, 'Next, a baseline: assign the services, then several settings per user in one job, one report, one undo: jobs/new-hires-baseline.json (docs/baselines.md)');
    return code;
  } finally {
    await sim.close();
    println(chat, 'Stopped the simulator.');
  }
}
