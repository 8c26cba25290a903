import type { ApiBehaviour } from './api-routes.js';
import type { SimEndpoint } from './broadworks-rules.js';
import { shapeAnswer } from './dialect.js';
import { errorReply, type Reply } from './http-io.js';
import { bulkReadRefused } from './odin-texts.js';
import type { SimState } from './state.js';

/**
 * GET <path>/bulk?serviceProviderId=&groupId=: the group's users in one answer, in the shape of Odin's documented
 * answer (odin-samples/get-bulk-call-forwarding-*.json): `[{service: {assigned, serviceName}, user: {…}, data: {…}}]`,
 * `data` shaped as the per-user GET is (dialect, release) with the userId, and `{}` for a user without the service.
 */
export function getBulk(endpoint: SimEndpoint, query: Record<string, string>, state: SimState, behaviour: ApiBehaviour): Reply {
  if (behaviour.bulk === 'missing') return errorReply(404, 'No such resource');
  if (behaviour.bulk === 'forbidden') return errorReply(403, bulkReadRefused(endpoint.path));
  const missing = ['serviceProviderId', 'groupId'].filter((name) => !query[name]);
  if (missing.length > 0) return errorReply(400, `Missing required parameter: ${missing.join(', ')}`);
  const key = `${query.serviceProviderId}/${query.groupId}`;
  const group = state.findGroup(key);
  if (group === undefined || state.groupKey(group) !== key) return errorReply(404, `Group not found: ${key}`);
  const [first, last] = state.usersOfGroup(group);
  const items: unknown[] = [];
  for (let index = first; index <= last; index++) {
    const user = state.user(index);
    const assigned = behaviour.services.has(endpoint, index);
    const fields = assigned ? state.fields(endpoint, user.userId) : undefined;
    items.push({
      service: { assigned, serviceName: endpoint.service },
      user: {
        userId: user.userId,
        lastName: user.lastName,
        firstName: user.firstName,
        phoneNumber: user.phoneNumber,
        phoneNumberActivated: true,
        emailAddress: null,
        hiraganaLastName: user.lastName,
        hiraganaFirstName: user.firstName,
        inTrunkGroup: false,
        extension: user.extension,
        domain: user.userId.slice(user.userId.indexOf('@') + 1),
      },
      data: fields ? shapeAnswer(endpoint, fields, { userId: user.userId }, behaviour.shape) : {},
    });
  }
  return { status: 200, body: items };
}
