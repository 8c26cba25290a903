import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../model/errors.js';
import { ndjsonLines } from '../records/ndjson-file.js';

/** A part's rows as its results.json has them: manifest line → `status id`, to check its journal against. */
export type ResultIndex = Map<number, string>;
export const resultEntry = (row: { status: string; id: string }): string => `${row.status} ${row.id}`;
/** The target (id) of an entry of a ResultIndex: a status has no space. */
const targetOf = (entry: string): string => entry.slice(entry.indexOf(' ') + 1);

/** A line of an NDJSON file read back: the manifest row it is about (and, for the journal, its status), or why it is not one. */
export type DecodedLine = { line: number; id: string; status?: string } | { problem: string };

export type NdjsonPart = { dir: string; results: ResultIndex };

export type JoinNdjson = {
  /** journal.ndjson or writes.ndjson */
  name: string;
  decode: (text: string) => DecodedLine;
  /**
   * `row` (the journal): a part's last line for a manifest row must be that row as its results.json has it (status
   * and target). `target` (writes.ndjson): each line must be about a row of the part's results.json, same target.
   */
  matchResults: 'row' | 'target';
  warn?: (message: string) => void;
};

/**
 * `name` of each part, one after the other, streamed into `outDir`; a part without one adds nothing. The merged
 * journal is what a `--resume` of the merged folder reads, so every line is checked as that resume would check it,
 * and a damaged one (not JSON, not a row, or a row of another part) refuses the merge (EINPUT, naming file and line)
 * rather than being copied in. The one exception is a last line without a newline: a write cut short by a crash.
 * `--resume` cuts such a line off (cutPartialLine) and redoes that row, or, in writes.ndjson, takes the PUT as never
 * sent; the merge leaves it out in the same way, with a warning, so it never ends up in the middle of the merged file.
 */
export async function joinNdjson(parts: readonly NdjsonPart[], outDir: string, how: JoinNdjson): Promise<void> {
  const out = createWriteStream(join(outDir, how.name));
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => {});
  // Checked lines are written in batches of about 64 KiB, not one write a line.
  let batch = '';
  const flush = async () => {
    const chunk = batch;
    batch = '';
    if (chunk && !out.write(chunk)) await Promise.race([once(out, 'drain'), failed]);
  };
  const write = async (line: string) => {
    batch += line;
    if (batch.length >= 64 * 1024) await flush();
  };
  try {
    for (const part of parts) {
      const file = join(part.dir, how.name);
      if (!(await isFile(file))) continue;
      // The journal's last line for each manifest row (a resumed row has several): what a resume would keep.
      const last = new Map<number, { lineNumber: number; entry: string }>();
      for await (const { text, lineNumber, partial } of ndjsonLines(file)) {
        if (partial) {
          how.warn?.(
            `${file}:${lineNumber}: the last line has no newline (${Buffer.byteLength(text)} bytes: a write cut short by a crash); ` +
              `left out of the merged ${how.name}, as --resume cuts such a line off`,
          );
          break;
        }
        const decoded = how.decode(text);
        if ('problem' in decoded) throw damaged(file, lineNumber, decoded.problem, how.name);
        if (how.matchResults === 'row') last.set(decoded.line, { lineNumber, entry: resultEntry({ status: decoded.status ?? '', id: decoded.id }) });
        else checkTarget(file, lineNumber, part, decoded);
        await write(`${text}\n`);
      }
      if (how.matchResults === 'row') checkAgainstResults(file, part, last, how.name);
    }
    await flush();
    out.end();
    await Promise.race([once(out, 'finish'), failed]);
  } finally {
    out.destroy();
  }
}

/**
 * A resume of the merged folder keeps each row's last journal line as the row's result, so that line must be the row
 * results.json reports (same status and target); a row of results.json without a journal line is only run again.
 */
function checkAgainstResults(file: string, part: NdjsonPart, last: Map<number, { lineNumber: number; entry: string }>, name: string): void {
  for (const [line, { lineNumber, entry }] of last) {
    const result = part.results.get(line);
    if (result === entry) continue;
    const problem =
      result === undefined
        ? `manifest line ${line} is not a row of ${join(part.dir, 'results.json')}`
        : `manifest line ${line} is "${entry}" here, "${result}" in ${join(part.dir, 'results.json')}`;
    throw new JobError('EINPUT', `${file}:${lineNumber}: ${problem}: this part's ${name} and results.json disagree (one of them is damaged); nothing was written`, [
      `A --resume of the merged folder would keep that line as the row's result, whatever the merged reports say.`,
      'Run that shard again into a new folder, then merge.',
    ]);
  }
}

/** A PUT record of writes.ndjson is about a row of its part: a --resume keeps its before values for that row's rollback. */
function checkTarget(file: string, lineNumber: number, part: NdjsonPart, decoded: { line: number; id: string }): void {
  const result = part.results.get(decoded.line);
  if (result !== undefined && targetOf(result) === decoded.id) return;
  const problem =
    result === undefined
      ? `manifest line ${decoded.line} is not a row of ${join(part.dir, 'results.json')}`
      : `manifest line ${decoded.line} is ${decoded.id} here, ${targetOf(result)} in ${join(part.dir, 'results.json')}`;
  throw new JobError('EINPUT', `${file}:${lineNumber}: ${problem}: this part's writes.ndjson and results.json disagree (one of them is damaged); nothing was written`, [
    'A --resume of the merged folder would take its values as the ones before a PUT to that row (for rollback.csv).',
    'Run that shard again into a new folder, then merge.',
  ]);
}

function damaged(file: string, lineNumber: number, problem: string, name: string): JobError {
  return new JobError('EINPUT', `${file}:${lineNumber}: ${problem}; this part's ${name} is damaged, nothing was written`, [
    `A --resume of the merged folder would read the merged ${name}: it must hold only whole lines of the parts' rows.`,
    'Run that shard again into a new folder, then merge.',
  ]);
}

const isFile = (path: string) => stat(path).then((s) => s.isFile(), () => false);
