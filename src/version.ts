import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * odin-bulk's own folder (where its package.json is), wherever it is run from: the nearest folder above this module
 * whose package.json is odin-bulk's (dist/, where the CLI's bundle is, and src/ sit one level below it).
 * yargs' default would read the package.json nearest the working directory, i.e. the user's project's.
 */
export const PACKAGE_ROOT: string = findPackageRoot();

/** odin-bulk's own version, from its own package.json. */
export const VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function findPackageRoot(): string {
  const tried: string[] = [];
  for (let dir = dirname(fileURLToPath(import.meta.url)), up = 0; up < 3; dir = dirname(dir), up++) {
    const file = join(dir, 'package.json');
    tried.push(file);
    let pkg: { name?: unknown; version?: unknown };
    try {
      pkg = JSON.parse(readFileSync(file, 'utf8')) as typeof pkg;
    } catch {
      continue;
    }
    if (pkg.name === 'odin-bulk' && typeof pkg.version === 'string') return dir;
  }
  throw new Error(`internal: odin-bulk's package.json is not where it was looked for (${tried.join(', ')})`);
}
