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
//   installed package. When V8 refuses it (another Node version), the launcher compiles as before. Measured (2026-12):
//   a smaller cache deserialises faster but costs more in compiling; the top level alone (0.3 MB) or `validate` alone
//   (0.6 MB) made a 1-row run 40-80 ms slower, and adding plan, apply and export to the warm-up gained nothing.
// - string-width (under yargs, cliui and wrap-ansi) costs some 30 ms to load at each start, for help text that is
//   plain ASCII: the bundle loads it the first time other text comes. Likewise got's @sindresorhus/is made two
//   Intl.ListFormat at load (30 ms) for error texts: made when first used; got's http2-wrapper (60 ms: it read the
//   system's root certificates) and winston's @dabh/diagnostics (8 ms) are loaded only if used; yargs neither reads
//   the folders above the working directory nor lays out the help of a command it runs. Each step below says why; the
//   build fails when a dependency changes what a step relies on. The bundle is written in ASCII (read faster), and
//   the launcher answers `--version` without loading it.
//
// `--transpile` (npm test's pretest) also writes dist/**/*.js from src/ with esbuild instead of tsc: the same
// JavaScript (tsconfig has isolatedModules), in about a second instead of ten, without the .d.ts files and without
// type checking, which `npm run typecheck` does (.ci/run runs it before the tests).
import { build } from 'esbuild';
import { copyFile, chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
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

/**
 * What a dependency's file (`importer`) imports as `specifier` is given instead as `contents(real)`: a stand-in that
 * loads the real module (`real`: a JSON string of its path, for a `require`) only when it is first needed.
 */
function lazyImport(name, specifier, importer, contents) {
  const escaped = specifier.replace(/[/\\^$*+?.()|[\]{}@]/g, '\\$&');
  return {
    name,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${escaped}$`) }, async (args) => {
        if (args.pluginData?.real || !importer.test(args.importer)) return undefined;
        const real = await b.resolve(specifier, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { real: true } });
        if (real.errors.length) return { errors: real.errors };
        // Named in the bundle by its path in the project, not on the machine that built it.
        return { path: relative(root, real.path), namespace: name, pluginData: { path: real.path } };
      });
      b.onLoad({ filter: /.*/, namespace: name }, (args) => ({
        contents: contents(JSON.stringify(args.pluginData.path)),
        loader: 'js',
        resolveDir: dirname(args.pluginData.path),
      }));
    },
  };
}

/**
 * yargs, cliui and wrap-ansi measure text with string-width, whose loading costs some 30 ms (Unicode tables, an Intl.Segmenter)
 * though for plain ASCII it only returns the length. Their `import stringWidth from 'string-width'` gets this module
 * instead, which answers plain ASCII the same way and loads the real one the first time other text comes.
 */
const lazyStringWidth = lazyImport(
  'lazy-string-width',
  'string-width',
  /[\\/]node_modules[\\/](yargs|cliui|wrap-ansi)[\\/]/,
  (real) => `let loaded;
export default function stringWidth(input, options) {
  if (typeof input === 'string' && options === undefined && /^[\\u0020-\\u007E]*$/.test(input)) return input.length;
  loaded ??= require(${real}).default;
  return loaded(input, options);
}
`,
);

/**
 * @sindresorhus/is (got's) makes two Intl.ListFormat when it is loaded, some 30 ms at each start, for the text of
 * a failed type assertion. Here they are made the first time one is used; the build fails if those lines change.
 */
const lazyListFormat = {
  name: 'lazy-list-format',
  setup(b) {
    b.onLoad({ filter: /[\\/]@sindresorhus[\\/]is[\\/]distribution[\\/]index\.js$/ }, async (args) => {
      let text = await readFile(args.path, 'utf8');
      for (const type of ['conjunction', 'disjunction']) {
        const eager = `new Intl.ListFormat('en', { style: 'long', type: '${type}' })`;
        if (!text.includes(eager)) throw new Error(`${args.path} no longer has "${eager}": update the lazy-list-format step of scripts/bundle-cli.mjs`);
        text = text.replace(eager, `((made) => ({ format: (list) => (made ??= ${eager}).format(list) }))()`);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

/** A file's code without its comments (roughly: for the checks below, which look for names in it). */
const withoutComments = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/** Fails the build when a dependency's file (its code, without comments) no longer reads as a stand-in expects. */
function expectUses(name, file, check) {
  return {
    name,
    setup(b) {
      b.onLoad({ filter: file }, async (args) => {
        const problem = check(withoutComments(await readFile(args.path, 'utf8')));
        if (problem) throw new Error(`${args.path}: ${problem}: update the ${name} step of scripts/bundle-cli.mjs`);
        return undefined;
      });
    },
  };
}

/**
 * got imports http2-wrapper (and with it node:http2, whose loading made a TLS socket and so read the system's root
 * certificates: some 60 ms of every run) for its `http2` option, which odin-bulk never sets. got reads its
 * `globalAgent` and `auto` only for an HTTP/2 request: loaded then. The build fails if got uses it in another way.
 */
const GOT_OPTIONS = /[\\/]got[\\/]dist[\\/]source[\\/]core[\\/]options\.js$/;
const lazyHttp2Wrapper = lazyImport(
  'lazy-http2-wrapper',
  'http2-wrapper',
  GOT_OPTIONS,
  (real) => `let loaded;
const real = () => (loaded ??= require(${real}));
export default { get globalAgent() { return real().globalAgent; }, get auto() { return real().auto; } };
`,
);
const gotUsesOfHttp2Wrapper = expectUses('lazy-http2-wrapper', GOT_OPTIONS, (code) => {
  const uses = [...new Set(code.match(/\bhttp2wrapper\b(\.\w+)?/g))].sort().join(', ');
  return uses === 'http2wrapper, http2wrapper.auto, http2wrapper.globalAgent' ? undefined : `got now uses ${uses}`;
});

/**
 * winston's files each make a @dabh/diagnostics logger at load (`require('@dabh/diagnostics')('winston:file')`), for
 * winston's own debugging output, shown when DEBUG or DIAGNOSTICS names them. Loading it costs some 8 ms at each start
 * (colour tables, node:tty). Without either variable every such logger is one that does nothing (what
 * @dabh/diagnostics gives then, in development and production alike): the stand-in gives that without loading it.
 * With one, its lines go to stderr, not to stdout (its default, console.log): odin-bulk's stdout carries data
 * (`--json`'s summary.json, `export --out -`), and a `DEBUG=*` set for something else must not break it.
 */
const WINSTON = /[\\/]node_modules[\\/]winston[\\/]/;
const lazyDiagnostics = lazyImport(
  'lazy-diagnostics',
  '@dabh/diagnostics',
  WINSTON,
  (real) => `let loaded;
module.exports = function diagnostics(namespace, options) {
  if (!process.env.DEBUG && !process.env.DIAGNOSTICS) return function diagnopes() { return false; };
  if (!loaded) {
    loaded = require(${real});
    loaded.set(function toStderr(_meta, messages) {
      console.error(...messages);
    });
  }
  return loaded(namespace, options);
};
`,
);

/**
 * yargs guesses a version at construction (cli.ts then gives it odin-bulk's own) from the package.json it finds
 * upwards of its "main file": the folder above its node_modules. In the bundle there is no node_modules in its path,
 * so it looked upwards of the working directory, reading every folder on the way (some 3 ms in a temp folder of a
 * few thousand entries). Here it starts from the bundle's own file, and finds odin-bulk's package.json above dist/.
 */
const yargsMainFile = {
  name: 'yargs-main-file',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const guess = "const mainFilename = __dirname.substring(0, __dirname.lastIndexOf('node_modules'));";
      if (!text.includes(guess)) throw new Error(`${args.path} no longer has "${guess}": update the yargs-main-file step of scripts/bundle-cli.mjs`);
      return { contents: text.replace(guess, 'const mainFilename = __dirname;'), loader: 'js' };
    });
  },
};

/**
 * Before it calls a command's handler, yargs lays out that command's whole help text and keeps it, for a handler that
 * calls showHelp() (some 4-6 ms: a command has up to 40 options). cli.ts gives no handler (yargs then uses one that
 * does nothing), never asks yargs for help after the parse, and fails with its own error instead of yargs' help: the
 * kept text was never shown. `--help` still lays it out, when it is asked for.
 */
const yargsNoHelpCache = {
  name: 'yargs-no-help-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const cache = /\n( *)if \(!isDefaultCommand\) \{\n *yargs\.getInternalMethods\(\)\.getUsageInstance\(\)\.cacheHelpMessage\(\);\n *\}\n/;
      if ((text.match(new RegExp(cache.source, 'g')) ?? []).length !== 1 || text.split('cacheHelpMessage').length !== 2) {
        throw new Error(`${args.path} no longer caches a command's help as it did: update the yargs-no-help-cache step of scripts/bundle-cli.mjs`);
      }
      return { contents: text.replace(cache, '\n'), loader: 'js' };
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
  plugins: [gotUsesOfHttp2Wrapper, lazyStringWidth, lazyListFormat, lazyHttp2Wrapper, lazyDiagnostics, yargsMainFile, yargsNoHelpCache],
  // Node 20 knows the RegExp v flag; esbuild would otherwise turn string-width's /…/v literals into RegExp calls,
  // which build their large Unicode sets when loaded (some 35 ms) instead of when first used.
  supported: { 'regexp-set-notation': true },
  logLevel: 'warning',
});
// The launcher wraps the bundle in a function, where src/cli.ts's `#!` line would be a syntax error.
// esbuild escapes what is not ASCII in strings, templates and regular expressions, but not in the comments it keeps:
// a few `–` and `→` there made the whole 1.7 MB source a two-byte string, which took twice as long to read (some 7 ms
// at each start). Written as \uXXXX (the same character in a string or a regular expression), the file is ASCII.
await writeFile(bundle, (await readFile(bundle, 'utf8')).replace(/^#!.*\n/, '').replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
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
