import { coerceValue, suggest } from '../operations/coerce-value.js';
import type { Fields, OperationDef } from '../operations/types.js';
import { errorReply, type Reply } from './http-io.js';
import { targetKey, type SimState } from './state.js';

function keyValues(op: OperationDef, source: Record<string, unknown>): Record<string, unknown> {
  const keys: Record<string, unknown> = {};
  for (const field of op.keyFields) keys[field] = source[field];
  return keys;
}

/** GET <op.path>?<keyFields> → the full field set plus the keys. */
export function getFields(op: OperationDef, query: Record<string, string>, state: SimState): Reply {
  const target = targetKey(op, query);
  if ('missing' in target) return errorReply(400, `Missing required parameter: ${target.missing.join(', ')}`);
  const fields = state.fields(op, target.key);
  if (!fields) return errorReply(404, state.notFoundMessage(op, target.key));
  return { status: 200, body: { ...fields, ...keyValues(op, query) } };
}

/**
 * PUT <op.path> with the key fields and any subset of fields. Every value goes through `coerceValue`, the same
 * check the tool's manifest validator uses, so both accept and refuse the same values.
 */
export function putFields(op: OperationDef, body: unknown, bodyOk: boolean, state: SimState): Reply {
  if (!bodyOk) return errorReply(400, 'Request body is not valid JSON');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return errorReply(400, 'Request body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  const target = targetKey(op, input);
  if ('missing' in target) return errorReply(400, `Missing required field: ${target.missing.join(', ')}`);

  const updates: Fields = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(input)) {
    if (op.keyFields.includes(name)) continue;
    if (!Object.hasOwn(op.fields, name)) {
      const hint = suggest(name, Object.keys(op.fields));
      problems.push(`Unknown field: ${name}${hint ? ` (did you mean ${hint}?)` : ''}`);
      continue;
    }
    const coerced = coerceValue(op.fields[name]!, raw);
    if (coerced.ok) updates[name] = coerced.value;
    else problems.push(`Invalid value for ${name}: ${coerced.message}`);
  }
  if (problems.length > 0) return errorReply(400, problems.join('; '));

  const fields = state.fields(op, target.key);
  if (!fields) return errorReply(404, state.notFoundMessage(op, target.key));
  Object.assign(fields, updates);
  return { status: 200, body: { ...fields, ...keyValues(op, input) } };
}

/** GET /users?serviceProviderId=&groupId= → the group's users. */
export function listUsers(query: Record<string, string>, state: SimState): Reply {
  const missing = ['serviceProviderId', 'groupId'].filter((name) => !query[name]);
  if (missing.length > 0) return errorReply(400, `Missing required parameter: ${missing.join(', ')}`);
  const key = `${query.serviceProviderId}/${query.groupId}`;
  const group = state.findGroup(key);
  if (group === undefined) return errorReply(404, `Group not found: ${key}`);
  return { status: 200, body: state.groupUsers(group) };
}
