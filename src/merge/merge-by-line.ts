import { JobError } from '../model/errors.js';
import type { RowResult } from '../model/row-result.js';

export type RowStream = { name: string; rows: AsyncIterator<RowResult> };

/**
 * Merges streams that are each in manifest order into one stream in manifest order (a k-way merge holding one row
 * per stream). A line in two streams, or a stream out of order, is an input error: the parts overlap.
 */
export async function* mergeByLine(streams: readonly RowStream[]): AsyncGenerator<RowResult> {
  try {
    yield* merge(streams);
  } finally {
    // Close every file, also when a part overlaps or the consumer stops early.
    await Promise.all(streams.map((s) => s.rows.return?.()));
  }
}

async function* merge(streams: readonly RowStream[]): AsyncGenerator<RowResult> {
  const heads = await Promise.all(streams.map(async (s) => ({ s, next: await s.rows.next() })));
  let last: { line: number; name: string } | undefined;
  for (;;) {
    let pick: (typeof heads)[number] | undefined;
    for (const h of heads) {
      if (!h.next.done && (!pick || h.next.value.line < (pick.next.value as RowResult).line)) pick = h;
    }
    if (!pick) return;
    const row = pick.next.value as RowResult;
    if (last && row.line <= last.line) {
      const where = last.name === pick.s.name ? `appears out of order in ${pick.s.name}` : `is in both ${last.name} and ${pick.s.name}`;
      throw new JobError('EINPUT', `manifest line ${row.line} (${row.id}) ${where}: the folders overlap; nothing was written`);
    }
    last = { line: row.line, name: pick.s.name };
    yield row;
    pick.next = await pick.s.rows.next();
  }
}
