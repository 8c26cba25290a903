import type { RowTarget } from '../model/row-result.js';
import type { OperationDef } from '../operations/types.js';
import type { PlannedRow } from '../sources/plan-rows.js';
import { applyAssignment } from './apply-assignment.js';
import { applyPlanned } from './apply-planned.js';
import { assignServices } from './assign-services.js';
import { readCompareWrite } from './read-compare-write.js';
import type { Step } from './step.js';

/*
 * What a command does to a row of one operation (or of one step of a baseline): the one place that tells a service
 * assignment (`user-services`) from an operation's settings. pipelines/ build their engines from these.
 */

/** `run` (write) and `plan` (compare only): service assignments, or read, compare, write what differs. */
export function runStepFor(op: OperationDef, options: { write: boolean; strictGates: boolean }): Step<RowTarget> {
  return op.assignment ? (assignServices({ op, write: options.write }) as Step<RowTarget>) : readCompareWrite({ op, ...options });
}

/** `apply`: the planned assignments, or the planned values, each re-read and compared with the plan first. */
export function applyStepFor(op: OperationDef, options: { force: boolean }): Step<PlannedRow> {
  return (op.assignment ? applyAssignment({ op, force: options.force }) : applyPlanned({ op, force: options.force })) as Step<PlannedRow>;
}
