import type { OperationDef } from '../operations/types.js';

/**
 * The columns a user manifest may carry besides the user and the fields: the user's group. They are never set; they
 * tell `--wave-order spread` which group each user is in. Group operations have them as their key instead.
 */
export const GROUP_COLUMNS = ['serviceProviderId', 'groupId'] as const;

/** The group columns `op`'s manifests may carry: those of a user operation; none for a group operation. */
export function groupColumnsOf(op: OperationDef): readonly string[] {
  return op.keyFields.some((k) => (GROUP_COLUMNS as readonly string[]).includes(k)) ? [] : GROUP_COLUMNS;
}

/** A row's group, `serviceProviderId/groupId`, when it gives both; undefined otherwise. */
export function groupOfCells(cells: Readonly<Record<string, unknown>>): string | undefined {
  const sp = Object.hasOwn(cells, 'serviceProviderId') ? cells.serviceProviderId : undefined;
  const group = Object.hasOwn(cells, 'groupId') ? cells.groupId : undefined;
  return typeof sp === 'string' && sp.trim() !== '' && typeof group === 'string' && group.trim() !== '' ? `${sp.trim()}/${group.trim()}` : undefined;
}
