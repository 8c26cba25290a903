import { reportFolder, defaultOutDir, type ReportFolderDeps } from '../engine/report-folder.js';
import { runRows, type EngineDeps, type EngineOutcome } from '../engine/row-engine.js';
import { runInfoFor } from '../records/run-info.js';
import { Resume } from '../resume/resume.js';
import type { Connection } from '../settings/connection.js';
import type { JobOptions } from '../settings/job-options.js';
import { checkInput } from '../sources/job-input.js';
import { forEachStep } from '../steps/in-steps.js';
import { readCompareWrite } from '../steps/read-compare-write.js';

export type JobDeps = EngineDeps & ReportFolderDeps;

export type JobOutcome = EngineOutcome & { outDir: string };

/**
 * `run` and `plan`: the row engine with a manifest's rows (or a group's users), read-compare-write (a plan only
 * reads and compares, and writes plan.json), into a report folder; `--resume` continues the folder's run.
 */
export async function runJob(options: JobOptions, connection: Connection, deps: JobDeps): Promise<JobOutcome> {
  const { op, dryRun } = options;
  const outDir = options.outDir ?? defaultOutDir(options.name, deps.now());
  // Checked before the manifest is even validated; a resume refused here has sent nothing.
  const resume = options.resume ? await Resume.check(outDir, options) : undefined;
  const outcome = await runRows(
    {
      op,
      settings: options,
      check: () => checkInput(options),
      output: reportFolder(
        {
          dir: outDir,
          command: dryRun ? 'plan' : 'run',
          op,
          plan: dryRun,
          writes: !dryRun,
          ...(resume ? { resume } : {}),
          describe: (rows, input, started) => runInfoFor(options, rows.hash, input.fieldsUsed, started, input.defaults),
        },
        deps,
      ),
      step: forEachStep(op, (step) => readCompareWrite({ op: step, write: !dryRun, strictGates: options.strictGates })),
      failOnChanges: options.failOnChanges,
    },
    connection,
    deps,
  );
  return { ...outcome, outDir };
}
