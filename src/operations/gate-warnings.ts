import { GATE_WARNING_WORDS as NO_EFFECT } from '../model/row-result.js';
import { fieldSpec, ownValue } from './field-lookup.js';
import type { Fields, OperationDef } from './types.js';


/**
 * BroadWorks ignores a value whose "useUser…Setting" gate is off. For each field the row changes,
 * says which gate would leave it without effect, judging by the row's own value for the gate, else the live one.
 */
export function gateWarnings(op: OperationDef, changed: readonly string[], requested: Fields, live: Fields): string[] {
  const out: string[] = [];
  for (const field of changed) {
    if (requested[field] === null) continue; // clearing a value takes effect whatever the gate says
    for (const gate of fieldSpec(op, field)?.gates ?? []) {
      const own = Object.hasOwn(requested, gate);
      const value = own ? requested[gate] : ownValue(live, gate);
      if (value === false) {
        out.push(`${field} ${NO_EFFECT} ${gate} is false${own ? ' (set by this row)' : ''}`);
        break;
      }
    }
  }
  return out;
}

/**
 * The same check before any request, on the row alone: a field the row sets while the row itself sets one of
 * its gates to false. Whether the field really changes is only known at run time, so this is a warning
 * (a problem with --strict-gates). Pure.
 */
export function rowGateWarnings(op: OperationDef, fields: Fields): Array<{ field: string; message: string }> {
  const out: Array<{ field: string; message: string }> = [];
  for (const field of Object.keys(fields)) {
    if (fields[field] === null) continue; // clearing a value takes effect whatever the gate says (as gateWarnings)
    const gate = (fieldSpec(op, field)?.gates ?? []).find((g) => ownValue(fields, g) === false);
    if (gate) out.push({ field, message: `${field} ${NO_EFFECT} ${gate} is false, and this row sets ${gate} to false` });
  }
  return out;
}
