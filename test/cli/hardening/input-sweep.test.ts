import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CliResult, clidManifest, libraryPlan, runCli, tempDir, withSimulator } from '../../kit/index.js';

// Bad input an administrator or a CI pipeline really produces (an unset variable in `--rate "$RATE"`, a flag given
// twice by a wrapper script, …): exit 2, a message naming the flag, file or field, and not one request sent.

/** Exit 2, nothing on stdout, and exactly these lines on stderr. */
function refusedWith(res: CliResult, lines: string[]): void {
  expect({ code: res.code, stdout: res.stdout }).toEqual({ code: 2, stdout: '' });
  expect(res.stderr.split('\n')).toEqual(lines);
}

describe('flags: an empty value, or a flag given twice, is a problem naming the flag (exit 2, nothing sent)', () => {
  const sim = withSimulator({ users: 10 });
  let dir: string;
  let manifest: string;
  beforeAll(async () => {
    dir = await tempDir();
    manifest = join(dir, 'users.csv');
    await writeFile(manifest, clidManifest([1, 2, 3]));
  });
  beforeEach(() => sim.resetStats());

  const refused = (res: CliResult, lines: string[]) => {
    refusedWith(res, lines);
    expect(sim.stats.total).toBe(0); // not even a login
  };

  it('an empty number (once read as 0: --rate "" ran uncapped, --retries "" without retries)', async () => {
    const out = join(dir, 'o-empty-numbers');
    const res = await runCli(['run', '--manifest', manifest, '--out', out, '--rate', '', '--retries', ' ', '--timeout', '', '--max-concurrency', ''], { sim });
    refused(res, [
      'EINPUT: invalid settings',
      '  command line --max-concurrency: must be a whole number from 1 to 256, got ""',
      '  command line --rate: must be a number from 0 to 10000, got ""',
      '  command line --retries: must be a whole number from 0 to 20, got " "',
      '  command line --timeout: must be from 0.1 to 3600 seconds, got ""',
      '',
    ]);
    expect(await readdir(dir)).not.toContain('o-empty-numbers');
  });

  it('--show "" of plan, --settle "" and --wave-max-failures "" of a canary run', async () => {
    refused(await runCli(['plan', '--manifest', manifest, '--out', join(dir, 'o-show'), '--show', ''], { sim }), [
      'EINPUT: invalid settings',
      '  command line --show: must be a whole number from 0 to 100000, got ""',
      '',
    ]);
    refused(await runCli(['run', '--manifest', manifest, '--out', join(dir, 'o-canary'), '--canary', '1', '--settle', '', '--wave-max-failures', ''], { sim }), [
      'EINPUT: invalid settings',
      '  command line --settle: must be from 0 to 3600 seconds, got ""',
      '  command line --wave-max-failures: must be a whole number from 0 to 1000000, got ""',
      '',
    ]);
  });

  it('numbers as typed still work, and the messages show what was typed', async () => {
    refused(await runCli(['plan', '--manifest', manifest, '--out', join(dir, 'o-typed'), '--rate', '-1', '--retries', '1.5', '--timeout', 'soon'], { sim }), [
      'EINPUT: invalid settings',
      '  command line --rate: must be a number from 0 to 10000, got -1',
      '  command line --retries: must be a whole number from 0 to 20, got 1.5',
      '  command line --timeout: must be from 0.1 to 3600 seconds, got text that is not a number',
      '',
    ]);
    const ok = await runCli(['plan', '--manifest', manifest, '--out', join(dir, 'o-ok'), '--rate', '0', '--retries', '2', '--timeout', '2.5', '--quiet'], { sim });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });

  it('a number that is not plain decimal text (once read by Number(): 0x10 as 16, 1e1 as 10, "  4  " as 4)', async () => {
    const out = join(dir, 'o-not-decimal');
    const res = await runCli(['plan', '--manifest', manifest, '--out', out, '--rate', '0x10', '--retries', '1e1', '--timeout', '  4  ', '--max-concurrency', '0b11', '--concurrency', '0x4'], { sim });
    refused(res, [
      'EINPUT: invalid settings',
      '  command line --concurrency: must be a whole number from 1 to 256 or auto, got "0x4"',
      '  command line --max-concurrency: must be a whole number from 1 to 256, got text that is not a number',
      '  command line --rate: must be a number from 0 to 10000, got text that is not a number',
      '  command line --retries: must be a whole number from 0 to 20, got text that is not a number',
      '  command line --timeout: must be from 0.1 to 3600 seconds, got text that is not a number',
      '',
    ]);
    expect(await readdir(dir)).not.toContain('o-not-decimal');
    refused(await runCli(['plan', '--manifest', manifest, '--out', out, '--show', '1e1'], { sim }), [
      'EINPUT: invalid settings',
      '  command line --show: must be a whole number from 0 to 100000, got text that is not a number',
      '',
    ]);
    const ok = await runCli(['plan', '--manifest', manifest, '--out', join(dir, 'o-decimal'), '--rate', '.5', '--timeout', '2.5', '--concurrency', '3', '--quiet'], { sim });
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('an empty --manifest, --out, --name or --ca-file (once a manifest named "", a folder named "", a CA file ignored)', async () => {
    refused(await runCli(['validate', '--manifest', ''], { sim }), [
      'EINPUT: invalid settings',
      '  command line --manifest: is empty: give a value (an unset variable?), or leave --manifest off',
      '',
    ]);
    refused(await runCli(['plan', '--manifest', manifest, '--out', '', '--name', ' '], { sim }), [
      'EINPUT: invalid settings',
      '  command line --out: is empty: give a value (an unset variable?), or leave --out off',
      '  command line --name: is empty: give a value (an unset variable?), or leave --name off',
      '',
    ]);
    refused(await runCli(['plan', '--manifest', manifest, '--out', join(dir, 'o-ca'), '--ca-file', ''], { sim }), [
      'EINPUT: --ca-file is empty: give the PEM file of the CA to trust (an unset variable?), or leave --ca-file off',
      '',
    ]);
    expect(await readdir(dir)).not.toContain('o-ca');
  });

  it.each(['run', 'plan', 'validate', 'export', 'doctor'])('%s "" (an unset $JOB; it was taken as no job file)', async (command) => {
    const out = ['run', 'plan', 'export'].includes(command) ? ['--out', join(dir, `o-job-${command}`)] : [];
    refused(await runCli([command, '', '--manifest', manifest, ...out], { sim }), [
      'EINPUT: invalid settings',
      "  command line job: is empty: give the job file's path (an unset variable?), or leave it off",
      '',
    ]);
    expect(await readdir(dir)).not.toContain(`o-job-${command}`);
  });

  it('a flag given twice (once an internal error, exit 70, for --manifest and --name)', async () => {
    refused(await runCli(['validate', '--manifest', manifest, '--manifest', 'other.csv'], { sim }), [
      'EINPUT: invalid settings',
      `  command line --manifest: given 2 times (${JSON.stringify(manifest)}, "other.csv"): give it once`,
      '',
    ]);
    refused(await runCli(['plan', '--manifest', manifest, '--name', 'a', '--name', 'b', '-o', join(dir, 'o-a'), '--out', join(dir, 'o-b'), '--rate', '1', '--rate', '2'], { sim }), [
      'EINPUT: invalid settings',
      '  command line --rate: given 2 times ("1", "2"): give it once',
      `  command line --out: given 2 times (${JSON.stringify(join(dir, 'o-a'))}, ${JSON.stringify(join(dir, 'o-b'))}): give it once`,
      '  command line --name: given 2 times ("a", "b"): give it once',
      '',
    ]);
    expect(await readdir(dir)).not.toContain('o-a');
  });
});

describe('merge-reports --out', () => {
  const sim = withSimulator({ users: 5 });
  let dir: string;
  let part: string;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'users.csv'), clidManifest([1, 2]));
    part = join(dir, 'part');
    await libraryPlan(sim, { manifest: join(dir, 'users.csv'), out: part });
  });

  it('empty: exit 2 naming --out (once an internal error, exit 70, from renaming a staging folder to "")', async () => {
    const res = await runCli(['merge-reports', part, '--out', ''], { cwd: dir });
    refusedWith(res, ['EINPUT: --out is empty: name a new folder for the merged report (an unset variable?)', '']);
    expect((await readdir(dir)).filter((f) => f.includes('merging'))).toEqual([]);
  });

  it('a file: says it is a file', async () => {
    refusedWith(await runCli(['merge-reports', part, '--out', join(dir, 'users.csv')]), [
      `EINPUT: --out ${join(dir, 'users.csv')} is a file, not a folder`,
      '  Give merge-reports a new --out folder.',
      '',
    ]);
  });

  it('given twice', async () => {
    refusedWith(await runCli(['merge-reports', part, '--out', join(dir, 'm1'), '--out', join(dir, 'm2')]), [
      'EINPUT: invalid settings',
      `  command line --out: given 2 times (${JSON.stringify(join(dir, 'm1'))}, ${JSON.stringify(join(dir, 'm2'))}): give it once`,
      '',
    ]);
    expect(await readdir(dir)).not.toContain('m1');
  });
});

describe('simulate: a number flag empty or not plain decimal (once `--users ""` seeded 0 users, `--release ""` said "got 0")', () => {
  // Nothing starts: without the check, the simulator would run until the timeout.
  it.each([
    [['--users', ''], '  --users: is empty: give a number (an unset variable?), or leave --users off'],
    [['--port', ' ', '--latency', '5'], '  --port: is empty: give a number (an unset variable?), or leave --port off'],
    [['--release', ''], '  --release: is empty: give a number (an unset variable?), or leave --release off'],
    [['--users', '0x10'], '  --users: must be an integer of 0 or more, got text that is not a number'],
    [['--error-rate', '1e-1'], '  --error-rate: must be a number from 0 to 1, got text that is not a number'],
    [['--release', '2.2e1'], '  --release: a BroadWorks release from 22 to 25, e.g. 22, got "2.2e1"'],
  ])('simulate %j', async (flags, line) => {
    refusedWith(await runCli(['simulate', ...flags], { timeoutMs: 10_000 }), ['EINPUT: invalid simulator settings', line, '']);
  });
});

describe("apply: plan.json's settings are checked with the rest of the plan (exit 2, nothing sent)", () => {
  const sim = withSimulator({ users: 5 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'users.csv'), clidManifest([1, 2]));
    await libraryPlan(sim, { manifest: join(dir, 'users.csv'), out: join(dir, 'plan') });
  });
  beforeEach(() => sim.resetStats());

  const editedPlan = async (name: string, settings: (s: Record<string, unknown>) => Record<string, unknown>) => {
    const plan = JSON.parse(await readFile(join(dir, 'plan', 'plan.json'), 'utf8')) as Record<string, unknown>;
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'plan.json'), JSON.stringify({ ...plan, settings: settings(plan.settings as Record<string, unknown>) }));
    return join(dir, name, 'plan.json');
  };

  it('a wrong value (once an internal error, exit 70)', async () => {
    const file = await editedPlan('bad', (s) => ({ ...s, concurrency: -5, rate: '5', timeoutMs: 0.5 }));
    const res = await runCli(['apply', join(dir, 'bad'), '--out', join(dir, 'bad-out')], { sim });
    expect({ code: res.code, stdout: res.stdout }).toEqual({ code: 2, stdout: '' });
    expect(res.stderr.split('\n')).toEqual([
      `EPLAN: ${file} cannot be applied (3 problems); nothing was sent`,
      `  ${file} settings.concurrency: must be a whole number from 1 to 256 or "auto", got -5`,
      `  ${file} settings.rate: must be a number from 0 to 10000, got "5"`,
      `  ${file} settings.timeoutMs: must be a whole number of milliseconds from 100 to 3600000, got 0.5`,
      '',
    ]);
    expect(sim.stats.total).toBe(0);
    expect(await readdir(dir)).not.toContain('bad-out');
  });

  it('settings left out (once an internal error, exit 70)', async () => {
    const file = await editedPlan('none', () => ({}));
    const res = await runCli(['apply', join(dir, 'none'), '--out', join(dir, 'none-out')], { sim });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${file} settings.concurrency: missing: a plan records the settings of its run`);
    expect(res.stderr).toContain(`${file} settings.timeoutMs: missing`);
    expect(sim.stats.total).toBe(0);
    expect(await readdir(dir)).not.toContain('none-out');
  });

  it('a JSON syntax error names the line (it said "in JSON at position 17")', async () => {
    const text = await readFile(join(dir, 'plan', 'plan.json'), 'utf8');
    expect(text.split('\n')[1]).toBe('  "version": 1,');
    await mkdir(join(dir, 'comma'));
    const file = join(dir, 'comma', 'plan.json');
    await writeFile(file, text.replace('"version": 1,', '"version": 1,,'));
    const res = await runCli(['apply', join(dir, 'comma'), '--out', join(dir, 'comma-out')], { sim });
    refusedWith(res, [`EPLAN: ${file} cannot be applied (1 problem); nothing was sent`, `  ${file}:2: not valid JSON: Expected double-quoted property name`, '']);
    expect(sim.stats.total).toBe(0);
    expect(await readdir(dir)).not.toContain('comma-out');
  });

  it('/dev/null, or a plan.json that is a folder, says what it is (it said "does not exist")', async () => {
    refusedWith(await runCli(['apply', '/dev/null', '--out', join(dir, 'null-out')], { sim }), [
      'EPLAN: /dev/null is not a plan folder or a plan.json file (it is a character device)',
      '  Give apply the folder that `odin-bulk plan --out DIR` wrote, or the plan.json in it.',
      '',
    ]);
    await mkdir(join(dir, 'folder', 'plan.json'), { recursive: true });
    refusedWith(await runCli(['apply', join(dir, 'folder'), '--out', join(dir, 'null-out')], { sim }), [
      `EPLAN: ${join(dir, 'folder', 'plan.json')} is not a plan folder or a plan.json file (it is a folder)`,
      '  Give apply the folder that `odin-bulk plan --out DIR` wrote, or the plan.json in it.',
      '',
    ]);
    expect(sim.stats.total).toBe(0);
    expect(await readdir(dir)).not.toContain('null-out');
  });
});

describe('ODIN_BASE_URL with more than the API root: exit 2 before any request', () => {
  const sim = withSimulator({ users: 5 });
  let dir: string;
  let runs = 0;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'users.csv'), clidManifest([1, 2]));
  });
  beforeEach(() => sim.resetStats());

  it.each([
    ['a line break after it (a CI secret pasted with one)', (url: string) => `${url}\n`, 'EINPUT: ODIN_BASE_URL has white space (a space or a line break) before or after the URL'],
    ['a query (once sent as …/api/v2?tenant=1/auth/token)', (url: string) => `${url}?tenant=1`, 'EINPUT: ODIN_BASE_URL must be the API root, without a query (?…) or a fragment (#…)'],
  ])('%s', async (_, baseUrl, headline) => {
    const out = join(dir, `o-${++runs}`);
    const res = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', out], { sim, env: { ODIN_BASE_URL: baseUrl(sim.url) } });
    expect({ code: res.code, stdout: res.stdout, headline: res.stderr.split('\n')[0] }).toEqual({ code: 2, stdout: '', headline });
    expect(sim.stats.total).toBe(0);
    expect(await readdir(dir)).not.toContain(`o-${runs}`);
  });
});

describe('job files as editors save them', () => {
  const sim = withSimulator({ users: 5 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'users.csv'), clidManifest([1, 2]));
  });
  beforeEach(() => sim.resetStats());

  it('a UTF-8 BOM (Windows Notepad) is read as manifests are (it was "Unexpected token \'\\ufeff\'", exit 2)', async () => {
    await writeFile(join(dir, 'bom.json'), '\uFEFF{\r\n  "manifest": "users.csv"\r\n}\r\n');
    const res = await runCli(['validate', join(dir, 'bom.json')]);
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: '' });
    expect(res.stdout).toBe(`${join(dir, 'users.csv')}: 2 rows valid for user-call-processing-policy; fields: useUserCLIDSetting, clidPolicy, emergencyClidPolicy\n`);
  });

  it('a key named twice is refused, naming both lines, as in a JSON manifest (the last one was used without a word)', async () => {
    const job = join(dir, 'twice.json');
    await writeFile(join(dir, 'other.csv'), clidManifest([3]));
    await writeFile(job, '{\n  "manifest": "users.csv",\n  "defaults": {"clidPolicy": "Use DN",\n    "clidPolicy": "Use Group CLID"},\n  "manifest": "other.csv"\n}\n');
    const res = await runCli(['plan', job, '--out', join(dir, 'o-twice')], { sim });
    expect({ code: res.code, stdout: res.stdout }).toEqual({ code: 2, stdout: '' });
    expect(res.stderr.split('\n')).toEqual([
      `EINPUT: ${job} is not a valid job file`,
      `  ${job}:4 defaults.clidPolicy: named twice (lines 3 and 4): JSON keeps only the last one, so the job file is refused; remove one of them`,
      `  ${job}:5 manifest: named twice (lines 2 and 5): JSON keeps only the last one, so the job file is refused; remove one of them`,
      '',
    ]);
    expect(sim.stats.total).toBe(0);
  });

  it('a key named twice in a step or in its defaults is refused too (the last one was used without a word)', async () => {
    const job = join(dir, 'steps-twice.json');
    await writeFile(job, [
      '{',
      '  "manifest": "users.csv",',
      '  "steps": [',
      '    {"operation": "user-do-not-disturb", "defaults": {"isActive": false}},',
      '    {"operation": "user-call-processing-policy",',
      '     "defaults": {"clidPolicy": "Use DN",',
      '                  "clidPolicy": "Use Group CLID"},',
      '     "operation": "user-call-processing-policy"}',
      '  ]',
      '}',
      '',
    ].join('\n'));
    const res = await runCli(['plan', job, '--out', join(dir, 'o-steps-twice')], { sim });
    refusedWith(res, [
      `EINPUT: ${job} is not a valid job file`,
      `  ${job}:7 steps[1].defaults.clidPolicy: named twice (lines 6 and 7): JSON keeps only the last one, so the job file is refused; remove one of them`,
      `  ${job}:8 steps[1].operation: named twice (lines 5 and 8): JSON keeps only the last one, so the job file is refused; remove one of them`,
      '',
    ]);
    expect(sim.stats.total).toBe(0);
    expect(await readdir(dir)).not.toContain('o-steps-twice');
  });

  it('a syntax error names the line (it said "at position 41"), exit 2, nothing sent', async () => {
    const job = join(dir, 'comma.json');
    await writeFile(job, '{\n  "manifest": "users.csv",\n  "rate": 2,\n}\n');
    const res = await runCli(['plan', job, '--out', join(dir, 'o-comma')], { sim });
    expect({ code: res.code, stdout: res.stdout }).toEqual({ code: 2, stdout: '' });
    expect(res.stderr.split('\n')).toEqual([`EINPUT: ${job} is not a valid job file`, `  ${job}:4: not valid JSON: Expected double-quoted property name`, '']);
    expect(sim.stats.total).toBe(0);
  });
});

describe('a JSON manifest of only white space', () => {
  const sim = withSimulator({ users: 5 });
  beforeEach(() => sim.resetStats());

  it('is an empty file (it said "expected an array of row objects…" of a file with nothing in it), exit 2, nothing sent', async () => {
    const dir = await tempDir({ 'blank.json': '\n', 'spaces.json': '  \r\n\t\n' });
    for (const name of ['blank.json', 'spaces.json']) {
      const manifest = join(dir, name);
      refusedWith(await runCli(['plan', '--manifest', manifest, '--out', join(dir, 'o')], { sim }), [
        `EMANIFEST_INVALID: ${manifest} cannot be used; nothing was sent`,
        `  ${manifest}: the file is empty: expected a header row with the key columns (userId, or serviceProviderId and groupId) and fields`,
        '',
      ]);
    }
    expect(sim.stats.total).toBe(0);
    expect(await readdir(dir)).not.toContain('o');
  });
});
