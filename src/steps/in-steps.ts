import type { Fields } from '../model/fields.js';
import { EARLIER_STEP_FAILED, isFailure, type RowResult, type RowStatus, type RowTarget, type StepOutcome } from '../model/row-result.js';
import { fieldsOfStep, isStepsOperation, namesOfStep, qualify, stepField, type StepsOperation } from '../operations/steps-operation.js';
import type { OperationDef } from '../operations/types.js';
import type { EarlierWrite } from '../records/write-log.js';
import { namesOf } from '../operations/coerce-value.js';
import { nameFields } from '../operations/service-names.js';
import type { AssignmentRow } from './assign-services.js';
import type { Step, StepIo } from './step.js';

/**
 * What a job of several steps does to a row: the parts of its steps, in order, each the step's own operation's
 * read / compare / write (`part`, e.g. readCompareWrite for that operation). `narrow` gives a step's view of the
 * row (its fields named as the operation names them), or undefined when the row sets nothing in that step. A step
 * that fails (failed, conflict, invalid) stops the row: its later steps are `skipped: an earlier step failed`.
 * The row's result holds every step's (fields named `OPERATION.FIELD`) and the steps' outcomes.
 */
export function inSteps<T extends RowTarget>(
  op: StepsOperation,
  narrow: (row: T, step: OperationDef) => T | undefined,
  part: (step: OperationDef) => Step<T>,
): Step<T> {
  const parts = op.steps.map((step) => ({ step, run: part(step) }));
  return async (row, io) => {
    const done: Array<{ step: OperationDef; result: RowResult }> = [];
    const outcomes: StepOutcome[] = [];
    let stopped = false;
    // The licence check refused the row's assignment, or skipped it (--allow-partial): its other steps are not written either.
    const licence = (row as AssignmentRow).prepared?.licence;
    for (const { step, run } of parts) {
      const own = narrow(row, step);
      if (!own) continue;
      if (stopped) {
        outcomes.push({ operation: step.name, status: 'skipped', changed: [], requests: 0, error: EARLIER_STEP_FAILED });
        continue;
      }
      if (licence && !step.assignment) {
        // Refused: the row fails here (NO_LICENCE, not counted toward the failure budget), its later steps are skipped.
        if ('refused' in licence) outcomes.push({ operation: step.name, status: 'failed', changed: [], requests: 0, errorCode: 'NO_LICENCE', error: licence.refused });
        else outcomes.push({ operation: step.name, status: 'skipped', changed: [], requests: 0, error: licence.skipped });
        stopped = 'refused' in licence;
        continue;
      }
      const result = plannedAfterAssignment(step, own, await run(own, stepIo(io, row, step)), done);
      done.push({ step, result });
      outcomes.push(outcomeOf(step, result));
      if (isFailure(result)) stopped = true;
    }
    return combine(row, done, outcomes);
  };
}

/**
 * In a plan, a step of a service the user does not have yet (NOT_ASSIGNED) that an earlier step plans to assign: it
 * is `planned` with every field it sets, its values before unknown (the server's defaults once assigned; apply and
 * run read them when the step runs). Any other result is as it is.
 */
function plannedAfterAssignment(step: OperationDef, own: RowTarget, result: RowResult, done: ReadonlyArray<{ step: OperationDef; result: RowResult }>): RowResult {
  const service = step.service;
  if (result.status !== 'failed' || result.errorCode !== 'NOT_ASSIGNED' || !service) return result;
  const assigning = done.find(({ step: s, result: r }) => s.assignment && r.status === 'planned' && assignsNewly(s, r, service));
  if (!assigning) return result;
  const { error: _e, errorCode: _c, httpStatus: _h, ...rest } = result;
  return {
    ...rest,
    status: 'planned',
    before: {},
    after: null,
    changed: Object.keys(own.fields),
    warnings: [...result.warnings, `the user does not have ${service} yet: ${assigning.step.name} assigns it first, so its values before are the server's defaults, read when the step runs`],
  };
}

/** The step's result assigns `service` to a user who does not have it (a names field that assigns it, not assigned before). */
function assignsNewly(step: OperationDef, r: RowResult, service: string): boolean {
  return nameFields(step).some(([f, spec]) => spec.assigned && spec.list === 'services' && r.changed.includes(f) && namesOf(r.requested[f]).includes(service) && !namesOf(r.before?.[f]).includes(service));
}

/** The step's view of the engine's io: its writes recorded (writes.ndjson) under the row's column names, and an earlier PUT narrowed to it. */
function stepIo(io: StepIo, row: RowTarget, step: OperationDef): StepIo {
  const own: StepIo = { client: io.client };
  const { beforeWrite, earlier } = io;
  if (beforeWrite) own.beforeWrite = (_r, before, changed) => beforeWrite(row, qualify(step, before), changed.map((f) => stepField(step, f)));
  const mine = earlier && earlierOfStep(earlier, step);
  if (mine) own.earlier = mine;
  return own;
}

function earlierOfStep(earlier: EarlierWrite, step: OperationDef): EarlierWrite | undefined {
  const changed = namesOfStep(step, earlier.changed);
  return changed.length ? { before: fieldsOfStep(step, earlier.before), changed } : undefined;
}

/** The fields a step changed (or, in a plan, would change) on the server: a step refused before its PUT (invalid, conflict) changed nothing. */
const WRITES: ReadonlySet<RowStatus> = new Set(['updated', 'planned', 'failed']);

function outcomeOf(step: OperationDef, r: RowResult): StepOutcome {
  return {
    operation: step.name,
    status: r.status,
    changed: WRITES.has(r.status) ? r.changed.map((f) => stepField(step, f)) : [],
    requests: r.requests,
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.errorCode !== undefined ? { errorCode: r.errorCode } : {}),
    ...(r.httpStatus !== undefined ? { httpStatus: r.httpStatus } : {}),
  };
}

/**
 * The row's result from its steps': the first failing step decides a failure (its error, named by its operation);
 * otherwise updated if any step wrote, planned if any would, skipped if every step was, else unchanged.
 */
function combine(row: RowTarget, done: ReadonlyArray<{ step: OperationDef; result: RowResult }>, steps: StepOutcome[]): RowResult {
  const failing = steps.find((s) => isFailure(s));
  const has = (status: RowStatus) => steps.some((s) => s.status === status);
  const status: RowStatus = failing?.status ?? (has('updated') ? 'updated' : has('planned') ? 'planned' : steps.length > 0 && steps.every((s) => s.status === 'skipped') ? 'skipped' : 'unchanged');
  const told = failing ?? (status === 'skipped' ? steps[0] : undefined);
  const merged = (pick: (r: RowResult) => Fields | null): Fields | null => {
    const parts = done.map(({ step, result }) => (pick(result) ? qualify(step, pick(result)!) : null)).filter((f): f is Fields => f !== null);
    return parts.length ? Object.assign({}, ...parts) : null;
  };
  return {
    line: row.line,
    key: row.key,
    id: row.id,
    status,
    requested: row.fields,
    before: merged((r) => r.before),
    after: merged((r) => r.after),
    changed: steps.flatMap((s) => s.changed),
    requests: steps.reduce((n, s) => n + s.requests, 0),
    ...(told?.error !== undefined ? { error: told === failing ? `${told.operation}: ${told.error}` : told.error } : {}),
    ...(failing?.errorCode !== undefined ? { errorCode: failing.errorCode } : {}),
    ...(failing?.httpStatus !== undefined ? { httpStatus: failing.httpStatus } : {}),
    warnings: done.flatMap(({ step, result }) => result.warnings.map((w) => `${step.name}: ${w}`)),
    steps,
  };
}

/** A row's fields for one step, or undefined when it sets none there (for inSteps' `narrow`). */
export function stepRow<T extends RowTarget>(row: T, step: OperationDef): T | undefined {
  const fields = fieldsOfStep(step, row.fields);
  return Object.keys(fields).length ? { ...row, fields } : undefined;
}

/** The step of a job: `part` of its operation, or, for a job of several steps, each step's `part` in order. */
export function forEachStep<T extends RowTarget>(
  op: OperationDef,
  part: (step: OperationDef) => Step<T>,
  narrow: (row: T, step: OperationDef) => T | undefined = stepRow,
): Step<T> {
  return isStepsOperation(op) ? inSteps(op, narrow, part) : part(op);
}
