import { closeSync, openSync, readSync } from 'node:fs';
import type { RowResult } from '../model/row-result.js';
import { cutPartialLine, scanLines } from '../records/ndjson-file.js';

/**
 * A row's journal entry whose result stands: a resume keeps it and does not send the row again.
 * skipped = never started; INTERRUPTED = cut short in flight (it may or may not have been written): both are redone,
 * and so are failed rows when the operator asks (--retry-failed). Redoing is safe: the row is read and compared first.
 */
export function isFinished(r: Pick<RowResult, 'status' | 'errorCode'>, retryFailed = false): boolean {
  return r.status !== 'skipped' && r.errorCode !== 'INTERRUPTED' && !(retryFailed && r.status === 'failed');
}

export class JournalDamaged extends Error {
  constructor(readonly lineNumber: number, reason: string) {
    super(`line ${lineNumber} of the journal is damaged: ${reason}`);
  }
}

type Entry = { offset: number; length: number; id: string };

/**
 * The journal of an earlier attempt (journal.ndjson, one RowResult per line, completion order), indexed by manifest
 * line. Only the last entry of each manifest line counts (a resumed row appends a newer one). Holds byte offsets, not
 * results, so a 200,000-row journal costs a few MB; a result is read back when its row comes up.
 */
export class JournalIndex {
  private constructor(
    private readonly fd: number,
    private readonly entries: Map<number, Entry>,
    /** Manifest lines whose last entry stands. */
    readonly finishedCount: number,
    /** Bytes of a half-written last line that were cut off (a crash mid-write). */
    readonly repairedBytes: number,
  ) {}

  /**
   * Opens and indexes the journal. A half-written last line (the process died while writing it) is cut off so
   * new lines start clean; a damaged line anywhere else throws JournalDamaged.
   */
  static async open(file: string, options: { retryFailed?: boolean } = {}): Promise<JournalIndex> {
    const repairedBytes = await cutPartialLine(file);
    const entries = new Map<number, Entry>();
    const fd = openSync(file, 'r');
    try {
      await scanLines(fd, (text, offset, length, lineNumber) => {
        const r = parseEntry(text, lineNumber);
        if (isFinished(r, options.retryFailed)) entries.set(r.line, { offset, length, id: r.id });
        else entries.delete(r.line);
      });
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new JournalIndex(fd, entries, entries.size, repairedBytes);
  }

  /** The standing result for a manifest line, or undefined when the row must be run. */
  finished(line: number): RowResult | undefined {
    const entry = this.entries.get(line);
    if (!entry) return undefined;
    const buffer = Buffer.alloc(entry.length);
    readSync(this.fd, buffer, 0, entry.length, entry.offset);
    return withRequests(JSON.parse(buffer.toString('utf8')) as RowResult & { attempts?: number });
  }

  /** The display id recorded for a manifest line, to check the journal belongs to this manifest. */
  idOf(line: number): string | undefined {
    return this.entries.get(line)?.id;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** A journal written by an earlier version counts a row's requests as `attempts`: read it under today's name. */
function withRequests(r: RowResult & { attempts?: number }): RowResult {
  if (r.attempts === undefined) return r;
  const { attempts, ...rest } = r;
  return { ...rest, requests: typeof rest.requests === 'number' ? rest.requests : attempts };
}

function parseEntry(text: string, lineNumber: number): RowResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JournalDamaged(lineNumber, 'not JSON');
  }
  const r = value as Partial<RowResult> | null;
  if (!r || typeof r !== 'object' || !Number.isInteger(r.line) || typeof r.id !== 'string' || typeof r.status !== 'string') {
    throw new JournalDamaged(lineNumber, 'not a row result (line, id and status expected)');
  }
  return r as RowResult;
}
