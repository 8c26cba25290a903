import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

/** `user00001@sim.odin.test`, the simulator's seeded ids. */
export const simUser = (i: number) => `user${String(i).padStart(5, '0')}@sim.odin.test`;

/**
 * Writes a CSV manifest for users 1..rows. Every row sets maxSimultaneousCalls to `value` (with its gates), a value
 * the simulator never seeds; a different `value` per run makes every row a real change: one GET and one PUT.
 */
export async function writeManifest(dir: string, name: string, rows: number, value: number): Promise<string> {
  const file = join(dir, `${name}.csv`);
  const out = createWriteStream(file);
  out.write('userId,useUserCallLimitsSetting,useMaxSimultaneousCalls,maxSimultaneousCalls\n');
  for (let i = 1; i <= rows; i++) {
    if (!out.write(`${simUser(i)},true,true,${value}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}

/** The same manifest as JSON, `{"defaults": {...}, "rows": [{"userId": …}, …]}`, one row a line. */
export async function writeJsonManifest(dir: string, name: string, rows: number, value: number): Promise<string> {
  const file = join(dir, `${name}.json`);
  const out = createWriteStream(file);
  out.write(`{"defaults": {"useUserCallLimitsSetting": true, "useMaxSimultaneousCalls": true},\n "rows": [\n`);
  for (let i = 1; i <= rows; i++) {
    const row = `  {"userId": "${simUser(i)}", "maxSimultaneousCalls": ${value}}${i < rows ? ',' : ''}\n`;
    if (!out.write(row)) await once(out, 'drain');
  }
  out.end(']}\n');
  await once(out, 'finish');
  return file;
}
