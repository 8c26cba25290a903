import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ciWorkspace, expectRehearsal, GITHUB, GITLAB, loadYaml, runGithubJob, runGitlabJob } from '../cli/pipelines/ci-runner.js';
import { PACKAGE_VERSION } from '../kit/paths.js';

// The package as a user gets it: `npm pack` (which builds, at prepack), the tarball installed into an empty project
// with a package.json of its own, then the commands a user runs there. Installing needs the package registry for
// odin-bulk's dependencies (--prefer-offline uses npm's cache first). Run by `npm run test:package` and .ci/run.

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(REPO, 'node_modules/.bin/tsc');

type Run = { code: number; stdout: string; stderr: string };

/**
 * The environment of every command: the caller's (its npm settings file, network and certificate settings: the
 * install needs the registry), without jest's flags, any ODIN_*, or the npm_* variables of the `npm run` that started
 * jest (npm_config_prefix and the like would point the commands at this repository).
 */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (/^(ODIN_|npm_|NODE_OPTIONS$|INIT_CWD$)/i.test(name)) delete env[name];
  return { ...env, NODE_OPTIONS: '', ...extra };
}

function sh(command: string, args: readonly string[], cwd: string, extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: cleanEnv(extra), maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

/** `npx odin-bulk ARGS` in the project. npm_config_yes=false: npx must use the installed package, never fetch one. */
const npx = (cwd: string, ...args: string[]) => sh('npx', ['odin-bulk', ...args], cwd, { npm_config_yes: 'false' });

const failure = (what: string, r: Run) => new Error(`${what} exited ${r.code}\n${r.stdout}\n${r.stderr}`);

async function listFiles(dir: string, root = dir): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name), root) : [relative(root, join(dir, e.name))])));
  return nested.flat();
}

describe('the packed package, installed into an empty project', () => {
  const version = PACKAGE_VERSION;
  let work: string;
  let project: string;
  let installed: string;
  let packed: string[];
  let install: Run;
  let tarball: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'odin-bulk-package-'));
    const pack = await sh('npm', ['pack', '--json', '--pack-destination', work], REPO);
    if (pack.code !== 0) throw failure('npm pack', pack);
    const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    packed = info!.files.map((f) => f.path).sort();

    // A user's repository: its own package.json (version 1.0.0, which --version must not print), jobs and manifests.
    project = join(work, 'my-odin-jobs');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'my-odin-jobs', version: '1.0.0', private: true, type: 'module' }, null, 2));
    tarball = join(work, info!.filename);
    install = await sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], project);
    if (install.code !== 0) throw failure('npm install of the tarball', install);
    installed = join(project, 'node_modules/odin-bulk');
  }, 600_000);

  afterAll(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the tarball holds only what a user runs: the build, the docs, the jobs and samples; no tests, sources, maps or bench', async () => {
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^CHANGELOG\.md$/,
      /^dist\/[\w/.-]+\.(js|mjs|d\.ts)$/,
      /^dist\/odin-bulk\.(cjs|cache)$/,
      /^docs\/[\w/.-]+\.(md|yml|json|mjs)$/,
      /^jobs\/[\w.-]+\.json$/,
      /^samples\/[\w.-]+\.(csv|json)$/,
    ];
    expect(packed.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    expect(packed.filter((f) => /^(test|src|bench|\.ci|node_modules)\/|\.map$|^tsconfig|^jest\./.test(f))).toEqual([]);
    expect(packed).toEqual(
      expect.arrayContaining([
        'README.md',
        'CHANGELOG.md',
        'dist/cli.js',
        'dist/odin-bulk.mjs',
        'dist/odin-bulk.cjs',
        'dist/odin-bulk.cache',
        'dist/index.js',
        'dist/index.d.ts',
        'docs/install.md',
        'docs/library.md',
        'docs/examples/run-job.mjs',
        'docs/ci/github-actions.yml',
        'docs/ci/gitlab-ci.yml',
        'docs/ci/rehearsal.json',
        'jobs/demo.json',
        'samples/clid-migration.csv',
      ]),
    );
    // The build is whole and nothing stale rode along: one .js and one .d.ts per source file.
    const sources = (await listFiles(join(REPO, 'src'))).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
    expect(packed.filter((f) => f.endsWith('.js') && f.startsWith('dist/')).map((f) => f.slice(5, -3)).sort()).toEqual(sources);
    expect(packed.filter((f) => f.endsWith('.d.ts')).map((f) => f.slice(5, -5)).sort()).toEqual(sources);
    // What was installed is what was packed.
    expect((await listFiles(installed)).sort()).toEqual(packed);
  });

  it('installs without install scripts and without a warning; its package.json is publishable', async () => {
    expect(install.stderr).toBe('');
    const pkg = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as Record<string, any>;
    const installScripts = ['preinstall', 'install', 'postinstall', 'preprepare', 'prepare', 'postprepare'].filter((s) => pkg.scripts?.[s]);
    expect(installScripts).toEqual([]);
    expect(pkg.private).toBeUndefined();
    expect(pkg).toMatchObject({
      name: 'odin-bulk',
      version,
      type: 'module',
      bin: { 'odin-bulk': 'dist/odin-bulk.mjs' },
      types: './dist/index.d.ts',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
      engines: { node: expect.stringMatching(/^>=20/) },
    });
  });

  it('npx odin-bulk --version prints odin-bulk\'s version, not the project\'s', async () => {
    const r = await npx(project, '--version');
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    expect(version).not.toBe('1.0.0');
  });

  it('npx odin-bulk demo runs the shipped demo job against its simulator (exit 0)', async () => {
    const r = await npx(project, 'demo');
    if (r.code !== 0) throw failure('npx odin-bulk demo', r);
    const folder = /^Reports: (reports\/demo-\d{8}T\d{6}Z)$/m.exec(r.stdout)?.[1];
    expect(folder).toBeDefined();
    const summary = JSON.parse(await readFile(join(project, folder!, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ total: 40, failed: 0, exitCode: 0 });
    const info = JSON.parse(await readFile(join(project, folder!, 'run.json'), 'utf8')) as Record<string, unknown>;
    expect(info.odinBulkVersion).toBe(version);
  });

  it('npx odin-bulk validate checks a sample and a job shipped in the package', async () => {
    const sample = await npx(project, 'validate', '--manifest', 'node_modules/odin-bulk/samples/clid-migration.csv');
    const rows = (await readFile(join(REPO, 'samples/clid-migration.csv'), 'utf8')).trim().split('\n').length - 1;
    expect({ code: sample.code, stderr: sample.stderr }).toEqual({ code: 0, stderr: '' });
    expect(sample.stdout).toMatch(new RegExp(`^node_modules/odin-bulk/samples/clid-migration\\.csv: ${rows} rows valid for user-call-processing-policy; fields: `));
    const job = await npx(project, 'validate', 'node_modules/odin-bulk/jobs/call-limits.json');
    if (job.code !== 0) throw failure('npx odin-bulk validate jobs/call-limits.json', job);
    expect(job.stdout).toMatch(/samples\/call-limits\.csv: \d+ rows valid for user-call-processing-policy/);
  });

  it('a TypeScript file that imports the API type-checks against the packed .d.ts (and wrong uses do not)', async () => {
    await copyFile(join(REPO, 'test/package/fixtures/consumer.ts'), join(project, 'consumer.ts'));
    await writeFile(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          // Check the package's .d.ts files too, not only their use.
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules/@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    const r = await sh(TSC, ['-p', 'tsconfig.json'], project);
    expect({ code: r.code, output: r.stdout + r.stderr }).toEqual({ code: 0, output: '' });
  });

  it('the library example of docs/library.md runs from the installed package', async () => {
    await copyFile(join(installed, 'docs/examples/run-job.mjs'), join(project, 'run-job.mjs'));
    const r = await sh(process.execPath, ['run-job.mjs'], project);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^3 rows: \d updated, \d unchanged, 0 failed\nReports: .+\n$/);
    await rm(join(/^Reports: (.+)$/m.exec(r.stdout)![1]!, '..'), { recursive: true, force: true });
  });

  it('exports the API, and only the API: the internal files cannot be imported', async () => {
    const api = await sh(process.execPath, ['--input-type=module', '-e', "console.log(Object.keys(await import('odin-bulk')).sort().join(' '))"], project);
    expect(api).toEqual({
      code: 0,
      stdout: 'EXIT JobError VERSION applyPlan exitCodeFor exportValues planJob runJob startSimulator validateJob\n',
      stderr: '',
    });
    const deep = await sh(process.execPath, ['--input-type=module', '-e', "await import('odin-bulk/dist/run/run-job.js')"], project);
    expect(deep.code).not.toBe(0);
    expect(deep.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it("a clone's `npm install && npm run demo` still works: the demo builds dist/ first, as npm install no longer does", async () => {
    const clone = join(work, 'clone');
    const listed = await sh('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], REPO);
    if (listed.code !== 0) throw failure('git ls-files', listed);
    for (const file of listed.stdout.split('\0').filter(Boolean)) {
      if (!existsSync(join(REPO, file))) continue; // deleted in the working tree
      await mkdir(dirname(join(clone, file)), { recursive: true });
      await copyFile(join(REPO, file), join(clone, file));
    }
    // The installed dependencies, linked: what `npm install` leaves (it runs no build now).
    await symlink(join(REPO, 'node_modules'), join(clone, 'node_modules'));
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    const r = await sh('npm', ['run', 'demo'], clone);
    if (r.code !== 0) throw failure('npm run demo in a clone', r);
    expect(r.stdout).toMatch(/^Reports: reports\/demo-\d{8}T\d{6}Z$/m);
    expect(existsSync(join(clone, 'dist/odin-bulk.mjs'))).toBe(true);
  });

  describe('the docs/ci rehearsal jobs, their install step included, with this tarball as the pinned odin-bulk', () => {
    // `odin-bulk@file:…tgz` stands in for `odin-bulk@0.x` from the organisation's registry. The install needs the
    // caller's environment (HOME with its npm settings, network settings): the workspace's own is bare. PATH stays
    // the workspace's, whose first entry is the npm prefix the install fills.
    const pinned = () => {
      const { PATH: _path, ...env } = cleanEnv({ ODIN_BULK_VERSION: `file:${tarball}` });
      return env as Record<string, string>;
    };

    it('GitHub Actions job "rehearse"', async () => {
      const github = await loadYaml(GITHUB);
      const ws = await ciWorkspace(undefined);
      const results = await runGithubJob(github.jobs.rehearse, ws, { 'github.run_id': '31' }, { install: true, env: { ...github.env, ...pinned() } });
      expect(results.map((r) => r.name).slice(0, 2)).toEqual(['Install odin-bulk', 'Validate your job (offline, nothing is sent)']);
      await expectRehearsal(ws.cwd, results, '31', join(ws.env.RUNNER_TEMP!, 'simulator.log'));
    });

    it('GitLab CI job "rehearse"', async () => {
      const gitlab = await loadYaml(GITLAB);
      const ws = await ciWorkspace(undefined);
      const results = await runGitlabJob(gitlab.rehearse, ws, { ...gitlab.variables, ...pinned(), CI_PIPELINE_ID: '32' }, gitlab.default.before_script);
      await expectRehearsal(ws.cwd, results, '32', join(ws.cwd, 'simulator.log'));
    });
  });
});
