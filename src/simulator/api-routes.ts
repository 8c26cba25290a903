import type { ServiceModel } from './assignment.js';
import type { SimEndpoint, SimFields } from './broadworks-rules.js';
import { checkValue, closestName } from './check-value.js';
import { inRelease, serviceNotAssigned, shapeAnswer, type AnswerShape } from './dialect.js';
import { errorReply, type Reply } from './http-io.js';
import { keyFieldsOf, targetKey, type SimState } from './state.js';

/**
 * How the bulk reads (`GET <path>/bulk`) answer: `answer` as Odin does, `missing` as a server without them (404),
 * `forbidden` as one that refuses them to this login (403).
 */
export type BulkMode = 'answer' | 'missing' | 'forbidden';
export const BULK_MODES: readonly BulkMode[] = ['answer', 'missing', 'forbidden'];

/** How the endpoints answer: the dialect and release of the answers, which users hold which services, the bulk reads. */
export type ApiBehaviour = { shape: AnswerShape; services: ServiceModel; bulk: BulkMode };

function keyValues(endpoint: SimEndpoint, source: Record<string, unknown>): Record<string, unknown> {
  const keys: Record<string, unknown> = {};
  for (const field of keyFieldsOf(endpoint)) keys[field] = source[field];
  return keys;
}

/** A 400 for a user without the endpoint's service (`unassigned`, or unassigned since), for GET and PUT alike. */
function notAssigned(endpoint: SimEndpoint, key: string, state: SimState, behaviour: ApiBehaviour): Reply | undefined {
  if (endpoint.scope !== 'user' || !endpoint.service) return undefined;
  if (behaviour.services.has(endpoint, state.userIndex(key))) return undefined;
  return errorReply(400, serviceNotAssigned(endpoint.service, key));
}

/** GET <path>?<keys> → the target's fields (shaped by dialect and release) plus the keys. */
export function getFields(endpoint: SimEndpoint, query: Record<string, string>, state: SimState, behaviour: ApiBehaviour): Reply {
  const target = targetKey(endpoint, query);
  if ('missing' in target) return errorReply(400, `Missing required parameter: ${target.missing.join(', ')}`);
  const refused = notAssigned(endpoint, target.key, state, behaviour);
  if (refused) return refused;
  const fields = state.fields(endpoint, target.key);
  if (!fields) return errorReply(404, state.notFoundMessage(endpoint, target.key));
  return { status: 200, body: shapeAnswer(endpoint, fields, keyValues(endpoint, query), behaviour.shape) };
}

/**
 * PUT <path> with the keys and any subset of fields. Every value is checked against the simulator's own table of
 * BroadWorks rules (broadworks-rules.ts); a field the release does not have is refused as unknown. Nothing is
 * changed unless every value is accepted.
 */
export function putFields(endpoint: SimEndpoint, body: unknown, bodyOk: boolean, state: SimState, behaviour: ApiBehaviour): Reply {
  if (!bodyOk) return errorReply(400, 'Request body is not valid JSON');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return errorReply(400, 'Request body must be a JSON object');
  }
  const input = body as Record<string, unknown>;
  const target = targetKey(endpoint, input);
  if ('missing' in target) return errorReply(400, `Missing required field: ${target.missing.join(', ')}`);

  const known = Object.keys(endpoint.fields).filter((name) => inRelease(endpoint.fields[name]!, behaviour.shape.release));
  const updates: SimFields = {};
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(input)) {
    if (keyFieldsOf(endpoint).includes(name)) continue;
    if (!known.includes(name)) {
      const hint = closestName(name, known);
      problems.push(`Unknown field: ${name}${hint ? ` (did you mean ${hint}?)` : ''}`);
      continue;
    }
    const checked = checkValue(endpoint.fields[name]!, raw);
    if (checked.ok) updates[name] = checked.value;
    else problems.push(`Invalid value for ${name}: ${checked.reason}`);
  }
  const refused = notAssigned(endpoint, target.key, state, behaviour);
  if (refused) return refused;
  const fields = state.fields(endpoint, target.key);
  if (!fields) return errorReply(404, state.notFoundMessage(endpoint, target.key));
  if (problems.length > 0) return errorReply(400, problems.join('; '));
  Object.assign(fields, updates);
  return { status: 200, body: shapeAnswer(endpoint, fields, keyValues(endpoint, input), behaviour.shape) };
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
