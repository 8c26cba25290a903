import { serviceFeature, type SimEndpoint } from './broadworks-rules.js';
import { hashString, mix } from './prng.js';

/** Share of seeded users (0–1) that lack a service, by feature: `{ 'call-recording': 0.1 }`. */
export type UnassignedShares = Readonly<Record<string, number>>;

/**
 * Which seeded users lack which services (`unassigned` option, `--unassigned FEATURE:SHARE`). A user lacks a
 * service when a hash of the seed, the user's index and the feature falls below the share: the same users for the
 * same seed, about `share` of them, independently per feature. Users that are not seeded always have every service.
 */
export class ServiceAssignment {
  private readonly shares = new Map<string, number>();

  constructor(shares: UnassignedShares, endpoints: readonly SimEndpoint[], private readonly seed: number) {
    const features = endpoints.map(serviceFeature).filter((f): f is string => f !== undefined);
    for (const [feature, share] of Object.entries(shares)) {
      if (!features.includes(feature)) {
        throw new TypeError(`Expected \`unassigned\` to name a service's endpoint (${features.join(', ')}), got \`${feature}\``);
      }
      if (typeof share !== 'number' || !(share >= 0 && share <= 1)) {
        throw new TypeError(`Expected the unassigned share of \`${feature}\` to be a number from 0 to 1, got \`${String(share)}\``);
      }
      this.shares.set(feature, share);
    }
  }

  /** False when the seeded user `userIndex` (1-based; undefined = not seeded) lacks the endpoint's service. */
  has(endpoint: SimEndpoint, userIndex: number | undefined): boolean {
    const feature = serviceFeature(endpoint);
    const share = feature === undefined ? undefined : this.shares.get(feature);
    if (share === undefined || share === 0 || userIndex === undefined) return true;
    return mix(this.seed, userIndex, hashString(`unassigned:${feature}`)) / 4294967296 >= share;
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
