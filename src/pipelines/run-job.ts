import { existsSync } from 'node:fs';
import { reportFolder, defaultOutDir, type ReportFolderDeps } from '../engine/report-folder.js';
import { runRows, type EngineDeps, type EngineOutcome } from '../engine/row-engine.js';
import { runInfoFor } from '../records/run-info.js';
import { Resume } from '../resume/resume.js';
import type { Connection } from '../settings/connection.js';
import type { JobOptions } from '../settings/job-options.js';
import { checkInput } from '../sources/job-input.js';
import { withLicenceCheck } from '../sources/licence-check.js';
import { assignmentStep } from '../operations/steps-operation.js';
import { forEachStep } from '../steps/in-steps.js';
import { runStepFor } from '../steps/step-for.js';

export type JobDeps = EngineDeps & ReportFolderDeps;

export type JobOutcome = EngineOutcome & { outDir: string };

/**
 * `run` and `plan`: the row engine with a manifest's rows (or a group's users), read-compare-write (a plan only
 * reads and compares, and writes plan.json), into a report folder; `--resume` continues the folder's run. The
 * service assignment (`user-services`, alone or as a step of a baseline) reads its users and their groups' licences
 * before the first row (the licence check) and assigns with its own step.
 */
export async function runJob(options: JobOptions, connection: Connection, deps: JobDeps): Promise<JobOutcome> {
  const { op, dryRun } = options;
  const outDir = options.outDir ?? defaultOutDir(options.name, deps.now(), existsSync);
  // Checked before the manifest is even validated; a resume refused here has sent nothing.
  const resume = options.resume ? await Resume.check(outDir, options, connection.baseUrl) : undefined;
  const outcome = await runRows(
    {
      op,
      settings: options,
      check: assignmentStep(op)
        ? async () =>
            withLicenceCheck(await checkInput(options), {
              op,
              concurrency: options.concurrency,
              allowPartial: options.allowPartial ?? false,
              ...(options.target ? { target: options.target } : {}),
            })
        : () => checkInput(options),
      output: reportFolder(
        {
          dir: outDir,
          command: dryRun ? 'plan' : 'run',
          op,
          plan: dryRun,
          writes: !dryRun,
          ...(resume ? { resume } : {}),
          describe: (rows, input, started) => runInfoFor(options, rows.hash, input.fieldsUsed, started, input.defaults, connection.baseUrl),
        },
        deps,
      ),
      // Each step (or the job's one operation): service assignments (user-services), or read, compare, write.
      step: forEachStep(op, (step) => runStepFor(step, { write: !dryRun, strictGates: options.strictGates })),
      failOnChanges: options.failOnChanges,
    },
    connection,
    deps,
  );
  return { ...outcome, outDir };
}
