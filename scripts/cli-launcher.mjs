#!/usr/bin/env node
// The `odin-bulk` command (package.json's "bin"; `npm run build` copies this file to dist/odin-bulk.mjs). It loads
// the bundled CLI, dist/odin-bulk.cjs, with the V8 code cache made for it at build time, dist/odin-bulk.cache, so
// that V8 does not compile the same code again at every start (scripts/bundle-cli.mjs says why and how). Without the
// cache, or when V8 refuses it (another Node version), the bundle is compiled as any script is.
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const argv = process.argv.slice(2);
if (argv.length === 1 && argv[0] === '--version') {
  // What the CLI prints (its own package.json's version: this file is in its dist/), without loading the CLI, which
  // was 40 % of this command's time.
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const bundle = fileURLToPath(new URL('./odin-bulk.cjs', import.meta.url));
  let cachedData;
  try {
    cachedData = readFileSync(new URL('./odin-bulk.cache', import.meta.url));
  } catch {
    cachedData = undefined;
  }
  // The build writes the bundle in ASCII: read as latin1, it is the same text, without decoding UTF-8.
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'latin1')), { filename: bundle, cachedData });
  const cli = { exports: {} };
  script.runInThisContext().call(cli.exports, cli.exports, Module.createRequire(bundle), cli, bundle, dirname(bundle));
  process.exitCode = await cli.exports.main(argv);
}
