import { open } from 'node:fs/promises';

const SNIFF_BYTES = 64 * 1024;

/**
 * Refuses files that are not UTF-8 text before a parser turns them into confusing errors:
 * UTF-16 (a spreadsheet's "Unicode text"), binary files, invalid UTF-8. Returns a message, or undefined when fine.
 */
export async function checkTextFile(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      return 'the file is UTF-16 text; save it as UTF-8 (in Excel: "CSV UTF-8")';
    }
    if (head.includes(0)) return 'the file is not text (it contains NUL bytes); expected a UTF-8 CSV or JSON file';
    try {
      // stream: true tolerates a multi-byte character cut at the end of the sniffed block.
      new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: bytesRead === SNIFF_BYTES });
    } catch {
      return 'the file is not valid UTF-8 text; save it as UTF-8';
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
