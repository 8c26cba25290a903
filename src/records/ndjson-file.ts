import { createReadStream, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/* Append-only NDJSON files written a line at a time (journal.ndjson, writes.ndjson): repair and scan. */

/** Cuts a last line that has no newline; returns the bytes removed. */
export async function cutPartialLine(file: string): Promise<number> {
  const handle = await open(file, 'r+');
  try {
    const { size } = await handle.stat();
    let end = size;
    const chunk = Buffer.alloc(64 * 1024);
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const at = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (at >= 0) {
        end = start + at + 1;
        break;
      }
      end = start;
    }
    if (end < size) await handle.truncate(end);
    return size - end;
  } finally {
    await handle.close();
  }
}

/** Calls `each` for every non-empty line with its byte offset and length (without the newline). */
export async function scanLines(fd: number, each: (text: string, offset: number, length: number, lineNumber: number) => void): Promise<void> {
  const chunk = Buffer.alloc(256 * 1024);
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  let position = 0;
  let lineNumber = 0;
  for (;;) {
    const bytesRead = readSync(fd, chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
      lineNumber++;
      if (nl > start) each(data.toString('utf8', start, nl), carryOffset + start, nl - start, lineNumber);
      start = nl + 1;
    }
    carry = Buffer.from(data.subarray(start));
    carryOffset += start;
    // Let other work run between chunks of a large journal.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Every non-empty line of an NDJSON file, streamed, with its 1-based number (empty lines count, as in scanLines).
 * A last line without a newline comes with `partial: true`: a write cut short (see cutPartialLine).
 */
export async function* ndjsonLines(file: string): AsyncGenerator<{ text: string; lineNumber: number; partial: boolean }> {
  let carry = Buffer.alloc(0);
  let lineNumber = 0;
  for await (const chunk of createReadStream(file)) {
    const data = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
      lineNumber++;
      if (nl > start) yield { text: data.toString('utf8', start, nl), lineNumber, partial: false };
      start = nl + 1;
    }
    carry = Buffer.from(data.subarray(start));
  }
  if (carry.length) yield { text: carry.toString('utf8'), lineNumber: lineNumber + 1, partial: true };
}
