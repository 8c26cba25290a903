/**
 * A user's services, as `GET /users/services?userId=` and `GET /users/services/assigned?userId=` answer (and, for
 * the first, what `PUT /users/services` answers in the simulator). `packs` are the service packs
 * (`servicePackServices`), empty when the answer has none; `group` is the user's group when the answer names it
 * (odin-samples/get-user-services.json carries `serviceProviderId` and `groupId`).
 */
export type UserServices = {
  assigned: string[];
  notAssigned: string[];
  packs: { assigned: string[]; notAssigned: string[] };
  group?: { serviceProviderId: string; groupId: string };
};

/**
 * The user services of either answer (odin-samples/get-user-services.json: every service with `assigned`;
 * get-user-services-assigned.json: the assigned ones only, without the flag). Returns undefined when the answer
 * has no `userServices` list of named services, or a `servicePackServices` that is not one. Pure; for the doctor's
 * "service assigned" column and the `user-services` operation.
 */
export function parseUserServices(body: unknown): UserServices | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const answer = body as { userServices?: unknown; servicePackServices?: unknown; serviceProviderId?: unknown; groupId?: unknown };
  const services = namedList(answer.userServices);
  if (!services) return undefined;
  const packs = answer.servicePackServices === undefined ? { assigned: [], notAssigned: [] } : namedList(answer.servicePackServices);
  if (!packs) return undefined;
  const { serviceProviderId: sp, groupId } = answer;
  const group = typeof sp === 'string' && sp !== '' && typeof groupId === 'string' && groupId !== '' ? { serviceProviderId: sp, groupId } : undefined;
  return { ...services, packs, ...(group ? { group } : {}) };
}

function namedList(list: unknown): { assigned: string[]; notAssigned: string[] } | undefined {
  if (!Array.isArray(list)) return undefined;
  const out = { assigned: [] as string[], notAssigned: [] as string[] };
  for (const entry of list) {
    const name = typeof entry === 'object' && entry !== null ? (entry as { serviceName?: unknown }).serviceName : undefined;
    if (typeof name !== 'string' || name === '') return undefined;
    const flag = (entry as { assigned?: unknown }).assigned;
    (flag === false ? out.notAssigned : out.assigned).push(name);
  }
  return out;
}
