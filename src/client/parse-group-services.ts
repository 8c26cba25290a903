/** One service or pack of a group, as `GET /groups/services` answers it (odin-samples/get-group-services.json). */
export type GroupLicence = {
  authorized: boolean;
  /** Users the group may give it to; -1 = unlimited. */
  quantity: number;
  /** Users of the group that have it assigned. */
  usage: number;
};

/** A group's licences: per list (user services, service packs), name → licence. */
export type GroupServices = { services: Map<string, GroupLicence>; packs: Map<string, GroupLicence> };

/**
 * The answer of `GET /groups/services?serviceProviderId=&groupId=`: `userServices` and `servicePackServices`, each
 * entry with `serviceName`, `authorized`, `quantity` (-1 = unlimited) and `usage`. An entry without `quantity` or
 * with `limited: "Unlimited"` is unlimited; one without `usage` is read as 0 in use. Undefined when the answer has
 * no `userServices` list of named entries. Pure.
 */
export function parseGroupServices(body: unknown): GroupServices | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const answer = body as { userServices?: unknown; servicePackServices?: unknown };
  const services = licences(answer.userServices);
  if (!services) return undefined;
  const packs = answer.servicePackServices === undefined ? new Map<string, GroupLicence>() : licences(answer.servicePackServices);
  return packs ? { services, packs } : undefined;
}

function licences(list: unknown): Map<string, GroupLicence> | undefined {
  if (!Array.isArray(list)) return undefined;
  const out = new Map<string, GroupLicence>();
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) return undefined;
    const e = entry as Record<string, unknown>;
    if (typeof e.serviceName !== 'string' || e.serviceName === '') return undefined;
    const unlimited = e.limited === 'Unlimited' || typeof e.quantity !== 'number' || e.quantity < 0;
    out.set(e.serviceName, {
      authorized: e.authorized !== false,
      quantity: unlimited ? -1 : (e.quantity as number),
      usage: typeof e.usage === 'number' && e.usage > 0 ? e.usage : 0,
    });
  }
  return out;
}
