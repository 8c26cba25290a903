import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';

/** Text gathered before it goes to the file stream: one write per 64 KB, not one per row (each is a syscall). */
const CHUNK_CHARS = 64 * 1024;

/**
 * A report file written to `<name>.partial` and renamed into place when complete, so a reader never sees
 * half a report: a file either is whole or is not there. Lines are gathered into 64 KB chunks, since the file
 * is read only once it is committed. A file whose head is known only at the end (report.html, junit.xml) gathers
 * its rows in a second AtomicFile, a part that is never renamed: the head is written, then the part's bytes are
 * appended (`append`), then the tail.
 */
export class AtomicFile {
  private readonly stream: WriteStream;
  private failure: Error | undefined;
  private pending = '';

  constructor(readonly path: string) {
    this.stream = createWriteStream(`${path}.partial`);
    this.stream.on('error', (error) => (this.failure = error));
  }

  write(text: string): void {
    if (this.failure) throw this.failure;
    this.pending += text;
    if (this.pending.length >= CHUNK_CHARS) this.flush();
  }

  private flush(): void {
    if (!this.pending) return;
    this.stream.write(this.pending);
    this.pending = '';
  }

  /** Resolves once the buffered text has gone to disk, so a long run of writes keeps memory flat. */
  async drained(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  async commit(): Promise<void> {
    await this.close();
    await rename(`${this.path}.partial`, this.path);
  }

  /** Ends the text, left at `<name>.partial` (a part, for another file to `append`; `discard` removes it). */
  async close(): Promise<void> {
    // A stream that failed already will never finish.
    if (this.failure) throw this.failure;
    this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    if (this.failure) throw this.failure;
  }

  /** Closes `part` and appends its bytes as they are, streamed (never held whole, never decoded). */
  async append(part: AtomicFile): Promise<void> {
    this.flush();
    await part.close();
    for await (const chunk of createReadStream(`${part.path}.partial`)) {
      if (this.failure) throw this.failure;
      if (!this.stream.write(chunk as Buffer)) await once(this.stream, 'drain');
    }
  }

  async discard(): Promise<void> {
    this.pending = '';
    // The stream opens its file asynchronously: remove the file only once the stream has closed it, or an open
    // still under way would make it again after the removal.
    if (!this.stream.closed) {
      await new Promise<void>((resolve) => {
        this.stream.once('close', resolve);
        this.stream.destroy();
      });
    }
    await rm(`${this.path}.partial`, { force: true });
  }
}

/** Writes a whole small file atomically. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const file = new AtomicFile(path);
  file.write(text);
  await file.commit();
}

/**
 * Writes a file atomically around a part gathered earlier: `head` (known only now), the part's bytes, then `tail`.
 * The part is removed either way; on failure the file is not there and nothing else is left behind.
 */
export async function writeAround(path: string, head: string, part: AtomicFile, tail: string): Promise<void> {
  const file = new AtomicFile(path);
  try {
    file.write(head);
    await file.append(part);
    file.write(tail);
    await file.commit();
  } catch (error) {
    await file.discard();
    throw error;
  } finally {
    await part.discard();
  }
}
