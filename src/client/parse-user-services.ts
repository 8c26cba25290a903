/** A user's services, as `GET /users/services?userId=` and `GET /users/services/assigned?userId=` answer. */
export type UserServices = { assigned: string[]; notAssigned: string[] };

/**
 * The user services of either answer (odin-samples/get-user-services.json: every service with `assigned`;
 * get-user-services-assigned.json: the assigned ones only, without the flag). Service packs and group services
 * are not read. Returns undefined when the answer has no `userServices` list of named services. Pure; for the
 * doctor's "service assigned" column (issue 10 §5), not used by a run.
 */
export function parseUserServices(body: unknown): UserServices | undefined {
  const list = typeof body === 'object' && body !== null ? (body as { userServices?: unknown }).userServices : undefined;
  if (!Array.isArray(list)) return undefined;
  const out: UserServices = { assigned: [], notAssigned: [] };
  for (const entry of list) {
    const name = typeof entry === 'object' && entry !== null ? (entry as { serviceName?: unknown }).serviceName : undefined;
    if (typeof name !== 'string' || name === '') return undefined;
    const flag = (entry as { assigned?: unknown }).assigned;
    (flag === false ? out.notAssigned : out.assigned).push(name);
  }
  return out;
}
