import type { Logger } from '../logging/logger.js';
import type { Fields } from '../model/fields.js';
import type { RowResult, RowTarget } from '../model/row-result.js';
import type { RunInfo } from '../records/run-info.js';
import type { EarlierWrite } from '../records/write-log.js';
import { resumeVersionWarning } from '../report/version-check.js';
import type { JobOptions } from '../settings/job-options.js';
import { countOf } from '../util/plural.js';
import { checkJournalRow, checkResumable, openResume, type ResumeState } from './open-resume.js';

/**
 * `--resume DIR`, in one place: the folder is checked before the manifest is even validated, its journal opened
 * once the folder is locked, and then each row asks it whether an earlier attempt finished it (its result is kept)
 * or sent a PUT for it (whose "before" values are kept for rollback.csv).
 */
export class Resume {
  private state: ResumeState | undefined;

  private constructor(readonly dir: string, readonly info: RunInfo, private readonly retryFailed: boolean) {}

  /** Anything that would make the resumed reports lie is refused (ERESUME, exit 2); changes nothing. */
  static async check(dir: string, options: JobOptions, server: string): Promise<Resume> {
    return new Resume(dir, await checkResumable(dir, options, server), options.retryFailed ?? false);
  }

  /** After the folder is locked and the input validated: the defaults must still match; the journal is indexed. */
  async open(defaults: Fields): Promise<void> {
    this.state = await openResume(this.dir, this.info, defaults, this.retryFailed);
  }

  /** Rows the earlier attempts finished, whose results stand. */
  get finishedCount(): number {
    return this.state?.journal.finishedCount ?? 0;
  }

  /** The result that stands for this row, or undefined when it must be run; a journal of another manifest is ERESUME. */
  kept(row: RowTarget): RowResult | undefined {
    const { journal } = this.opened();
    checkJournalRow(journal, row.line, row.id, this.dir);
    return journal.finished(row.line);
  }

  /** The PUT an interrupted attempt sent for this row, if any. */
  earlierWrite(row: RowTarget): EarlierWrite | undefined {
    return this.opened().writes.get(row.line);
  }

  /** What the operator is told when the run resumes. */
  announce(log: Logger, rowCount: number): void {
    const { finishedCount, repairedBytes } = this.opened().journal;
    const toDo = rowCount - finishedCount;
    log.info(`Resuming ${this.dir}: ${finishedCount} of ${countOf(rowCount, 'row')} finished earlier and ${finishedCount === 1 ? 'is' : 'are'} kept; ${toDo} to do`);
    if (repairedBytes) log.warn(`the journal ended in a half-written line (${repairedBytes} bytes, a crash mid-write): cut off; that row is redone`);
    const otherVersion = resumeVersionWarning(this.dir, this.info.odinBulkVersion);
    if (otherVersion) log.warn(otherVersion);
  }

  close(): void {
    this.state?.journal.close();
  }

  private opened(): ResumeState {
    if (!this.state) throw new Error('internal: the resume was not opened');
    return this.state;
  }
}
