import type { Fields, OperationDef } from '../operations/types.js';

/**
 * BroadWorks ignores a value whose "useUser…Setting" gate is off. For each field the row changes,
 * says which gate would leave it without effect, judging by the row's own value for the gate, else the live one.
 */
export function gateWarnings(op: OperationDef, changed: readonly string[], requested: Fields, live: Fields): string[] {
  const out: string[] = [];
  for (const field of changed) {
    if (requested[field] === null) continue; // clearing a value takes effect whatever the gate says
    for (const gate of op.fields[field]?.gates ?? []) {
      const value = gate in requested ? requested[gate] : live[gate];
      if (value === false) {
        out.push(`${field} has no effect while ${gate} is false${gate in requested ? ' (set by this row)' : ''}`);
        break;
      }
    }
  }
  return out;
}
