import { suggest } from './coerce-value.js';
import { OPERATIONS } from './registry.js';
import type { FieldSpec, Fields, OperationDef } from './types.js';

/*
 * A job of several steps (a baseline: issue 13) is one operation to the rest of the tool: its fields are the
 * steps' fields named `OPERATION.FIELD` (`user-do-not-disturb.isActive`), so the manifest checks, the reports'
 * columns, rollback.csv, plan.json and an export work on them as on any operation's. Its name is the steps' names
 * joined with `+`, in order (`user-do-not-disturb+user-call-processing-policy`): that name is recorded in run.json
 * and plan.json, and read back here. Only the row's step (steps/in-steps.ts) looks inside: it runs each step's own
 * read, compare and write, in order.
 */

/** Joins the steps' names into the operation's name; `--operation a+b` names a job of steps too. */
export const STEP_JOIN = '+';

/** Between a step's operation and its field, in a column name: `user-do-not-disturb.isActive`. */
export const STEP_FIELD_SEPARATOR = '.';

/** An operation made of steps: `steps` in the order they run for each target. */
export type StepsOperation = OperationDef & { steps: readonly OperationDef[] };

export function isStepsOperation(op: OperationDef): op is StepsOperation {
  return Array.isArray((op as Partial<StepsOperation>).steps);
}

/** The step that assigns services: the operation itself (user-services), or a job's user-services step; undefined when none does. */
export function assignmentStep(op: OperationDef): OperationDef | undefined {
  if (op.assignment) return op;
  return isStepsOperation(op) ? op.steps.find((s) => s.assignment) : undefined;
}

/** The column name of a step's field. */
export function stepField(step: Pick<OperationDef, 'name'>, field: string): string {
  return `${step.name}${STEP_FIELD_SEPARATOR}${field}`;
}

/** A step's own fields out of a row's `OPERATION.FIELD` ones (own keys only), named as the step names them. */
export function fieldsOfStep(step: Pick<OperationDef, 'name'>, fields: Readonly<Fields>): Fields {
  const prefix = stepField(step, '');
  const out: Fields = {};
  for (const name of Object.keys(fields)) if (name.startsWith(prefix)) out[name.slice(prefix.length)] = fields[name]!;
  return out;
}

/** A step's field names out of `OPERATION.FIELD` names. */
export function namesOfStep(step: Pick<OperationDef, 'name'>, names: readonly string[]): string[] {
  const prefix = stepField(step, '');
  return names.filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length));
}

/** A step's fields named as the job's columns name them. */
export function qualify(step: Pick<OperationDef, 'name'>, fields: Readonly<Fields>): Fields {
  const out: Fields = {};
  for (const [name, value] of Object.entries(fields)) out[stepField(step, name)] = value;
  return out;
}

/**
 * The operation of a job of `steps`, or why there cannot be one: at least one step, each operation once, every
 * step keyed alike (all users, or all groups).
 */
export function stepsOperation(steps: readonly OperationDef[]): { op: StepsOperation } | { problem: string } {
  if (steps.length < 2) return { problem: 'give at least two steps (for one operation, give "operation" and "defaults" instead)' };
  const names = steps.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) return { problem: `operation "${twice}" is a step twice: put all of its fields in one step` };
  const keys = steps[0]!.keyFields.join('+');
  const other = steps.find((s) => s.keyFields.join('+') !== keys);
  if (other) return { problem: `${other.name} is keyed by ${other.keyFields.join(' + ')}, ${steps[0]!.name} by ${steps[0]!.keyFields.join(' + ')}: the steps of a job must name their targets alike` };
  const fields: Record<string, FieldSpec> = {};
  const example: Fields = {};
  for (const step of steps) {
    for (const [name, spec] of Object.entries(step.fields)) {
      fields[stepField(step, name)] = spec.gates ? { ...spec, gates: spec.gates.map((g) => stepField(step, g)) } : spec;
    }
    Object.assign(example, qualify(step, step.example));
  }
  return {
    op: {
      name: names.join(STEP_JOIN),
      description: `${steps.length} step${steps.length === 1 ? '' : 's'}, in this order for each target: ${names.join(', ')}`,
      path: '',
      keyFields: steps[0]!.keyFields,
      schema: steps.map((s) => s.schema).join(', '),
      fields,
      example,
      steps,
    },
  };
}

/**
 * An operation by name: one of the nine, or steps joined with `+` (`a+b`: a, then b). Unknown names come back
 * with a message that has a "did you mean" where one is close.
 */
export function resolveOperation(name: string): { op: OperationDef } | { problem: string } {
  const one = OPERATIONS.find((o) => o.name === name);
  if (one) return { op: one };
  const parts = name.split(STEP_JOIN).map((p) => p.trim());
  const steps: OperationDef[] = [];
  for (const part of parts) {
    const op = OPERATIONS.find((o) => o.name === part);
    if (!op) return { problem: unknownOperation(part) };
    steps.push(op);
  }
  if (steps.length < 2) return { problem: unknownOperation(name) };
  return stepsOperation(steps);
}

/** `unknown operation "user-dnd": did you mean "user-do-not-disturb"? (one of: …)` */
export function unknownOperation(name: unknown): string {
  const names = OPERATIONS.map((o) => o.name);
  const hint = typeof name === 'string' ? suggest(name, names) : undefined;
  return `unknown operation ${JSON.stringify(name)}${hint ? `: did you mean "${hint}"?` : ''} (one of: ${names.join(', ')})`;
}

/** The operation reversed, for a rollback: its steps last to first. A single operation is itself. */
export function reversed(op: OperationDef): OperationDef {
  if (!isStepsOperation(op) || op.steps.length < 2) return op;
  const back = stepsOperation([...op.steps].reverse());
  return 'op' in back ? back.op : op;
}

/** `fields` (job columns) grouped by step: in step order, or last step first (`reverse`). Plain operations: as given. */
export function inStepOrder(op: OperationDef, fields: readonly string[], reverse = false): string[] {
  if (!isStepsOperation(op)) return [...fields];
  const steps = reverse ? [...op.steps].reverse() : op.steps;
  return steps.flatMap((s) => fields.filter((f) => f.startsWith(stepField(s, ''))));
}
