import { closeSync, openSync, readSync } from 'node:fs';
import { isPending, type RowResult } from '../model/row-result.js';
import { cutPartialLine, scanLines } from '../records/ndjson-file.js';
import { decodeJournalLine } from '../records/row-codec.js';

/**
 * A row's journal entry whose result stands: a resume keeps it and does not send the row again.
 * skipped = never started; waiting = held back by a canary or a wave; INTERRUPTED = cut short in flight (it may or may not have been written): both are redone,
 * and so are failed rows when the operator asks (--retry-failed). Redoing is safe: the row is read and compared first.
 */
export function isFinished(r: Pick<RowResult, 'status' | 'errorCode'>, retryFailed = false): boolean {
  return !isPending(r) && r.errorCode !== 'INTERRUPTED' && !(retryFailed && r.status === 'failed');
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
    const decoded = decodeJournalLine(buffer.toString('utf8'));
    if ('problem' in decoded) throw new JournalDamaged(0, decoded.problem);
    return decoded;
  }

  /** The display id recorded for a manifest line, to check the journal belongs to this manifest. */
  idOf(line: number): string | undefined {
    return this.entries.get(line)?.id;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function parseEntry(text: string, lineNumber: number): RowResult {
  const decoded = decodeJournalLine(text);
  if ('problem' in decoded) throw new JournalDamaged(lineNumber, decoded.problem);
  return decoded;
}
