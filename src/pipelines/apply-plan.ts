import { existsSync } from 'node:fs';
import { defaultOutDir, reportFolder } from '../engine/report-folder.js';
import { runRows, type EngineSettings } from '../engine/row-engine.js';
import { otherServer, RUN_INFO_VERSION, serverRoot } from '../records/run-info.js';
import { JobError } from '../model/errors.js';
import type { Connection } from '../settings/connection.js';
import type { ApplyOptions } from '../settings/resolve-apply.js';
import { SETTINGS } from '../settings/settings-table.js';
import { openPlan, type OpenedPlan } from '../sources/read-plan.js';
import { withLicenceCheck } from '../sources/licence-check.js';
import { assignmentStep } from '../operations/steps-operation.js';
import { planInput, type PlannedRow } from '../sources/plan-rows.js';
import { plannedStepRow } from '../steps/apply-planned.js';
import { applyStepFor } from '../steps/step-for.js';
import { forEachStep } from '../steps/in-steps.js';
import { VERSION } from '../version.js';
import type { JobDeps, JobOutcome } from './run-job.js';

export type ApplyOutcome = JobOutcome & { plan: OpenedPlan };

/**
 * `apply`: the row engine with plan.json's rows (every row checked before any request), compare-with-the-plan-
 * then-write (re-read, refuse rows changed since, PUT exactly the plan), into a report folder below the plan's.
 */
export async function applyPlan(options: ApplyOptions, connection: Connection, deps: JobDeps): Promise<ApplyOutcome> {
  const plan = await openPlan(options.plan);
  const { header, op } = plan;
  refuseOtherServer(plan.file, header.server, connection.baseUrl);
  const outDir = options.outDir ?? defaultOutDir('apply', deps.now(), existsSync, plan.dir);
  const planned = header.settings;
  // The plan run's settings, unless a flag says otherwise.
  const settings: EngineSettings = {
    concurrency: options.concurrency ?? planned.concurrency,
    maxConcurrency: SETTINGS.maxConcurrency.default,
    rate: options.rate ?? planned.rate,
    retries: options.retries ?? planned.retries,
    timeoutMs: options.timeoutMs ?? planned.timeoutMs,
    maxFailures: options.maxFailures,
    ...(options.waves ? { waves: options.waves } : {}),
  };
  const outcome = await runRows(
    {
      op,
      settings,
      // user-services: the licence check again, over the planned rows (their read is their step's read).
      check: assignmentStep(op)
        ? async () =>
            withLicenceCheck(await planInput(plan), {
              op,
              concurrency: settings.concurrency,
              allowPartial: options.allowPartial ?? false,
              wanted: (row) => (row as PlannedRow).planned.status === 'planned',
            })
        : () => planInput(plan),
      output: reportFolder(
        {
          dir: outDir,
          command: 'apply',
          op,
          writes: true,
          describe: (_rows, _input, started) => ({
            version: RUN_INFO_VERSION,
            odinBulkVersion: VERSION,
            job: header.job,
            operation: op.name,
            server: serverRoot(connection.baseUrl),
            keyFields: [...op.keyFields],
            manifest: header.manifest,
            manifestHash: header.manifestHash,
            fieldsUsed: header.fieldsUsed,
            dryRun: false,
            startedAt: started.toISOString(),
            settings: { ...planned, concurrency: settings.concurrency, rate: settings.rate, retries: settings.retries, timeoutMs: settings.timeoutMs, strictGates: false },
            plan: { file: plan.file, createdAt: header.createdAt, force: options.force },
          }),
        },
        deps,
      ),
      step: forEachStep(
        op,
        (step) => applyStepFor(step, { force: options.force }),
        plannedStepRow,
      ),
    },
    connection,
    deps,
  );
  return { ...outcome, outDir, plan };
}

/**
 * A plan read from one server is applied to that server only: a rehearsal's plan (staging) must not reach production
 * because ODIN_BASE_URL pointed there. Refused before anything is sent (EPLAN, exit 2). A plan that did not record its
 * server (made before it was) is not checked.
 */
function refuseOtherServer(file: string, planned: string | undefined, server: string): void {
  if (!otherServer(planned, server)) return;
  throw new JobError('EPLAN', `${file} was made against ${planned}; this apply talks to ${serverRoot(server)}: nothing was sent`, [
    `Apply it with ODIN_BASE_URL=${planned}, or make the plan again against ${serverRoot(server)} (odin-bulk plan …) and review that one.`,
  ]);
}
