import { findOperation } from '../operations/registry.js';
import { coerceValue, suggest } from '../operations/coerce-value.js';
import { fieldSpec, isField } from '../operations/field-lookup.js';
import type { Fields, OperationDef } from '../operations/types.js';
import type { Problem } from '../manifest/types.js';
import { ROW_STATUSES, type RowStatus } from '../model/row-result.js';
import { PLAN_VERSION, type PlanHeader, type PlanRow } from './plan-file.js';

/** Checks plan.json's header. Pure. Returns the header and its operation, or the problems. */
export function checkPlanHeader(raw: unknown, file: string): { header: PlanHeader; op: OperationDef } | { problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (field: string, message: string) => problems.push({ file, field, message });
  if (!isObject(raw)) return { problems: [{ file, message: 'not a plan: expected a JSON object with "version" and "rows"' }] };
  if (raw.version !== PLAN_VERSION) {
    const v = raw.version === undefined ? 'no version' : `version ${JSON.stringify(raw.version)}`;
    return { problems: [{ file, field: 'version', message: `${v} is not a plan version this odin-bulk can apply (it reads version ${PLAN_VERSION}); make the plan again with this odin-bulk` }] };
  }
  const op = typeof raw.operation === 'string' ? findOperation(raw.operation) : undefined;
  if (!op) bad('operation', `unknown operation ${JSON.stringify(raw.operation)}`);
  for (const key of ['createdAt', 'job'] as const) {
    if (typeof raw[key] !== 'string') bad(key, 'must be text');
  }
  for (const key of ['manifest', 'manifestHash'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') bad(key, 'must be text');
  }
  const list = (key: string) => (Array.isArray(raw[key]) && (raw[key] as unknown[]).every((s) => typeof s === 'string') ? (raw[key] as string[]) : undefined);
  const keyFields = list('keyFields');
  const fieldsUsed = list('fieldsUsed');
  if (!keyFields) bad('keyFields', 'must be a list of column names');
  if (!fieldsUsed) bad('fieldsUsed', 'must be a list of field names');
  if (op && keyFields && keyFields.join() !== op.keyFields.join()) bad('keyFields', `must be ${op.keyFields.join(', ')} for ${op.name}`);
  const unknown = op && fieldsUsed ? fieldsUsed.filter((f) => !isField(op, f)) : [];
  if (unknown.length) bad('fieldsUsed', `unknown field ${unknown.map((f) => `"${f}"`).join(', ')} for ${op!.name}`);
  if (!isObject(raw.settings)) bad('settings', 'must be an object');
  if (problems.length) return { problems };
  return { header: raw as unknown as PlanHeader, op: op! };
}

/**
 * Checks one row of plan.json (`at` = its line in plan.json). Pure. A plan is a reviewed artefact, maybe
 * edited by hand, so every value apply would send must be exactly a valid wire value.
 */
export function checkPlanRow(raw: unknown, at: number, op: OperationDef, file: string): { row?: PlanRow; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (field: string | undefined, message: string) => problems.push({ file, line: at, field, message });
  if (!isObject(raw)) {
    bad(undefined, 'a plan row must be an object');
    return { problems };
  }
  if (!Number.isInteger(raw.line) || (raw.line as number) < 1) bad('line', 'must be the manifest line number');
  const key: Record<string, string> = {};
  for (const name of op.keyFields) {
    const v = raw[name];
    if (typeof v !== 'string' || v === '' || /\s/.test(v)) bad(name, `must be a non-empty ${name} without white space`);
    else key[name] = v;
  }
  const status = raw.status as RowStatus;
  if (!ROW_STATUSES.includes(status)) bad('status', `unknown status ${JSON.stringify(raw.status)}`);
  const before = raw.before === null ? null : checkFields(raw.before, 'before', op, bad, false);
  let set: Fields | undefined;
  if (status === 'planned') {
    set = checkFields(raw.set, 'set', op, bad, true);
    if (set && Object.keys(set).length === 0) bad('set', 'a planned row must set at least one field');
    if (set && before === null) bad('before', 'a planned row needs the before values it was planned from');
  } else if (raw.set !== undefined) bad('set', `only a planned row has "set" (this row is ${String(raw.status)})`);
  if (problems.length) return { problems };
  const row: PlanRow = { line: raw.line as number, key, status, before: before ?? null };
  if (set) row.set = set;
  if (typeof raw.error === 'string') row.error = raw.error;
  return { row, problems };
}

function checkFields(
  value: unknown,
  name: string,
  op: OperationDef,
  bad: (field: string | undefined, message: string) => void,
  strict: boolean,
): Fields | undefined {
  if (!isObject(value)) {
    bad(name, 'must be an object of field values');
    return undefined;
  }
  const out: Fields = {};
  for (const [field, v] of Object.entries(value)) {
    const spec = fieldSpec(op, field);
    if (!spec) {
      const hint = suggest(field, Object.keys(op.fields));
      bad(`${name}.${field}`, `unknown field for ${op.name}${hint ? `: did you mean "${hint}"?` : ''}`);
      continue;
    }
    if (!strict) {
      if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[field] = v as Fields[string];
      else bad(`${name}.${field}`, 'must be a single value');
      continue;
    }
    // What apply sends must already be the wire value: "true" (text) for a boolean is refused, not guessed.
    const coerced = coerceValue(spec, v);
    if (!coerced.ok) bad(`${name}.${field}`, coerced.message);
    else if (coerced.value !== v) bad(`${name}.${field}`, `must be ${JSON.stringify(coerced.value)}, not ${JSON.stringify(v)} (a JSON ${typeof coerced.value})`);
    else out[field] = coerced.value;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
