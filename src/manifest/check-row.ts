import { coerceValue, suggest, type Coerced } from '../operations/coerce-value.js';
import { fieldSpec, ownValue } from '../operations/field-lookup.js';
import { keyProblem } from '../operations/key-fields.js';
import { isStepsOperation, stepField, STEP_FIELD_SEPARATOR, type StepsOperation } from '../operations/steps-operation.js';
import type { Fields, OperationDef } from '../operations/types.js';
import type { FieldSpec } from '../operations/types.js';
import { nameListProblems } from '../operations/service-names.js';
import { invisibleProblem } from './invisible.js';
import type { ManifestRow, Problem, RawRow } from './types.js';

export const NO_FIELDS_MESSAGE = 'the row sets no field: every cell is empty and the job has no defaults';

/**
 * Checks one raw row against the operation's schema. Pure. Empty cells mean "leave this field alone".
 * `defaults` are already-validated fields applied where the row does not set them. Cells of the `skip` columns
 * are not fields (a user's group) or were reported on the header already (an unknown column): passed over.
 */
export function checkRow(
  raw: RawRow,
  op: OperationDef,
  defaults: Fields,
  file: string,
  skip?: ReadonlySet<string>,
): { row?: ManifestRow; id?: string; problems: Problem[] } {
  const problems: Problem[] = [];
  const at = (field: string | undefined, message: string) =>
    problems.push({ file, line: raw.line, ...(raw.path ? { path: raw.path } : {}), field, message });

  if (raw.broken) {
    at(undefined, raw.broken);
    return { problems };
  }
  if (raw.notObject) {
    at(undefined, `a row must be an object of field values, got ${JSON.stringify(raw.notObject.value)?.slice(0, 40)}`);
    return { problems };
  }
  for (const d of raw.duplicates ?? []) {
    const lines = d.firstLine === d.line ? '' : ` (lines ${d.firstLine} and ${d.line})`;
    at(d.key, `"${d.key}" is named twice in this row${lines}; JSON would keep only the last one, so the row is refused: remove one`);
  }
  const key: Record<string, string> = {};
  for (const name of op.keyFields) {
    const value = ownValue(raw.cells, name);
    const problem = (typeof value === 'string' ? invisibleProblem(value) : undefined) ?? keyProblem(name, value);
    if (problem) at(name, problem);
    else key[name] = value as string;
  }

  const fields: Fields = { ...defaults };
  for (const [name, value] of Object.entries(raw.cells)) {
    if (op.keyFields.includes(name) || value === '' || value === undefined || skip?.has(name)) continue;
    const spec = fieldSpec(op, name);
    if (!spec) {
      at(name, unknownFieldMessage(name, op));
      continue;
    }
    const coerced = checkValue(spec, value);
    if (coerced.ok) fields[name] = coerced.value;
    else at(name, coerced.message);
  }
  if (problems.length === 0 && Object.keys(fields).length === 0) {
    at(undefined, NO_FIELDS_MESSAGE);
  }
  for (const p of nameListProblems(op, fields)) at(p.field, p.message);
  // The id is returned even when other cells are wrong, so a duplicate of this row is still found.
  const id = Object.keys(key).length === op.keyFields.length ? op.keyFields.map((k) => key[k]).join('/') : undefined;
  if (problems.length) return { id, problems };
  return { row: { line: raw.line, key, id: id!, fields }, id, problems };
}

export function unknownFieldMessage(name: string, op: OperationDef): string {
  if (isStepsOperation(op)) return unknownStepField(name, op);
  const hint = suggest(name, [...op.keyFields, ...Object.keys(op.fields)]);
  return `unknown field "${name}"${hint ? `: did you mean "${hint}"?` : ''} (odin-bulk operations lists the fields of ${op.name})`;
}

/**
 * A column of a job of steps names `OPERATION.FIELD`: says whether the operation is not a step of the job (with
 * the step it probably means) or the field is not one of that step's.
 */
function unknownStepField(name: string, op: StepsOperation): string {
  const dot = name.indexOf(STEP_FIELD_SEPARATOR);
  const steps = op.steps.map((s) => s.name);
  const step = dot > 0 ? op.steps.find((s) => s.name === name.slice(0, dot)) : undefined;
  if (step) {
    const field = name.slice(dot + 1);
    const hint = suggest(field, Object.keys(step.fields));
    return `unknown field "${field}" of step ${step.name}${hint ? `: did you mean "${stepField(step, hint)}"?` : ''} (odin-bulk operations ${step.name} lists its fields)`;
  }
  const hint = suggest(name, [...op.keyFields, ...Object.keys(op.fields)]) ?? (dot > 0 ? suggest(name.slice(0, dot), steps) : undefined);
  const what = dot > 0 ? `"${name.slice(0, dot)}" is not a step of this job` : `unknown column "${name}"`;
  return `${what}${hint ? `: did you mean "${hint}${hint.includes(STEP_FIELD_SEPARATOR) || op.keyFields.includes(hint) ? '' : name.slice(dot)}"?` : ''} (a column is OPERATION.FIELD; the steps: ${steps.join(', ')})`;
}

/** Validates a set of default field values (job file or JSON manifest `defaults`). */
export function checkDefaults(
  values: Record<string, unknown>,
  op: OperationDef,
  file: string,
): { fields: Fields; problems: Problem[] } {
  const fields: Fields = {};
  const problems: Problem[] = [];
  for (const [name, value] of Object.entries(values)) {
    const spec = fieldSpec(op, name);
    const field = `defaults.${name}`;
    if (!spec) problems.push({ file, field, message: unknownFieldMessage(name, op) });
    else {
      const coerced = checkValue(spec, value);
      if (coerced.ok) fields[name] = coerced.value;
      else problems.push({ file, field, message: coerced.message });
    }
  }
  for (const p of nameListProblems(op, fields)) problems.push({ file, field: `defaults.${p.field}`, message: p.message });
  return { fields, problems };
}

/**
 * A manifest value in the field's wire type. A choice with a character nobody can see (a no-break space, a
 * zero-width space, a byte-order mark inside the cell) is refused, shown escaped. Free text is not: it is sent as
 * written, so a value read from Odin (export, rollback.csv) goes back exactly as it was.
 */
function checkValue(spec: FieldSpec, value: unknown): Coerced {
  if (spec.kind !== 'enum' || typeof value !== 'string') return coerceValue(spec, value);
  const invisible = invisibleProblem(value);
  if (!invisible) return coerceValue(spec, value);
  const hint = suggest(value, spec.values);
  return { ok: false, message: `${invisible}${hint ? `; did you mean '${hint}'?` : ''}` };
}
