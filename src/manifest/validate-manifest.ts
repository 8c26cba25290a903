import type { Fields, OperationDef } from '../operations/types.js';
import { suggest } from '../operations/coerce-value.js';
import { isField } from '../operations/field-lookup.js';
import { rowGateWarnings } from '../operations/gate-warnings.js';
import { checkDefaults, checkRow, NO_FIELDS_MESSAGE, unknownFieldMessage } from './check-row.js';
import { IdHashSet } from './id-hash-set.js';
import { ProblemList } from './problem-list.js';
import { scanRows } from './scan-rows.js';

export { otherDelimiter } from './scan-rows.js';
import { escapeInvisible } from './invisible.js';
import { groupColumnsOf, groupOfCells } from './group-columns.js';
import type { ManifestRow, ManifestSource, Problem, RawRow } from './types.js';
import { KeptRows, READ_ONCE_LIMIT, type ReadOnceLimit } from './read-once.js';
import { iterate } from '../util/iterate.js';
import { manifestChanged } from './manifest-changed.js';

export { MAX_LISTED_PROBLEMS } from './problem-list.js';

export type ManifestCheck = {
  problems: Problem[];
  problemCount: number;
  /** Things that may be intended but probably are not (a row that turns off the gate of a field it sets). */
  warnings: Problem[];
  warningCount: number;
  rowCount: number;
  /** Rows this run will process: those `select` keeps (its --shard); all rows without one. */
  selectedCount: number;
  /** Fields the manifest (and its defaults) set, in the operation's field order: the report columns. */
  fieldsUsed: string[];
  /** Validated defaults: job file's, overridden by the manifest's own. */
  defaults: Fields;
  /** Rows that name their user's group (serviceProviderId and groupId columns of a user manifest). */
  groupedRows: number;
  /**
   * The rows as checked, each with its group, when the manifest is within the `readOnce` limit and has no problem:
   * what the run sends (`checkedRows`). Undefined for a larger manifest, which the run streams again.
   */
  kept?: ManifestRow[];
};

/**
 * First pass over the whole manifest, before any request: every problem with file, line and field.
 * Streams the rows and keeps what the checks need: a 64-bit hash of each id seen, for duplicates; and, for a
 * manifest within `readOnce` (READ_ONCE_LIMIT unless given), the checked rows themselves, for the run.
 */
export async function validateManifest(
  source: ManifestSource,
  op: OperationDef,
  jobDefaults: { values: Record<string, unknown>; file: string },
  options: { strictGates?: boolean; select?: (id: string) => boolean; readOnce?: ReadOnceLimit } = {},
): Promise<ManifestCheck> {
  const readOnce = options.readOnce ?? READ_ONCE_LIMIT;
  const problemList = new ProblemList();
  const { add } = problemList;
  const warningList = new ProblemList();
  const warn = (p: Problem) => {
    if (options.strictGates) return add({ ...p, message: `${p.message} (refused: --strict-gates)` });
    warningList.add(p);
  };

  const job = checkDefaults(jobDefaults.values, op, jobDefaults.file);
  const own = checkDefaults(source.defaults, op, source.file);
  [...job.problems, ...own.problems].forEach(add);
  const defaults = { ...job.fields, ...own.fields };
  const used = new Set(Object.keys(defaults));

  let ignored = new Set<string>();
  // A user's group (serviceProviderId, groupId) may sit beside the fields: never set, read by --wave-order spread.
  const groupColumns = groupColumnsOf(op);
  let keyless = false;
  const seen = new IdHashSet();
  /** The same ids lower-cased: two that differ only in case are one BroadWorks user. */
  const seenFolded = new IdHashSet();
  let selectedCount = 0;
  let groupedRows = 0;
  const kept = new KeptRows<ManifestRow>(source.size, readOnce);
  const keyName = op.keyFields.join('/');
  /** The columns a row's check passes over: the group's, and those the header already reported. */
  let skipped: ReadonlySet<string> = new Set(groupColumns);
  const onHeader = (columns: string[]) => {
    ignored = checkHeader(columns.filter((c) => !groupColumns.includes(c)), op, source.file, add, used);
    keyless = op.keyFields.some((k) => !columns.includes(k));
    skipped = new Set([...ignored, ...groupColumns]);
  };
  const onRow = (raw: RawRow) => {
    if (raw.broken) {
      add({ file: source.file, line: raw.line, message: raw.broken });
      return;
    }
    if (keyless) return; // the header problem says it once; every row would repeat "userId is empty"
    const { row, id, problems: rowProblems } = checkRow(raw, op, defaults, source.file, skipped);
    // A row whose only values sit in unknown columns is not "empty": the header problem already covers it.
    const inIgnored = ignored.size > 0 && [...ignored].some((c) => raw.cells[c] !== undefined && raw.cells[c] !== '');
    for (const p of rowProblems) if (!(inIgnored && p.message === NO_FIELDS_MESSAGE)) add(p);
    if (source.format === 'json') Object.keys(raw.cells).forEach((k) => isField(op, k) && used.add(k));
    if (row) for (const w of rowGateWarnings(op, row.fields)) warn({ file: source.file, line: row.line, path: raw.path, ...w });
    if (id === undefined) return;
    if (!options.select || options.select(id)) selectedCount++;
    const group = groupColumns.length ? groupOfCells(raw.cells) : undefined;
    if (group !== undefined) groupedRows++;
    kept.add(row && (group === undefined ? row : { ...row, group }));
    const first = seen.addOrGet(id, raw.line);
    // userIds only: whether BroadWorks folds the case of provider and group ids is not something to guess.
    const firstFolded = first === undefined && keyName === 'userId' ? seenFolded.addOrGet(id.toLowerCase(), raw.line) : undefined;
    if (first !== undefined) {
      add({ file: source.file, line: raw.line, path: raw.path, field: keyName, message: `duplicate ${keyName} "${id}", first seen on line ${first}` });
    } else if (firstFolded !== undefined) {
      add({
        file: source.file,
        line: raw.line,
        path: raw.path,
        field: keyName,
        message: `${keyName} "${id}" differs only in case from the ${keyName} on line ${firstFolded}: that is one user to BroadWorks, written twice ` +
          '(and the rollback would restore the value in between); keep one of the two rows',
      });
    }
  };
  const { rowCount, sharedLines } = await scanRows(source, add, onRow, onHeader);
  if (rowCount === 0 && problemList.count === 0) {
    add({ file: source.file, message: 'the manifest has no rows: nothing to do' });
  }
  const problems = problemList.listed;
  const warnings = warningList.listed;
  if (!sharedLines) for (const p of [...problems, ...warnings]) delete p.path;
  const fieldsUsed = Object.keys(op.fields).filter((f) => used.has(f));
  return {
    problems,
    problemCount: problemList.count,
    warnings,
    warningCount: warningList.count,
    rowCount,
    selectedCount,
    fieldsUsed,
    defaults,
    groupedRows,
    ...(kept.rows && problemList.count === 0 ? { kept: kept.rows } : {}),
  };
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
  const misnamed = new Set<string>();
  for (const key of op.keyFields) {
    if (columns.includes(key)) continue;
    // "user" or "UserID" for userId: one message that says what to rename, not two.
    const lookalike = columns.find((c) => !isField(op, c) && !op.keyFields.includes(c) && suggest(c, op.keyFields) === key);
    if (lookalike !== undefined) misnamed.add(lookalike);
    at(key, `the header has no "${key}" column${lookalike !== undefined ? `: rename "${lookalike}" to "${key}"` : ''} (columns: ${columns.join(', ') || 'none'})`);
  }
  columns.forEach((name, i) => {
    if (misnamed.has(name)) {
      ignored.add(name);
    } else if (name === '') {
      at(undefined, `column ${i + 1} has no name in the header`);
      ignored.add(name);
    } else if (columns.indexOf(name) !== i) {
      at(name, `column "${name}" appears twice in the header`);
    } else if (!op.keyFields.includes(name) && !isField(op, name)) {
      at(name, unknownFieldMessage(name, op));
      ignored.add(name);
    } else if (isField(op, name)) used.add(name);
  });
  return ignored;
}

/**
 * The rows a run sends, once the manifest has passed validateManifest: the rows validation kept, or, for a manifest
 * beyond the `readOnce` limit, a second pass over the file (manifestRows). Kept rows are what was validated,
 * whatever the file holds by now: they are not read again, so "changed during the run" cannot apply to them.
 */
export function checkedRows(source: ManifestSource, op: OperationDef, check: Pick<ManifestCheck, 'kept' | 'defaults'>): AsyncIterable<ManifestRow> {
  return check.kept ? iterate(check.kept) : manifestRows(source, op, check.defaults);
}

/**
 * Second pass, for the run: the validated rows, streamed, each with its group when the manifest gives one (a user
 * manifest's serviceProviderId and groupId). The manifest must have passed validateManifest; a row that no longer
 * passes means the file changed since, and stops the run (EABORTED, exit 4).
 */
export async function* manifestRows(source: ManifestSource, op: OperationDef, defaults: Fields): AsyncGenerator<ManifestRow> {
  const groupColumns = new Set(groupColumnsOf(op));
  for await (const raw of source.rows()) {
    const { row, problems } = checkRow(raw, op, defaults, source.file, groupColumns);
    if (!row) throw manifestChanged(source.file, 'run', raw.line, problems[0]?.message);
    const group = groupColumns.size ? groupOfCells(raw.cells) : undefined;
    yield group === undefined ? row : { ...row, group };
  }
}

/**
 * `users.csv:12 clidPolicy: "use dn" is not allowed: did you mean 'Use DN'?`; in a JSON file written on one line,
 * `users.json:1 rows[3].clidPolicy: …` (the row's place beside the line).
 */
export function formatProblem(p: Problem): string {
  const where = [p.path, p.field].filter((part) => part !== undefined && part !== '').join('.');
  // A character nobody can see is shown as \uXXXX, wherever it is (a value, a column name).
  return escapeInvisible(`${p.file}${p.line ? `:${p.line}` : ''}${where ? ` ${where}` : ''}: ${p.message}`);
}
