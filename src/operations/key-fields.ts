/**
 * How the columns that name a target are checked (OCI-P: UserId 1–161 characters, ServiceProviderId and GroupId
 * 1–30). A userId never contains white space; provider and group ids may contain inner spaces, never at the ends.
 */
const KEY_SPECS: Readonly<Record<string, { maxLength: number; innerSpaces: boolean }>> = {
  userId: { maxLength: 161, innerSpaces: false },
  serviceProviderId: { maxLength: 30, innerSpaces: true },
  groupId: { maxLength: 30, innerSpaces: true },
};

const FALLBACK = { maxLength: 161, innerSpaces: false };

/** Why `value` cannot name a target in key column `name`, or undefined when it can. Pure. */
export function keyProblem(name: string, value: unknown): string | undefined {
  const spec = KEY_SPECS[name] ?? FALLBACK;
  if (value === undefined || value === null || value === '') return `${name} is empty: every row needs one`;
  if (typeof value !== 'string') return `${name} must be text, got ${JSON.stringify(value)}`;
  if (spec.innerSpaces ? value.trim() !== value : /\s/.test(value)) {
    return `${name} "${value}" contains white space${spec.innerSpaces ? ' at the start or end' : ''}`;
  }
  if (value.length > spec.maxLength) return `${name} is longer than ${spec.maxLength} characters`;
  return undefined;
}
