import { inShard, type Shard } from '../settings/shard.js';
import type { ManifestRow } from '../manifest/types.js';

/** The rows of this run's shard, streamed; all rows when there is no shard. Rows of other shards are not part of the run. */
export async function* shardRows(rows: AsyncIterable<ManifestRow>, shard: Shard | undefined): AsyncGenerator<ManifestRow> {
  for await (const row of rows) {
    if (inShard(row.id, shard)) yield row;
  }
}
