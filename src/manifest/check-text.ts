import { createReadStream } from 'node:fs';

/** What a manifest with nothing in it gets: an empty file, or a JSON manifest of only white space. */
export const EMPTY_FILE = 'the file is empty: expected a header row with the key columns (userId, or serviceProviderId and groupId) and fields';

/** The answer of checkTextFile: undefined when the file is UTF-8 text, else a message and the line it is about. */
export type TextProblem = { line: number; message: string };

/** How much of the file each check looks at in turn: a file stream's chunk. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Refuses files that are not UTF-8 text before a parser turns them into confusing errors or, worse, into
 * replacement characters sent to the server: UTF-16 (a spreadsheet's "Unicode text"), binary files, other
 * encodings (Latin-1, Windows-1252). Reads the whole file once, streaming.
 */
export async function checkTextFile(file: string): Promise<TextProblem | undefined> {
  return checkText(createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>);
}

/** The same check of a file already in memory, in the pieces the stream would read, so it finds the same problem. */
export function checkTextBytes(bytes: Buffer): Promise<TextProblem | undefined> {
  return checkText(piecesOf(bytes));
}

function* piecesOf(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
}

async function checkText(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<TextProblem | undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let first = true;
  for await (const chunk of chunks) {
    if (first) {
      first = false;
      const utf16 = looksLikeUtf16(chunk);
      if (utf16) return { line: 1, message: `the file is UTF-16 text${utf16}; save it as UTF-8 (in Excel: "CSV UTF-8")` };
    }
    const nul = chunk.indexOf(0);
    if (nul >= 0) {
      return { line: line + count(chunk.subarray(0, nul)), message: 'the file is not text (it contains NUL bytes); expected a UTF-8 CSV or JSON file' };
    }
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      return { line: line + count(chunk.subarray(0, firstInvalid(chunk))), message: 'the file is not valid UTF-8 text (another encoding, such as Latin-1?); save it as UTF-8' };
    }
    line += count(chunk);
  }
  try {
    decoder.decode();
  } catch {
    return { line, message: 'the file ends in the middle of a UTF-8 character; save it as UTF-8' };
  }
  return undefined;
}

/** ' (with a byte-order mark)', ' (without a byte-order mark)', or '' when it is not UTF-16. */
function looksLikeUtf16(head: Buffer): string {
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return ' (with a byte-order mark)';
  // ASCII text in UTF-16 has a zero in every other byte.
  const pairs = Math.min(256, Math.floor(head.length / 2));
  if (pairs < 2) return '';
  let even = 0;
  let odd = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) even++;
    if (head[2 * i + 1] === 0) odd++;
  }
  return Math.max(even, odd) >= pairs * 0.8 && Math.min(even, odd) <= pairs * 0.1 ? ' (without a byte-order mark)' : '';
}

/** Offset of the first byte that makes this chunk invalid UTF-8 (a chunk cut inside a character is not). */
function firstInvalid(chunk: Buffer): number {
  let lo = 0;
  let hi = chunk.length;
  // The longest valid prefix, by bisection; a prefix cut inside a character is still "valid so far".
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

function count(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
  return n;
}
