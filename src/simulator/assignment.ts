import { serviceFeature, type SimEndpoint } from './broadworks-rules.js';
import { SERVICE_PACKS, USER_SERVICES, type ServicePack } from './broadworks-services.js';
import { hashString, mix } from './prng.js';

/** Share of seeded users (0–1) that lack a service, by feature: `{ 'call-recording': 0.1 }`. */
export type UnassignedShares = Readonly<Record<string, number>>;

/**
 * Group quantities by service or service pack: `{ 'call-recording': 10 }`, `{ 'Call Recording': -1 }`, or for one
 * group only `{ 'sim-sp/grp-02:call-recording': 3 }`. -1 = unlimited, 0 = the group is not authorised for it.
 */
export type Licences = Readonly<Record<string, number>>;

/** Where a user is: the seeded directory (SimState). */
export type Directory = {
  groupOfUser(userIndex: number): number;
  groupKey(groupIndex: number): string;
  usersOfGroup(groupIndex: number): [number, number];
  findGroup(key: string): number | undefined;
};

export type ServiceChange = { name: string; assigned: boolean; pack: boolean };

export type Refusal = { kind: 'unknown' | 'not-authorised' | 'limit'; name: string; pack: boolean; quantity?: number };

const UNLIMITED = -1;

/**
 * Which user holds which service, in one model: `--unassigned FEATURE:SHARE` decides who lacks a service at first
 * (a hash of the seed, the user's index and the feature, below the share); `--licences` gives each group its
 * authorisation and quantity (the first seeded holders of a group, in user order, up to the quantity, hold a limited
 * service at first); `PUT /users/services` changes it from then on. A user's settings of a service answer only
 * while the user holds it, directly or through a service pack. Users that are not seeded hold every service.
 */
export class ServiceModel {
  private readonly services: readonly string[];
  private readonly packs: readonly ServicePack[];
  private readonly shares = new Map<string, number>();
  /** `GROUP\nNAME` (GROUP = `*` for every group) → quantity. */
  private readonly quantities = new Map<string, number>();
  /** User index → service or pack name → assigned, once changed. */
  private readonly changed = new Map<number, Map<string, boolean>>();
  /** `group\nservice` → the users that hold a limited service at first. */
  private readonly firstHolders = new Map<string, Set<number>>();
  /** Service → the feature whose hash decides who lacks it (as `--unassigned` names it). */
  private readonly featureOf = new Map<string, string>();

  constructor(
    options: { unassigned?: UnassignedShares; licences?: Licences },
    endpoints: readonly SimEndpoint[],
    private readonly seed: number,
    private readonly directory: Directory,
  ) {
    const endpointServices = endpoints.map((e) => e.service).filter((s): s is string => s !== undefined);
    this.services = [...new Set([...USER_SERVICES, ...endpointServices])];
    this.packs = SERVICE_PACKS;
    const features = new Map(endpoints.map((e) => [serviceFeature(e), e.service] as const).filter((p): p is [string, string] => p[0] !== undefined));
    for (const [feature, service] of features) this.featureOf.set(service, feature);
    for (const [feature, share] of Object.entries(options.unassigned ?? {})) {
      const service = features.get(feature);
      if (!service) throw new TypeError(`Expected \`unassigned\` to name a service's endpoint (${[...features.keys()].join(', ')}), got \`${feature}\``);
      if (typeof share !== 'number' || !(share >= 0 && share <= 1)) {
        throw new TypeError(`Expected the unassigned share of \`${feature}\` to be a number from 0 to 1, got \`${String(share)}\``);
      }
      this.shares.set(service, share);
    }
    for (const [spec, quantity] of Object.entries(options.licences ?? {})) {
      const at = spec.lastIndexOf(':');
      const group = at < 0 ? '*' : spec.slice(0, at);
      const name = this.canonical(at < 0 ? spec : spec.slice(at + 1), features);
      if (!name) throw new TypeError(`Expected \`licences\` to name a service, a service pack or a service's endpoint, got \`${spec}\``);
      if (group !== '*' && directory.findGroup(group) === undefined) throw new TypeError(`Expected \`licences\` to name a seeded group (sp/group), got \`${group}\``);
      if (!Number.isInteger(quantity) || quantity < UNLIMITED) {
        throw new TypeError(`Expected the licences of \`${spec}\` to be -1 (unlimited), 0 (not authorised) or a quantity, got \`${String(quantity)}\``);
      }
      const g = group === '*' ? '*' : directory.groupKey(directory.findGroup(group)!);
      this.quantities.set(`${g}\n${name}`, quantity);
    }
  }

  /** -1 = unlimited, 0 = the group is not authorised for it, N = at most N users. */
  quantity(groupIndex: number, name: string): number {
    const group = this.directory.groupKey(groupIndex);
    return this.quantities.get(`${group}\n${name}`) ?? this.quantities.get(`*\n${name}`) ?? UNLIMITED;
  }

  authorised(groupIndex: number, name: string): boolean {
    return this.quantity(groupIndex, name) !== 0;
  }

  /** The service or pack assigned to the user by name (not through a pack). */
  assigned(userIndex: number, name: string): boolean {
    const group = this.directory.groupOfUser(userIndex);
    if (!this.authorised(group, name)) return false;
    return this.changed.get(userIndex)?.get(name) ?? this.initially(userIndex, group, name);
  }

  /** False when the seeded user (1-based; undefined = not seeded) does not hold the endpoint's service. */
  has(endpoint: SimEndpoint, userIndex: number | undefined): boolean {
    if (!endpoint.service || endpoint.scope !== 'user' || userIndex === undefined) return true;
    return this.holds(userIndex, endpoint.service);
  }

  /** Holds the service: assigned by name, or through an assigned pack that has it. */
  holds(userIndex: number, service: string): boolean {
    if (this.assigned(userIndex, service)) return true;
    return this.packs.some((p) => p.services.includes(service) && this.assigned(userIndex, p.name) && this.authorised(this.directory.groupOfUser(userIndex), service));
  }

  /** Users of the group with the service or pack assigned by name. */
  usage(groupIndex: number, name: string): number {
    const [first, last] = this.directory.usersOfGroup(groupIndex);
    let count = 0;
    for (let u = first; u <= last; u++) if (this.assigned(u, name)) count++;
    return count;
  }

  /** The catalogue, for the group answers. */
  catalogue(): { services: readonly string[]; packs: readonly ServicePack[] } {
    return { services: this.services, packs: this.packs };
  }

  /**
   * Applies a `PUT /users/services` for a seeded user, all or nothing: an unknown name, a service the group is not
   * authorised for, or an assignment past the group's quantity refuses the whole request.
   */
  change(userIndex: number, changes: readonly ServiceChange[]): { refused: Refusal[] } | { gained: string[]; lost: string[] } {
    const group = this.directory.groupOfUser(userIndex);
    const refused: Refusal[] = [];
    const wanted = new Map<string, boolean>();
    for (const c of changes) {
      const known = c.pack ? this.packs.some((p) => p.name === c.name) : this.services.includes(c.name);
      if (!known) refused.push({ kind: 'unknown', name: c.name, pack: c.pack });
      else if (!this.authorised(group, c.name)) refused.push({ kind: 'not-authorised', name: c.name, pack: c.pack });
      else wanted.set(c.name, c.assigned);
    }
    for (const c of changes) {
      if (!wanted.get(c.name) || this.assigned(userIndex, c.name)) continue;
      const quantity = this.quantity(group, c.name);
      if (quantity > 0 && this.usage(group, c.name) >= quantity) refused.push({ kind: 'limit', name: c.name, pack: c.pack, quantity });
    }
    if (refused.length) return { refused };
    const before = new Map(this.services.map((s) => [s, this.holds(userIndex, s)]));
    const mine = this.changed.get(userIndex) ?? new Map<string, boolean>();
    for (const [name, assigned] of wanted) mine.set(name, assigned);
    this.changed.set(userIndex, mine);
    const gained = this.services.filter((s) => !before.get(s) && this.holds(userIndex, s));
    const lost = this.services.filter((s) => before.get(s) && !this.holds(userIndex, s));
    return { gained, lost };
  }

  private initially(userIndex: number, group: number, name: string): boolean {
    if (!this.services.includes(name)) return false; // packs: nobody at first
    const quantity = this.quantity(group, name);
    if (quantity <= 0) return this.byShare(userIndex, name);
    const key = `${group}\n${name}`;
    let holders = this.firstHolders.get(key);
    if (!holders) {
      holders = new Set<number>();
      const [first, last] = this.directory.usersOfGroup(group);
      for (let u = first; u <= last && holders.size < quantity; u++) if (this.byShare(u, name)) holders.add(u);
      this.firstHolders.set(key, holders);
    }
    return holders.has(userIndex);
  }

  private byShare(userIndex: number, service: string): boolean {
    const share = this.shares.get(service);
    if (share === undefined || share === 0) return true;
    const feature = this.featureOf.get(service) ?? service;
    return mix(this.seed, userIndex, hashString(`unassigned:${feature}`)) / 4294967296 >= share;
  }

  /** A service or pack name as the catalogue spells it, from itself (any case) or an endpoint's feature. */
  private canonical(name: string, features: ReadonlyMap<string, string>): string | undefined {
    const trimmed = name.trim();
    const byFeature = features.get(trimmed);
    if (byFeature) return byFeature;
    const lower = trimmed.toLowerCase();
    return [...this.services, ...this.packs.map((p) => p.name)].find((n) => n.toLowerCase() === lower);
  }
}

/** `call-recording:0.1` → ['call-recording', 0.1]; throws a TypeError naming the problem. */
export function parseUnassigned(spec: string): [string, number] {
  const match = /^\s*([a-z-]+)\s*:\s*([0-9.]+)\s*$/.exec(spec);
  const share = match ? Number(match[2]) : NaN;
  if (!match || !(share >= 0 && share <= 1)) {
    throw new TypeError(`Expected SERVICE:SHARE with a share from 0 to 1, e.g. call-recording:0.1, got \`${spec}\``);
  }
  return [match[1]!, share];
}

/**
 * `call-recording=10`, `Call Recording=unlimited`, `sim-sp/grp-02:voice-messaging=0` → [key, quantity] (the key as
 * the `licences` option takes it); throws a TypeError naming the problem.
 */
export function parseLicence(spec: string): [string, number] {
  const at = spec.lastIndexOf('=');
  const name = at < 0 ? '' : spec.slice(0, at).trim();
  const value = at < 0 ? '' : spec.slice(at + 1).trim().toLowerCase();
  const quantity = value === 'unlimited' ? UNLIMITED : /^\d+$/.test(value) ? Number(value) : NaN;
  if (name === '' || Number.isNaN(quantity)) {
    throw new TypeError(`Expected [SP/GROUP:]SERVICE=N with N a number of users, 0 (not authorised) or unlimited, e.g. call-recording=10, got \`${spec}\``);
  }
  return [name, quantity];
}
