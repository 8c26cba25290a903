import { createReadStream, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { JobError } from '../model/errors.js';
import { formatProblem } from '../manifest/validate-manifest.js';
import { listedLines } from '../manifest/problem-list.js';
import type { Problem } from '../manifest/types.js';
import type { OperationDef } from '../operations/types.js';
import { jsonSyntaxError } from '../util/json-syntax.js';
import { checkPlanHeader } from '../records/plan-file.js';
import { PLAN_FILE, type PlanHeader } from '../records/plan-file.js';

/** A line of plan.json's rows list, parsed (not yet checked), with its line number in plan.json (0: a plan read whole). */
export type PlanLine = { at: number; raw: unknown; notJson?: boolean };

export type OpenedPlan = {
  file: string;
  /** The folder the plan is in: apply's reports go below it by default. */
  dir: string;
  header: PlanHeader;
  op: OperationDef;
  /** Streams the rows; can be iterated more than once (check, then apply). */
  rows(): AsyncGenerator<PlanLine>;
};

/** Plans larger than this are only read in odin-bulk's own one-row-per-line layout. */
const MAX_WHOLE_PLAN_BYTES = 256 * 1024 * 1024;
const ROWS_OPEN = /^\s*"rows"\s*:\s*\[\s*$/;

/**
 * Opens `target` (a plan folder, or a plan.json file) and checks its header. Anything unusable is a
 * JobError EPLAN (exit 2) that says what to do. Rows are streamed in the layout PlanWriter writes; a plan
 * reformatted by another tool is still read, whole, if it is of a sensible size.
 */
export async function openPlan(target: string): Promise<OpenedPlan> {
  const file = (await stat(target).catch(() => undefined))?.isDirectory() ? join(target, PLAN_FILE) : target;
  const info = await stat(file).catch(() => undefined);
  if (!info) {
    throw new JobError('EPLAN', `${file} does not exist: there is no plan to apply`, [
      'Make one with: odin-bulk plan <job> --out DIR   (then review DIR/plan.json and run: odin-bulk apply DIR)',
    ]);
  }
  if (!info.isFile()) {
    // /dev/null, a named pipe, a plan.json that is a folder: there, but no plan.
    throw new JobError('EPLAN', `${file} is not a plan folder or a plan.json file (it is ${fileKind(info)})`, [
      'Give apply the folder that `odin-bulk plan --out DIR` wrote, or the plan.json in it.',
    ]);
  }
  const streamed = await readStreamedHead(file);
  if (streamed) return opened(file, streamed.header, () => streamRows(file, streamed.rowsLine));

  if (info.size > MAX_WHOLE_PLAN_BYTES) {
    throw planError(file, [{ file, message: 'not in the layout odin-bulk writes (one row per line), and too large to read whole' }]);
  }
  let data: unknown;
  const text = await readFile(file, 'utf8');
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw planError(file, [{ file, ...jsonSyntaxError(text, (error as Error).message) }]);
  }
  const rows = (data as { rows?: unknown })?.rows;
  if (!Array.isArray(rows)) throw planError(file, [{ file, field: 'rows', message: 'must be a list of rows' }]);
  return opened(file, data, async function* () {
    for (const raw of rows) yield { at: 0, raw };
  });
}

/** What a path that is not a regular file is, in words. */
function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a named pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function opened(file: string, rawHeader: unknown, rows: () => AsyncGenerator<PlanLine>): OpenedPlan {
  const checked = checkPlanHeader(rawHeader, file);
  if ('problems' in checked) throw planError(file, checked.problems);
  return { file, dir: dirname(file), header: checked.header, op: checked.op, rows };
}

export function planError(file: string, problems: Problem[], count = problems.length): JobError {
  return new JobError('EPLAN', `${file} cannot be applied (${count} problem${count === 1 ? '' : 's'}); nothing was sent`, listedLines(problems, count, formatProblem));
}

/** The header of a plan in PlanWriter's layout (one row per line), or undefined when it is laid out otherwise. */
async function readStreamedHead(file: string): Promise<{ header: unknown; rowsLine: number } | undefined> {
  const head: string[] = [];
  let rowsLine: number | undefined;
  for await (const line of lines(file)) {
    if (rowsLine === undefined) {
      head.push(line);
      if (ROWS_OPEN.test(line)) rowsLine = head.length;
      else if (head.length > 100) return undefined;
      continue;
    }
    // The first row line tells the layout: a whole row (or the end of the list) on one line.
    const text = line.trim().replace(/,$/, '');
    if (text === '') continue;
    if (!text.startsWith(']') && parseRow(text, 0).notJson) return undefined;
    break;
  }
  if (rowsLine === undefined) return undefined;
  try {
    return { header: JSON.parse(`${head.slice(0, -1).join('\n')}\n"rows": []}`), rowsLine };
  } catch {
    return undefined;
  }
}

async function* streamRows(file: string, rowsLine: number): AsyncGenerator<PlanLine> {
  let at = 0;
  for await (const line of lines(file)) {
    at++;
    if (at <= rowsLine) continue;
    const text = line.trim().replace(/,$/, '');
    if (text === '') continue;
    if (text.startsWith(']')) return;
    yield parseRow(text, at);
  }
  throw planError(file, [{ file, line: at, message: 'the rows list is never closed: the file is cut short' }]);
}

function parseRow(text: string, at: number): PlanLine {
  try {
    return { at, raw: JSON.parse(text) };
  } catch {
    return { at, raw: text, notJson: true };
  }
}

/** The file's lines; stopping early closes the file. */
async function* lines(file: string): AsyncGenerator<string> {
  const input = createReadStream(file, 'utf8');
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    yield* rl;
  } finally {
    rl.close();
    input.destroy();
  }
}
