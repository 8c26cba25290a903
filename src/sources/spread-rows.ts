/**
 * `--wave-order spread`: the rows reordered so that every stretch of them takes about the same share of each group
 * (a row's place is its position within its group divided by the group's size; groups in order of first
 * appearance), so the first wave touches every group a little rather than one group entirely. Rows without a group
 * are a group of their own. It needs every row first: the rows are held in memory (the manifest order needs none).
 */
export async function* spreadRows<T extends { group?: string }>(rows: AsyncIterable<T>): AsyncGenerator<T> {
  const groups = new Map<string, T[]>();
  for await (const row of rows) {
    const key = row.group ?? '';
    const list = groups.get(key);
    if (list) list.push(row);
    else groups.set(key, [row]);
  }
  const placed: { at: number; group: number; row: T }[] = [];
  [...groups.values()].forEach((list, group) => list.forEach((row, i) => placed.push({ at: (i + 0.5) / list.length, group, row })));
  placed.sort((a, b) => a.at - b.at || a.group - b.group);
  for (const p of placed) yield p.row;
}
