import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The simulator's seeded user n (1-based): `user00001@sim.odin.test`. */
export const simUser = (n: number) => `user${String(n).padStart(5, '0')}@sim.odin.test`;

/** `count` seeded simulator user ids, from user `first` (1-based). */
export function simUsers(count: number, first = 1): string[] {
  return Array.from({ length: count }, (_, i) => simUser(first + i));
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Writes a CSV manifest `name` in `dir` from a header and rows of cells; returns its path. */
export async function writeCsvManifest(dir: string, name: string, header: string[], rows: (string | number | boolean)[][]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, [header, ...rows].map((cells) => cells.join(',')).join('\n') + '\n');
  return file;
}

/** The text of a CLID manifest of simulator users (1-based numbers) moving to Use Configurable CLID, plus `extra` lines. */
export function clidManifest(numbers: readonly number[], extra: string[] = []): string {
  const rows = numbers.map((n) => `${simUser(n)},true,Use Configurable CLID,Use DN`);
  return ['userId,useUserCLIDSetting,clidPolicy,emergencyClidPolicy', ...rows, ...extra].join('\n') + '\n';
}

/** A manifest of seeded users 1..rows setting maxSimultaneousCalls (with its gates) to `value`: users.csv in `dir`. */
export async function callLimitsManifest(dir: string, rows: number, value: number): Promise<string> {
  return writeCsvManifest(dir, 'users.csv', ['userId', 'useUserCallLimitsSetting', 'useMaxSimultaneousCalls', 'maxSimultaneousCalls'], simUsers(rows).map((u) => [u, true, true, value]));
}

/** Fast settings for runs against the local simulator. */
export const FAST = ['--rate', '0', '--retries', '0', '--concurrency', '8'];
