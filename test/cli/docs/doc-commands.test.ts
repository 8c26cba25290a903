import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { PACKAGE_VERSION, simulators, tempDir } from '../../kit/index.js';

// Every command shown in the README and docs/*.md is run here, against a simulator this test starts, in a temporary
// folder holding the repository's jobs/, samples/ and docs/ci/. docs/development.md says what is adjusted and why;
// harness/ holds the shims that stand in for odin-bulk, npm and npx (bash scripts: no node start of their own), and
// page.sh, the waits each page's script starts with (a simulator shown in the foreground, the page's end).

const REPO = resolve('.');
const CLI = join(REPO, 'dist/odin-bulk.mjs');
/** The shims for odin-bulk, npm and npx, the hook the odin-bulk shim preloads, and the waits each page's script sources. */
const HARNESS = join(REPO, 'test/cli/docs/harness');
const PAGES = ['README.md', ...(await readdir(join(REPO, 'docs'))).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];

/** npm commands the docs show that this test does not run, and why. */
const NOT_RUN: Array<[RegExp, string]> = [
  [/^test( |$)/, 'the test suite itself'],
  [/^run test:(unit|integration|cli)$/, 'the test suite itself, one tier'],
  [/^run build$/, 'npm test runs it first (pretest)'],
  [/^run typecheck$/, '.ci/run runs it before the tests'],
  [/^run bench( |$)/, 'the benchmark: half an hour, not a test; it exits 1 when a target is missed'],
  [/^run test:package$/, '.ci/run runs it after the tests (it needs the package registry)'],
  [/^pack$/, 'test/package/package.test.ts packs the package and installs the tarball'],
];

/** Documented commands that end with another exit code than 0 on purpose (the page says so). */
const EXIT_CODES: Record<string, number> = {
  'odin-bulk plan docs/ci/rehearsal.json --shard 1/3 --fail-on-changes --out reports/try-1': 5, // a fresh simulator: drift
};

type Block = { lang: string; lines: string[]; file?: string; start: number };
type Invocation = { tool: string; args: string[]; code: number | null; signal?: string | null; notRun?: boolean };

/** The fenced blocks of a markdown page, with the file name an `<!-- file: NAME -->` line right above gives. */
function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  const lines = markdown.split('\n');
  let open: Block | undefined;
  lines.forEach((line, i) => {
    const fence = /^\s*```(\S*)\s*$/.exec(line);
    if (fence && !open) {
      const above = lines[i - 1]?.trim() ?? '';
      const file = /^<!-- file: (\S+) -->$/.exec(above)?.[1];
      open = { lang: fence[1]!, lines: [], start: i + 1, ...(file ? { file } : {}) };
    } else if (fence && open) {
      out.push(open);
      open = undefined;
    } else if (open) open.lines.push(line);
  });
  return out;
}

const SHELL = new Set(['sh', 'bash', 'shell']);
/** A fresh simulator per page, closed after it. */
const startSimulator = simulators({ record: false }, { each: true });
const COMMAND = /(?:^|\$\(|\||&&|;|\bdo\b)\s*(?:[A-Z_]+=\S+\s+)*(?:npx\s+)?((?:odin-bulk|npm|node dist\/cli\.js)\b[^|;&)]*)/g;

/** The odin-bulk / npm commands of a shell line, without comments, redirections or a trailing `&`. */
function commandsOf(line: string): string[] {
  const code = line.replace(/(^|\s)#.*$/, '').replace(/\s\d?>&?\s*[^\s&|;]+/g, '');
  return [...code.matchAll(COMMAND)].map((m) => m[1]!.trim());
}

/** Whether a page's shell blocks run git: only such a page runs in a repository (see the test). */
const runsGit = (all: Block[]) =>
  all.filter((b) => SHELL.has(b.lang)).some((b) => b.lines.some((l) => /(^|[\s;&|(])git\s/.test(l.replace(/(^|\s)#.*$/, ''))));

/** Shell words, quotes removed (enough for the docs' commands). */
const words = (command: string) => (command.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ''));

/** A logged invocation matches a documented command when every word is equal, a word with `$` matching anything. */
function matches(command: string, logged: Invocation): boolean {
  const [tool, ...args] = words(command);
  if (tool !== logged.tool || args.length !== logged.args.length) return false;
  return args.every((w, i) => w.includes('$') || w === logged.args[i]);
}

/** The page's shell blocks as one bash script, adjusted as docs/development.md describes (harness/page.sh: the waits). */
function script(page: Block[]): string {
  const body = page
    .filter((b) => SHELL.has(b.lang))
    .flatMap((b) => [`# --- block at line ${b.start}`, ...b.lines])
    .filter((line) => !/^\s*export ODIN_[A-Z_]+=/.test(line))
    .map((line) => (/^odin-bulk simulate\b/.test(line) && !/&\s*(#.*)?$/.test(line) ? `__foreground_simulate ${line.replace(/^odin-bulk /, '').replace(/\s#.*$/, '')}` : line));
  return ['source "$DOCTEST_HARNESS/page.sh"', ...body, '__end_of_page', ''].join('\n');
}

describe('every command in the README and docs/ runs', () => {
  it.each(PAGES)('%s', async (page) => {
    const markdown = await readFile(join(REPO, page), 'utf8');
    const all = blocks(markdown);
    // A command outside a shell block would escape this test: commands go in ```sh blocks, output in plain ones.
    const stray = all.filter((b) => !SHELL.has(b.lang)).flatMap((b) => b.lines.filter((l) => /^(\$ )?(odin-bulk|npm|node dist\/cli\.js) /.test(l)));
    expect({ page, stray }).toEqual({ page, stray: [] });
    await checkYamlExcerpts(all);

    const documented = all.filter((b) => SHELL.has(b.lang)).flatMap((b) => b.lines.flatMap(commandsOf));
    if (documented.length === 0) return;
    const dir = await tempDir();
    const sim = await startSimulator();
    await cp(join(REPO, 'jobs'), join(dir, 'jobs'), { recursive: true });
    await cp(join(REPO, 'samples'), join(dir, 'samples'), { recursive: true });
    await mkdir(join(dir, 'docs'));
    await cp(join(REPO, 'docs/ci'), join(dir, 'docs/ci'), { recursive: true });
    await symlink(join(REPO, 'dist'), join(dir, 'dist'));
    // As if installed (test/package/ installs the real tarball): the pages name node_modules/odin-bulk/samples/….
    await mkdir(join(dir, 'node_modules'));
    await symlink(REPO, join(dir, 'node_modules/odin-bulk'));
    for (const b of all.filter((x) => x.file)) await writeFile(join(dir, b.file!), `${b.lines.join('\n')}\n`);
    const log = join(dir, '.doctest.ndjson');
    const problems = join(dir, '.doctest-problems');
    await writeFile(log, '');
    await writeFile(problems, '');
    const env = {
      PATH: `${HARNESS}:${process.env.PATH}`,
      HOME: dir,
      NODE_OPTIONS: '',
      DOCTEST_CLI: CLI,
      DOCTEST_HOOK: join(HARNESS, 'odin-bulk-hook.mjs'),
      DOCTEST_HARNESS: HARNESS,
      DOCTEST_LOG: log,
      DOCTEST_PROBLEMS: problems,
      DOCTEST_DIR: dir,
      ODIN_BASE_URL: sim.url,
      ODIN_USERNAME: sim.username,
      ODIN_PASSWORD: sim.password,
      GIT_CONFIG_NOSYSTEM: '1',
    };
    if (runsGit(all)) {
      // A repository with the release tag the install page checks out (v<version>).
      await bash(['-c', `git init -q . && git -c user.name=docs -c user.email=docs@example.test commit -q --allow-empty -m release && git tag v${PACKAGE_VERSION}`], dir, env);
    }
    const res = await bash(['-c', script(all)], dir, env);
    const calls = (await readFile(log, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Invocation);

    // What the harness saw go wrong (a simulator that never printed its lines, or that a signal ended) comes first:
    // such a command has no log line, and "missing" alone would not say why.
    const harness = (await readFile(problems, 'utf8')).split('\n').filter(Boolean);
    expect({ page, harness }).toEqual({ page, harness: [] });

    const missing = documented.filter((c) => !calls.some((call) => matches(c, call)));
    expect({ page, missing, output: missing.length ? res.output.slice(-4000) : '' }).toEqual({ page, missing: [], output: '' });
    const unexpected = documented.flatMap((c) =>
      calls.filter((call) => matches(c, call) && !call.notRun && call.code !== (EXIT_CODES[c.replace(/^[A-Z_]+=\S+\s+/, '')] ?? 0)).map((call) => ({ command: c, code: call.code })),
    );
    expect({ page, unexpected, output: unexpected.length ? res.output.slice(-4000) : '' }).toEqual({ page, unexpected: [], output: '' });
    const notRun = calls.filter((c) => c.notRun).map((c) => c.args.join(' ')).filter((a) => !NOT_RUN.some(([pattern]) => pattern.test(a)));
    expect({ page, notRun }).toEqual({ page, notRun: [] });
    // The copies of jobs/, samples/ and docs/ci/ go now, not after the last page.
    await rm(dir, { recursive: true, force: true });
  }, 180_000);

  it('the list of problems the manifests page shows is what the tool prints for that manifest (see test/cli/hardening/messages.test.ts)', async () => {
    const expected = await readFile(join(REPO, 'test/fixtures/manifests/readme-example/expected-stderr.txt'), 'utf8');
    expect(await readFile(join(REPO, 'docs/manifests.md'), 'utf8')).toContain(`\`\`\`\n${expected}\`\`\`\n`);
  });

  it('every relative link between the pages leads to a file and a heading that exist', async () => {
    const broken: string[] = [];
    for (const page of PAGES) {
      const text = await readFile(join(REPO, page), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue; // https:, mailto:
        const [path, anchor] = target!.split('#') as [string, string | undefined];
        const file = path === '' ? page : join(dirname(page), path);
        if (path.endsWith('/') && (await stat(join(REPO, file)).catch(() => undefined))?.isDirectory()) continue; // a folder
        const content = await readFile(join(REPO, file), 'utf8').catch(() => undefined);
        if (content === undefined) {
          broken.push(`${page}: ${target} (no such file)`);
          continue;
        }
        if (anchor !== undefined && file.endsWith('.md') && !headingAnchors(content).includes(anchor)) broken.push(`${page}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every exit code the test expects belongs to a documented command', async () => {
    const documented = new Set<string>();
    for (const page of PAGES) {
      for (const b of blocks(await readFile(join(REPO, page), 'utf8'))) {
        if (SHELL.has(b.lang)) for (const c of b.lines.flatMap(commandsOf)) documented.add(c.replace(/^[A-Z_]+=\S+\s+/, ''));
      }
    }
    expect(Object.keys(EXIT_CODES).filter((c) => !documented.has(c))).toEqual([]);
  });
});

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces as hyphens. */
function headingAnchors(markdown: string): string[] {
  return blocksRemoved(markdown)
    .split('\n')
    .filter((l) => /^#{1,6} /.test(l))
    .map((l) => l.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-'));
}

/** The page without its fenced blocks (a `# comment` in a shell block is not a heading). */
function blocksRemoved(markdown: string): string {
  return markdown.replace(/^\s*```[^]*?^\s*```\s*$/gm, '');
}

/** YAML excerpts of the pipelines: each line that runs odin-bulk must be in docs/ci/, which test/cli/pipelines/ runs. */
async function checkYamlExcerpts(all: Block[]): Promise<void> {
  const pipelines = await Promise.all(['docs/ci/github-actions.yml', 'docs/ci/gitlab-ci.yml'].map((f) => readFile(join(REPO, f), 'utf8')));
  const known = pipelines.flatMap((text) => text.split('\n').map((l) => l.trim()));
  const copied = all.filter((b) => b.lang === 'yaml' || b.lang === 'yml').flatMap((b) => b.lines.map((l) => l.trim()).filter((l) => l.includes('odin-bulk ')));
  expect(copied.filter((l) => !known.includes(l))).toEqual([]);
}

function bash(args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bash did not finish in 150 s:\n${output.slice(-4000)}`));
    }, 150_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}
