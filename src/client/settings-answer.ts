import { holdsSettings } from '../operations/live-values.js';
import type { OperationDef } from '../operations/types.js';

/**
 * Why a JSON object a 2xx answer carried is not the target's settings of the operation, or undefined when it may
 * be. Taken as settings, such an object would read as "every nullable field unset" (an absent key is null): a GET
 * would record a wrong before value (rollback.csv would clear the field) and a PUT's answer would "verify" values
 * this target does not hold. Pure.
 *
 * - It names another target: a key field (`userId`, `serviceProviderId`, `groupId`) with another value (compared
 *   without regard to case: BroadWorks ids are not case-sensitive).
 * - It names one of the operation's fields in another case (`ClidPolicy`) and not in the API's own.
 * - It holds none of the operation's fields: `{}`, an error object sent with 200 (`{error, details}`), a wrapper
 *   (`{data: {…}}`). Every operation's answer carries at least one field that is never left out (`isActive`, …).
 */
export function notTheSettings(op: OperationDef, key: Readonly<Record<string, string>>, body: Readonly<Record<string, unknown>>): string | undefined {
  for (const [name, value] of Object.entries(key)) {
    const said = Object.hasOwn(body, name) ? body[name] : undefined;
    if ((typeof said === 'string' || typeof said === 'number') && String(said).toLowerCase() !== value.toLowerCase()) {
      return `the settings of ${name} ${JSON.stringify(said)} (the row's is ${JSON.stringify(value)})`;
    }
  }
  const byLowerCase = fieldsByLowerCase(op);
  for (const k of Object.keys(body)) {
    const field = byLowerCase.get(k.toLowerCase());
    if (field !== undefined && field !== k && !Object.hasOwn(body, field)) return `a field named ${JSON.stringify(k)} where the API names it ${JSON.stringify(field)}`;
  }
  if (!holdsSettings(op, body)) return `none of the operation's fields (${describeKeys(body)})`;
  return undefined;
}

/** An operation's field names by their lower-case form, made once per operation (every answer is checked). */
const LOWER_CASE = new WeakMap<OperationDef, ReadonlyMap<string, string>>();
function fieldsByLowerCase(op: OperationDef): ReadonlyMap<string, string> {
  let map = LOWER_CASE.get(op);
  if (!map) LOWER_CASE.set(op, (map = new Map(Object.keys(op.fields).map((f) => [f.toLowerCase(), f]))));
  return map;
}

function describeKeys(body: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(body);
  if (!keys.length) return 'an empty object';
  const shown = keys.slice(0, 8).map((k) => (k.length > 40 ? `${k.slice(0, 39)}…` : k));
  return `keys: ${shown.join(', ')}${keys.length > 8 ? `, … (${keys.length} keys)` : ''}`;
}
