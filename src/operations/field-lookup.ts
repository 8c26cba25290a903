import type { FieldSpec, OperationDef } from './types.js';

/**
 * Where a name from the input (a CSV column, a JSON key, a `--fields` entry, a plan's field) meets a table of
 * fields. Own keys only: `op.fields['constructor']` would otherwise find Object.prototype's constructor, and
 * `'toString' in cells` is true for every object. Every lookup of a name that came from input goes through here.
 */
export function fieldSpec(op: Pick<OperationDef, 'fields'>, name: string): FieldSpec | undefined {
  return Object.hasOwn(op.fields, name) ? op.fields[name] : undefined;
}

/** True when `name` is one of the operation's fields (an own key of its table). */
export function isField(op: Pick<OperationDef, 'fields'>, name: string): boolean {
  return Object.hasOwn(op.fields, name);
}

/** The value of an own property, never an inherited one (`ownValue({}, 'constructor')` is undefined). */
export function ownValue<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/**
 * Sets `name` as an own, enumerable property, even when it is `__proto__` (a plain assignment would change the
 * object's prototype instead and the value would vanish from Object.keys).
 */
export function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
  else target[name] = value;
}

/**
 * A value derived from an operation's table of fields, made once per table: a table is fixed once built (a job of
 * steps builds its own before use), and readers that run per row or per answer need the same lists every time.
 */
export function perFieldTable<T>(derive: (fields: OperationDef['fields']) => T): (op: Pick<OperationDef, 'fields'>) => T {
  const made = new WeakMap<object, T>();
  return (op) => {
    let value = made.get(op.fields);
    if (value === undefined) {
      value = derive(op.fields);
      made.set(op.fields, value);
    }
    return value;
  };
}
