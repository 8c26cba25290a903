// Links the CLI that tsc built (dist/cli.js and the modules it imports, dependencies included) into a few ES module
// files: the entry dist/odin-bulk.mjs, which package.json's "bin" names, and its chunks in dist/cli-chunks/.
//
// Why: Node 20 loads an ES module graph file by file. The CLI's graph (got, yargs, winston and their dependencies)
// is several hundred files, and reading and linking them took more than half of a short run's time (a 20-row run:
// about 0.9 s of CPU from dist/cli.js, 0.4 s from the chunks). Each command still loads only its own chunks (the
// dynamic imports in cli.ts become chunk boundaries). The library (dist/index.js) is left as tsc wrote it.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;
await rm(`${dist}/cli-chunks`, { recursive: true, force: true });
await rm(`${dist}/odin-bulk.mjs`, { force: true });
await build({
  entryPoints: { 'odin-bulk': `${root}dist/cli.js` },
  outdir: dist,
  chunkNames: 'cli-chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // Some dependencies (winston's, yargs') call require(); an ES module has none, so the chunks make one.
  banner: { js: "import { createRequire as __odinBulkRequire } from 'node:module'; const require = __odinBulkRequire(import.meta.url);" },
  logLevel: 'warning',
});
