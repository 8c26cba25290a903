import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

/**
 * A report file written to `<name>.partial` and renamed into place when complete, so a reader never sees
 * half a report: a file either is whole or is not there.
 */
export class AtomicFile {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(readonly path: string) {
    this.stream = createWriteStream(`${path}.partial`);
    this.stream.on('error', (error) => (this.failure = error));
  }

  write(text: string): void {
    if (this.failure) throw this.failure;
    this.stream.write(text);
  }

  /** Resolves once the buffered text has gone to disk, so a long run of writes keeps memory flat. */
  async drained(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  async commit(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
    if (this.failure) throw this.failure;
    await rename(`${this.path}.partial`, this.path);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(`${this.path}.partial`, { force: true });
  }
}

/** Writes a whole small file atomically. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const file = new AtomicFile(path);
  file.write(text);
  await file.commit();
}
