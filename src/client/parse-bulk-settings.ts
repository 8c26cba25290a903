import { readLiveFields } from '../operations/live-values.js';
import type { Fields, OperationDef } from '../operations/types.js';
import { notTheSettings } from './settings-answer.js';

/** One user of a group-wide read (`GET /users/<feature>/bulk?serviceProviderId=&groupId=`). */
export type BulkItem = {
  userId: string;
  /** `service.assigned`: false when the user lacks the service (its `data` is then `{}`). */
  assigned: boolean;
  /** `service.serviceName` when the answer gives one (e.g. `Call Forwarding Always`). */
  serviceName?: string;
  /**
   * The user's settings, read as a per-user GET is (readLiveFields); undefined when the service is not assigned,
   * or when `data` is not the user's settings (none of the operation's fields, another `userId`: notTheSettings).
   */
  fields?: Fields;
};

/**
 * The items of a bulk read, as Odin documents them (odin-samples/get-bulk-call-forwarding-*.json):
 * `[{service: {assigned, serviceName}, user: {userId, …}, data: {…settings, userId}}]`. Returns undefined when the
 * answer is not that shape (the reader then falls back to per-user GETs: sources/group-bulk-read.ts). Pure.
 */
export function parseBulkSettings(op: OperationDef, body: unknown): BulkItem[] | undefined {
  if (!Array.isArray(body)) return undefined;
  const items: BulkItem[] = [];
  for (const item of body) {
    if (!isObject(item) || !isObject(item.service) || !isObject(item.user)) return undefined;
    const userId = item.user.userId;
    const { assigned, serviceName } = item.service;
    if (typeof userId !== 'string' || userId === '' || typeof assigned !== 'boolean') return undefined;
    const named = typeof serviceName === 'string' ? { serviceName } : {};
    if (!assigned) {
      items.push({ userId, assigned, ...named });
      continue;
    }
    if (!isObject(item.data)) return undefined;
    // A `data` that is not this user's settings (none of the fields, another userId) says nothing about them.
    const usable = notTheSettings(op, { userId }, item.data) === undefined;
    items.push({ userId, assigned, ...named, ...(usable ? { fields: readLiveFields(op, item.data) } : {}) });
  }
  return items;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
