// Builds the `odin-bulk` command: src/cli.ts and everything it imports, dependencies included, linked by esbuild into
// a few ES module files: the entry dist/odin-bulk.mjs, which package.json's "bin" names, and its chunks in
// dist/cli-chunks/. `npm run build` runs it after tsc (which writes the library, dist/**/*.js and .d.ts).
//
// Why: Node 20 loads an ES module graph file by file. The CLI's graph (got, yargs, winston and their dependencies)
// is several hundred files, and reading and linking them took more than half of a short run's time (a 20-row run:
// about 0.9 s of CPU from tsc's dist/cli.js, 0.4 s from the chunks). Each command still loads only its own chunks
// (the dynamic imports in cli.ts become chunk boundaries).
//
// `--transpile` (npm test's pretest) also writes dist/**/*.js from src/ with esbuild instead of tsc: the same
// JavaScript (tsconfig has isolatedModules), in about a second instead of ten, without the .d.ts files and without
// type checking, which `npm run typecheck` does (.ci/run runs it before the tests).
import { build } from 'esbuild';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');

if (process.argv.includes('--transpile')) {
  const sources = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(src, f));
  await build({ entryPoints: sources, outdir: dist, outbase: src, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' });
}

await rm(join(dist, 'cli-chunks'), { recursive: true, force: true });
await rm(join(dist, 'odin-bulk.mjs'), { force: true });
await build({
  entryPoints: { 'odin-bulk': join(src, 'cli.ts') },
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
