import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes a CSV manifest `name` in `dir` from a header and rows of cells; returns its path. */
export async function writeCsvManifest(dir: string, name: string, header: string[], rows: (string | number | boolean)[][]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, [header, ...rows].map((cells) => cells.join(',')).join('\n') + '\n');
  return file;
}

/** `count` seeded simulator user ids, from user `first` (1-based). */
export function simUsers(count: number, first = 1): string[] {
  return Array.from({ length: count }, (_, i) => `user${String(first + i).padStart(5, '0')}@sim.odin.test`);
}
