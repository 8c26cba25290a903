// Builds the `odin-bulk` command: src/cli.ts and everything it imports, dependencies included, linked by esbuild into
// one CommonJS file, dist/odin-bulk.cjs; V8's code cache for it, dist/odin-bulk.cache; and the launcher that
// package.json's "bin" names, dist/odin-bulk.mjs (a copy of scripts/cli-launcher.mjs), which loads the one with the
// other. `npm run build` runs this after tsc (which writes the library, dist/**/*.js and .d.ts).
//
// Why (a short command is mostly start-up, and the CLI tests spawn it some 400 times):
// - Node 20 loads an ES module graph file by file; the CLI's graph (got, yargs, winston and theirs) is several hundred
//   files, more than half of a short run. One bundle is one file. A command's own code is still evaluated only when
//   that command runs: esbuild turns cli.ts's dynamic imports into lazy module initialisers.
// - Most of what is left is V8 compiling that code, again at every start. Node 20 can give V8 a code cache only for
//   a CommonJS script (vm.Script's cachedData; ES modules get one from Node 22 on), hence the CommonJS bundle. The
//   cache is made here, at build time, after running `demo` and `validate` in this process so that it holds the
//   functions a run compiles, not only the top level. It is read-only at run time: nothing is written beside the
//   installed package. When V8 refuses it (another Node version), the launcher compiles as before.
// - string-width (under yargs and cliui) makes an Intl.Segmenter when it is loaded, 20–40 ms at each start, though
//   it needs one only for text that is not plain ASCII: the bundle makes it on first use instead.
//
// `--transpile` (npm test's pretest) also writes dist/**/*.js from src/ with esbuild instead of tsc: the same
// JavaScript (tsconfig has isolatedModules), in about a second instead of ten, without the .d.ts files and without
// type checking, which `npm run typecheck` does (.ci/run runs it before the tests).
import { build } from 'esbuild';
import { copyFile, chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import vm from 'node:vm';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const bundle = join(dist, 'odin-bulk.cjs');
const cache = join(dist, 'odin-bulk.cache');

if (process.argv.includes('--transpile')) {
  const sources = (await readdir(src, { recursive: true })).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => join(src, f));
  await build({ entryPoints: sources, outdir: dist, outbase: src, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' });
}

/** string-width's `const segmenter = new Intl.Segmenter();`, made on first use; the build fails if that line changes. */
const lazySegmenter = {
  name: 'lazy-segmenter',
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const eager = 'const segmenter = new Intl.Segmenter();';
      if (!text.includes('Intl.Segmenter')) return undefined; // an older string-width (cli-progress'), without one
      if (!text.includes(eager)) throw new Error(`${args.path} no longer has "${eager}": update the lazy-segmenter step of scripts/bundle-cli.mjs`);
      const lazy = 'let madeSegmenter; const segmenter = { segment: (text) => (madeSegmenter ??= new Intl.Segmenter()).segment(text) };';
      return { contents: text.replace(eager, lazy), loader: 'js' };
    });
  },
};

await rm(join(dist, 'cli-chunks'), { recursive: true, force: true }); // left by builds before the single bundle
await Promise.all([bundle, cache, join(dist, 'odin-bulk.mjs')].map((f) => rm(f, { force: true })));
await build({
  entryPoints: [join(src, 'cli.ts')],
  outfile: bundle,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // The sources (and yargs) are ES modules that ask import.meta.url where they are: the bundle's own file.
  define: { 'import.meta.url': '__odinBulkFileUrl' },
  banner: { js: "const __odinBulkFileUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [lazySegmenter],
  logLevel: 'warning',
});
// The launcher wraps the bundle in a function, where src/cli.ts's `#!` line would be a syntax error.
await writeFile(bundle, (await readFile(bundle, 'utf8')).replace(/^#!.*\n/, ''));
await copyFile(join(root, 'scripts/cli-launcher.mjs'), join(dist, 'odin-bulk.mjs'));
await chmod(join(dist, 'odin-bulk.mjs'), 0o755);

// The code cache: load the bundle as the launcher does, run two commands in this process, keep what V8 compiled.
const script = new vm.Script(Module.wrap(await readFile(bundle, 'utf8')), { filename: bundle });
const cli = { exports: {} };
script.runInThisContext().call(cli.exports, cli.exports, Module.createRequire(bundle), cli, bundle, dist);
const scratch = await mkdtemp(join(tmpdir(), 'odin-bulk-build-'));
try {
  const sink = () => new Writable({ write: (chunk, encoding, done) => done() });
  const io = { stdout: sink(), stderr: sink(), env: {}, now: () => new Date() };
  for (const argv of [
    ['demo', '--rate', '0', '--quiet', '--out', join(scratch, 'demo')],
    ['validate', '--manifest', join(root, 'samples/clid-migration.csv')],
  ]) {
    const code = await cli.exports.main(argv, io);
    if (code !== 0) throw new Error(`odin-bulk ${argv.join(' ')} ended with exit code ${code} while the code cache was made`);
  }
} finally {
  await rm(scratch, { recursive: true, force: true });
}
await writeFile(cache, script.createCachedData());
