import { JobError } from '../model/errors.js';
import { openManifest } from '../manifest/open-manifest.js';
import { KeptRows, READ_ONCE_LIMIT, type ReadOnceLimit } from '../manifest/read-once.js';
import type { ManifestRow, ManifestSource, Problem, RawRow } from '../manifest/types.js';
import { formatProblem } from '../manifest/validate-manifest.js';
import { scanRows } from '../manifest/scan-rows.js';
import { ProblemList } from '../manifest/problem-list.js';
import { manifestChanged } from '../manifest/manifest-changed.js';
import { manifestInvalid } from './check-manifest.js';
import { ownValue } from '../operations/field-lookup.js';
import { keyProblem } from '../operations/key-fields.js';
import type { OperationDef } from '../operations/types.js';
import { iterate } from '../util/iterate.js';

export type ManifestTargets = { count: number; rows: () => AsyncIterable<ManifestRow> };

/**
 * The targets a manifest names, for `export`: only the key columns are read (any other column is ignored, so a
 * job's own manifest works). Checked whole first; any problem is EMANIFEST_INVALID (exit 2) before a request.
 * Within `readOnce` the targets checked are kept and are the ones read; a larger manifest is streamed again.
 */
export async function checkManifestTargets(file: string, op: OperationDef, delimiter?: string, readOnce: ReadOnceLimit = READ_ONCE_LIMIT): Promise<ManifestTargets> {
  const opened = await openManifest(file, { delimiter, readOnce });
  if ('problem' in opened) throw new JobError('EMANIFEST_INVALID', `${file} cannot be used; nothing was sent`, [formatProblem(opened.problem)]);
  const { source } = opened;
  const list = new ProblemList();
  const { add } = list;
  const seen = new Map<string, number>();
  const kept = new KeptRows<ManifestRow>(source.size, readOnce);
  const onHeader = (columns: string[]) => {
    op.keyFields.filter((k) => !columns.includes(k)).forEach((k) => add({ file, line: 1, field: k, message: `the header has no "${k}" column` }));
  };
  const onRow = (raw: RawRow) => {
    const checked = targetRow(raw, op, file);
    kept.add('problems' in checked ? undefined : checked.row);
    if ('problems' in checked) return checked.problems.forEach(add);
    const first = seen.get(checked.row.id);
    if (first !== undefined) add({ file, line: raw.line, path: raw.path, field: op.keyFields.join('/'), message: `duplicate ${checked.row.id}, first seen on line ${first}` });
    else seen.set(checked.row.id, raw.line);
  };
  const { rowCount: count, sharedLines } = await scanRows(source, add, onRow, onHeader);
  if (count === 0 && list.count === 0) add({ file, message: 'the manifest has no rows: nothing to export' });
  if (!sharedLines) for (const p of list.listed) delete p.path;
  if (list.count > 0) throw manifestInvalid(file, list.listed, list.count);
  const checked = kept.rows;
  return { count, rows: () => (checked ? iterate(checked) : targetRows(source, op)) };
}

/** The targets read again, for a manifest beyond the `readOnce` limit: one that no longer passes stops the export. */
async function* targetRows(source: ManifestSource, op: OperationDef): AsyncGenerator<ManifestRow> {
  for await (const raw of source.rows()) {
    const checked = targetRow(raw, op, source.file);
    if ('problems' in checked) throw manifestChanged(source.file, 'export', raw.line, checked.problems[0]?.message);
    yield checked.row;
  }
}

function targetRow(raw: RawRow, op: OperationDef, file: string): { row: ManifestRow } | { problems: Problem[] } {
  const at = { file, line: raw.line, ...(raw.path ? { path: raw.path } : {}) };
  if (raw.broken) return { problems: [{ ...at, message: raw.broken }] };
  if (raw.notObject) return { problems: [{ ...at, message: 'a row must be an object with the key fields' }] };
  const problems: Problem[] = [];
  for (const d of raw.duplicates ?? []) {
    if (op.keyFields.includes(d.key)) problems.push({ ...at, field: d.key, message: `"${d.key}" is named twice in this row; JSON would keep only the last one, so the row is refused: remove one` });
  }
  const key: Record<string, string> = {};
  for (const name of op.keyFields) {
    const value = ownValue(raw.cells, name);
    const problem = keyProblem(name, value);
    if (problem) problems.push({ ...at, field: name, message: problem });
    else key[name] = value as string;
  }
  if (problems.length) return { problems };
  return { row: { line: raw.line, key, id: op.keyFields.map((k) => key[k]).join('/'), fields: {} } };
}
