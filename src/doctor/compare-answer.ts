import { isNullable } from '../operations/live-values.js';
import type { OperationDef } from '../operations/types.js';

export type AnswerComparison = {
  notReturned: Array<{ field: string; release?: string }>;
  absent: string[];
  unknownFields: string[];
  /** The answer holds at least one of the operation's fields: it is the settings. */
  holdsSettings: boolean;
};

/**
 * An answer's keys against the operation's fields, as doctor reports them. A field that may not be null and is
 * missing was not returned (an older release, or another endpoint); one that may be cleared and is missing is
 * absent: Odin leaves unset values out, so it is unset or unknown to the server, and the keys alone cannot tell
 * which. Keys that are neither fields nor the target's key are unknown to the tool. Pure.
 */
export function compareAnswer(op: OperationDef, body: Readonly<Record<string, unknown>>): AnswerComparison {
  const has = (name: string) => Object.hasOwn(body, name) && body[name] !== undefined;
  const fields = Object.keys(op.fields);
  const notReturned = fields
    .filter((name) => !has(name) && !isNullable(op.fields[name]))
    .map((field) => ({ field, ...(op.fields[field]!.release ? { release: op.fields[field]!.release } : {}) }));
  const absent = fields.filter((name) => !has(name) && isNullable(op.fields[name]));
  const unknownFields = Object.keys(body).filter((key) => !Object.hasOwn(op.fields, key) && !op.keyFields.includes(key));
  return { notReturned, absent, unknownFields, holdsSettings: fields.some(has) };
}
