import type { Fields, OperationDef } from '../operations/types.js';
import { checkDefaults, checkRow, unknownFieldMessage } from './check-row.js';
import { IdHashSet } from './id-hash-set.js';
import { CsvReadError } from './read-csv.js';
import type { ManifestRow, ManifestSource, Problem, RawRow } from './types.js';

/** How many problems are listed; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 200;

export type ManifestCheck = {
  problems: Problem[];
  problemCount: number;
  rowCount: number;
  /** Fields the manifest (and its defaults) set, in the operation's field order: the report columns. */
  fieldsUsed: string[];
  /** Validated defaults: job file's, overridden by the manifest's own. */
  defaults: Fields;
};

/**
 * First pass over the whole manifest, before any request: every problem with file, line and field.
 * Streams the rows and keeps only what the checks need: a 64-bit hash of each id seen, for duplicates.
 */
export async function validateManifest(
  source: ManifestSource,
  op: OperationDef,
  jobDefaults: { values: Record<string, unknown>; file: string },
): Promise<ManifestCheck> {
  const problems: Problem[] = [];
  let problemCount = 0;
  const add = (p: Problem) => {
    problemCount++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(p);
  };

  const job = checkDefaults(jobDefaults.values, op, jobDefaults.file);
  const own = checkDefaults(source.defaults, op, source.file);
  [...job.problems, ...own.problems].forEach(add);
  const defaults = { ...job.fields, ...own.fields };
  const used = new Set(Object.keys(defaults));

  let ignored = new Set<string>();
  const seen = new IdHashSet();
  let rowCount = 0;
  try {
    for await (const raw of source.rows((columns) => (ignored = checkHeader(columns, op, source.file, add, used)))) {
      rowCount++;
      const { row, problems: rowProblems } = checkRow(withoutColumns(raw, ignored), op, defaults, source.file);
      rowProblems.forEach(add);
      if (source.format === 'json') Object.keys(raw.cells).forEach((k) => op.fields[k] && used.add(k));
      if (!row) continue;
      const first = seen.addOrGet(row.id, row.line);
      if (first !== undefined) {
        add({ file: source.file, line: row.line, field: op.keyFields.join('/'), message: `duplicate ${op.keyFields.join('/')} "${row.id}", first seen on line ${first}` });
      }
    }
  } catch (error) {
    if (!(error instanceof CsvReadError)) throw error;
    add({ file: source.file, line: error.line, message: error.message });
  }
  if (rowCount === 0 && problemCount === 0) {
    add({ file: source.file, message: 'the manifest has no rows: nothing to do' });
  }
  const fieldsUsed = Object.keys(op.fields).filter((f) => used.has(f));
  return { problems, problemCount, rowCount, fieldsUsed, defaults };
}

function checkHeader(
  columns: string[],
  op: OperationDef,
  file: string,
  add: (p: Problem) => void,
  used: Set<string>,
): Set<string> {
  const ignored = new Set<string>();
  const at = (field: string | undefined, message: string) => add({ file, line: 1, field, message });
  for (const key of op.keyFields) {
    if (!columns.includes(key)) at(key, `the header has no "${key}" column (columns: ${columns.join(', ') || 'none'})`);
  }
  columns.forEach((name, i) => {
    if (name === '') {
      at(undefined, `column ${i + 1} has no name in the header`);
      ignored.add(name);
    } else if (columns.indexOf(name) !== i) {
      at(name, `column "${name}" appears twice in the header`);
    } else if (!op.keyFields.includes(name) && !op.fields[name]) {
      at(name, unknownFieldMessage(name, op));
      ignored.add(name);
    } else if (op.fields[name]) used.add(name);
  });
  return ignored;
}

function withoutColumns(raw: RawRow, ignored: Set<string>): RawRow {
  if (ignored.size === 0) return raw;
  const cells = { ...raw.cells };
  ignored.forEach((c) => delete cells[c]);
  return { line: raw.line, cells };
}

/** Second pass, for the run: the validated rows, streamed. The manifest must have passed validateManifest. */
export async function* manifestRows(source: ManifestSource, op: OperationDef, defaults: Fields): AsyncGenerator<ManifestRow> {
  for await (const raw of source.rows()) {
    const { row, problems } = checkRow(raw, op, defaults, source.file);
    if (!row) throw new Error(`${source.file} changed during the run: line ${raw.line}: ${problems[0]?.message}`);
    yield row;
  }
}

/** `users.csv:12 clidPolicy: "use dn" is not allowed: did you mean 'Use DN'?` */
export function formatProblem(p: Problem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}${p.field ? ` ${p.field}` : ''}: ${p.message}`;
}
