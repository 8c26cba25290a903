import { createHash } from 'node:crypto';

/** This run's share of a manifest: shard `index` of `count` (1-based, as `--shard 2/3` is written). */
export type Shard = { index: number; count: number };

/** Upper bound on N in `--shard K/N`, to catch a typo rather than a real need. */
export const MAX_SHARDS = 10_000;

/** Parses `K/N` (1 ≤ K ≤ N); returns a message when it is not one. Pure. */
export function parseShard(text: string): Shard | { problem: string } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return { problem: `expected K/N, e.g. 2/3 (shard 2 of 3), got "${text}"` };
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SHARDS) return { problem: `N in K/N must be from 1 to ${MAX_SHARDS}, got ${count}` };
  if (index < 1 || index > count) return { problem: `K in K/N must be from 1 to N (${count}), got ${index}` };
  return { index, count };
}

/**
 * Which shard (1..count) a row belongs to: sha1 of its id (the userId, or `serviceProviderId/groupId`) mod count.
 * Depends only on the id, never on the row's position, so every job of a matrix agrees, on any machine.
 */
export function shardOf(id: string, count: number): number {
  const digest = createHash('sha1').update(id, 'utf8').digest();
  return (digest.readUIntBE(0, 6) % count) + 1;
}

export function inShard(id: string, shard: Shard | undefined): boolean {
  return !shard || shardOf(id, shard.count) === shard.index;
}

export const formatShard = (shard: Shard): string => `${shard.index}/${shard.count}`;
