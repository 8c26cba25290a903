import { readFileSync } from 'node:fs';

/**
 * odin-bulk's own version, from its own package.json (one folder above dist/ and src/), wherever it is run from:
 * yargs' default would read the package.json nearest the working directory, i.e. the user's project's.
 */
export const VERSION: string = readOwnVersion();

function readOwnVersion(): string {
  const file = new URL('../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
  if (pkg.name !== 'odin-bulk' || typeof pkg.version !== 'string') {
    throw new Error(`internal: ${file.pathname} is not odin-bulk's package.json (name ${String(pkg.name)}, version ${String(pkg.version)})`);
  }
  return pkg.version;
}
