import { keyProblem } from '../operations/key-fields.js';

/** A whole group as the target of a job or an export (`--group SP/GROUP`, or `target` in a job file). */
export type GroupTarget = { serviceProviderId: string; groupId: string };

/** `sim-sp/grp-01`: how a group is shown, and the form --group takes. */
export function formatGroupTarget(t: GroupTarget): string {
  return `${t.serviceProviderId}/${t.groupId}`;
}

/**
 * Reads `--group SP/GROUP`, split at the first `/` (a service provider id with a `/` in it needs the job file's
 * `target` object instead). Returns the target, or why it is not one.
 */
export function parseGroupFlag(text: string): { target: GroupTarget } | { problem: string } {
  const at = text.indexOf('/');
  if (at < 0) return { problem: `expected SERVICE_PROVIDER/GROUP, e.g. --group acme/sales, got "${text}"` };
  return checkGroupTarget({ serviceProviderId: text.slice(0, at), groupId: text.slice(at + 1) });
}

/** Checks a job file's `target` value: an object with exactly serviceProviderId and groupId. */
export function checkGroupTarget(value: unknown): { target: GroupTarget } | { problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'must be an object {"serviceProviderId": "…", "groupId": "…"}' };
  }
  const raw = value as Record<string, unknown>;
  const extra = Object.keys(raw).filter((k) => k !== 'serviceProviderId' && k !== 'groupId');
  if (extra.length) return { problem: `unexpected key ${extra.map((k) => `"${k}"`).join(', ')}: expected serviceProviderId and groupId` };
  const problems = ['serviceProviderId', 'groupId'].map((k) => keyProblem(k, raw[k])).filter((p) => p !== undefined);
  if (problems.length) return { problem: problems.join('; ') };
  return { target: { serviceProviderId: raw.serviceProviderId as string, groupId: raw.groupId as string } };
}
