import { stringify } from 'csv-stringify/sync';
import { AtomicFile } from '../records/atomic-file.js';

/** Rows gathered before csv-stringify turns them into text: its sync API sets itself up anew on each call. */
const BATCH_ROWS = 256;

/**
 * A CSV report written atomically (an AtomicFile): a header, then rows of cells already escaped (csvCell), turned into
 * CSV text by csv-stringify a batch at a time rather than a line at a time. `redact` is applied to the rows' text
 * (a secret a server echoed back must not reach the file); the header is written as it is.
 */
export class CsvFile {
  private readonly file: AtomicFile;
  private rows: string[][] = [];

  constructor(path: string, header: readonly string[], private readonly redact: (text: string) => string = (text) => text) {
    this.file = new AtomicFile(path);
    this.file.write(stringify([header as string[]]));
  }

  row(cells: string[]): void {
    this.rows.push(cells);
    if (this.rows.length >= BATCH_ROWS) this.flush();
  }

  async commit(): Promise<void> {
    this.flush();
    await this.file.commit();
  }

  private flush(): void {
    if (this.rows.length === 0) return;
    const text = stringify(this.rows);
    this.rows = [];
    this.file.write(this.redact(text));
  }
}
