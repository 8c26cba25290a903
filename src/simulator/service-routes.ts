import type { ApiBehaviour } from './api-routes.js';
import type { Refusal, ServiceChange } from './assignment.js';
import { errorReply, type Reply } from './http-io.js';
import { serviceLimitReached, serviceNotAuthorized, unknownService } from './odin-texts.js';
import type { SimState } from './state.js';

// The service routes, in the shapes of Odin's documented answers (odin-samples/get-user-services.json,
// get-user-services-assigned.json, get-group-services.json). What a PUT answers is not documented: the same list
// as the GET (unverified).

/** A seeded user by `userId`, or the error reply for a missing or unknown one. */
function seededUser(userId: unknown, state: SimState, missing: string): { index: number; userId: string } | Reply {
  if (typeof userId !== 'string' || userId === '') return errorReply(400, `${missing}: userId`);
  const index = state.userIndex(userId);
  return index === undefined ? errorReply(404, `User not found: ${userId}`) : { index, userId };
}

const isReply = (r: unknown): r is Reply => typeof r === 'object' && r !== null && 'status' in r;

/** GET /users/services?userId=: every service and pack the user's group is authorised for, with `assigned`. */
export function getUserServices(query: Record<string, string>, state: SimState, behaviour: ApiBehaviour): Reply {
  const user = seededUser(query.userId, state, 'Missing required parameter');
  if (isReply(user)) return user;
  return { status: 200, body: userServicesBody(user.index, user.userId, state, behaviour) };
}

function userServicesBody(index: number, userId: string, state: SimState, { services }: ApiBehaviour): Record<string, unknown> {
  const group = state.groupOfUser(index);
  const { services: names, packs } = services.catalogue();
  const profile = state.user(index);
  return {
    userId,
    userServices: names
      .filter((name) => services.authorised(group, name))
      .map((name) => ({ serviceName: name, assigned: services.assigned(index, name), tags: [], alias: name })),
    servicePackServices: packs
      .filter((p) => services.authorised(group, p.name))
      .map((p) => ({ assigned: services.assigned(index, p.name), description: p.description, serviceName: p.name, alias: p.name })),
    serviceProviderId: profile.serviceProviderId,
    groupId: profile.groupId,
  };
}

/** GET /users/services/assigned?userId=: the services the user holds, with `isActive` where the settings have one. */
export function getAssignedServices(query: Record<string, string>, state: SimState, behaviour: ApiBehaviour): Reply {
  const user = seededUser(query.userId, state, 'Missing required parameter');
  if (isReply(user)) return user;
  const held = behaviour.services.catalogue().services.filter((name) => behaviour.services.holds(user.index, name));
  const userServices = held.map((name) => {
    const endpoint = state.endpoints().find((e) => e.scope === 'user' && e.service === name && 'isActive' in e.fields);
    const isActive = endpoint ? state.fields(endpoint, user.userId)?.isActive : undefined;
    return typeof isActive === 'boolean' ? { serviceName: name, isActive } : { serviceName: name };
  });
  return { status: 200, body: { userId: user.userId, userServices, groupServices: [] } };
}

/**
 * PUT /users/services {userId, userServices: [{serviceName, assigned}], servicePackServices: [...]}: all or
 * nothing. A service the user gains starts from its BroadWorks defaults; one the user loses takes its settings
 * with it.
 */
export function putUserServices(body: unknown, bodyOk: boolean, state: SimState, behaviour: ApiBehaviour): Reply {
  if (!bodyOk) return errorReply(400, 'Request body is not valid JSON');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return errorReply(400, 'Request body must be a JSON object');
  const input = body as Record<string, unknown>;
  const user = seededUser(input.userId, state, 'Missing required field');
  if (isReply(user)) return user;
  const problems: string[] = [];
  const changes: ServiceChange[] = [];
  for (const [list, pack] of [['userServices', false], ['servicePackServices', true]] as const) {
    const entries = input[list];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      problems.push(`${list} must be a list of {serviceName, assigned}`);
      continue;
    }
    entries.forEach((entry, i) => {
      const { serviceName, assigned } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      if (typeof serviceName !== 'string' || serviceName === '') problems.push(`${list}[${i}]: serviceName is required`);
      else if (typeof assigned !== 'boolean') problems.push(`${list}[${i}]: assigned must be true or false`);
      else changes.push({ name: serviceName, assigned, pack });
    });
  }
  if (problems.length) return errorReply(400, problems.join('; '));
  const group = state.groupKey(state.groupOfUser(user.index));
  const result = behaviour.services.change(user.index, changes);
  if ('refused' in result) return errorReply(400, result.refused.map((r) => refusalText(r, group)).join('; '));
  for (const endpoint of state.endpoints()) {
    if (endpoint.scope !== 'user' || !endpoint.service) continue;
    if (result.gained.includes(endpoint.service)) state.reset(endpoint, user.userId);
    if (result.lost.includes(endpoint.service)) state.drop(endpoint, user.userId);
  }
  return { status: 200, body: userServicesBody(user.index, user.userId, state, behaviour) };
}

function refusalText(r: Refusal, group: string): string {
  if (r.kind === 'unknown') return unknownService(r.name, r.pack);
  if (r.kind === 'not-authorised') return serviceNotAuthorized(r.name, group);
  return serviceLimitReached(r.name, group, r.quantity ?? 0);
}

/**
 * GET /groups/services?serviceProviderId=&groupId=: per service and pack, whether the group is authorised, its
 * quantity (-1 = unlimited) and how many of its users hold it.
 */
export function getGroupServices(query: Record<string, string>, state: SimState, behaviour: ApiBehaviour): Reply {
  const missing = ['serviceProviderId', 'groupId'].filter((name) => !query[name]);
  if (missing.length > 0) return errorReply(400, `Missing required parameter: ${missing.join(', ')}`);
  const key = `${query.serviceProviderId}/${query.groupId}`;
  const group = state.findGroup(key);
  if (group === undefined || state.groupKey(group) !== key) return errorReply(404, `Group not found: ${key}`);
  const { services, packs } = behaviour.services.catalogue();
  const row = (name: string) => {
    const quantity = behaviour.services.quantity(group, name);
    const authorized = quantity !== 0;
    const usage = authorized ? behaviour.services.usage(group, name) : 0;
    const limit = authorized ? quantity : -1;
    return {
      serviceName: name,
      authorized,
      assigned: usage > 0,
      limited: limit === -1 ? 'Unlimited' : 'Limited',
      quantity: limit,
      usage,
      licensed: true,
      allowed: limit,
      userAssignable: true,
      groupServiceAssignable: true,
      tags: [],
      alias: name,
    };
  };
  return {
    status: 200,
    body: {
      serviceProviderId: query.serviceProviderId,
      groupId: query.groupId,
      userServices: services.map(row),
      servicePackServices: packs.map((p) => ({ ...row(p.name), description: p.description })),
    },
  };
}
