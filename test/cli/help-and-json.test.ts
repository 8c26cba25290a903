import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { odinEnv, runCli, tempDir, withSimulator } from '../kit/index.js';

const COMMANDS = ['run', 'plan', 'apply', 'validate', 'export', 'merge-reports', 'operations', 'demo', 'simulate'];

describe('--help of every command', () => {
  let cwd: string;
  const help: Record<string, string> = {};
  beforeAll(async () => {
    cwd = await tempDir();
    for (const command of COMMANDS) {
      const res = await runCli([command, '--help'], { cwd, env: {} });
      expect(res.code).toBe(0);
      help[command] = res.stdout;
    }
  });

  it.each(COMMANDS)('%s: one or two examples and the environment it reads', (command) => {
    const examples = help[command]!.split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
    const count = examples.split('\n').filter((l) => l.startsWith(`  odin-bulk ${command}`)).length;
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(2);
    expect(help[command]).toMatch(/\nEnvironment: /);
  });

  it('commands that talk to Odin name the three ODIN_* variables; the offline ones say they read none', () => {
    for (const command of ['run', 'plan', 'apply', 'export']) {
      for (const name of ['ODIN_BASE_URL', 'ODIN_USERNAME', 'ODIN_PASSWORD']) expect(help[command]).toContain(name);
    }
    for (const command of ['validate', 'demo', 'operations', 'merge-reports', 'simulate']) expect(help[command]).toMatch(/reads no\s+ODIN_\*\s+variable/);
  });

  it('run and plan group their options: input, safety, speed, output, connection', () => {
    for (const command of ['run', 'plan']) {
      const titles = help[command]!.split('\n').filter((l) => /^[A-Z][a-z]+:$/.test(l));
      expect(titles).toEqual(['Positionals:', 'Input:', 'Safety:', 'Speed:', 'Output:', 'Connection:', 'Options:', 'Examples:']);
    }
  });

  it('demo shows only what demo takes; validate does not offer --name; apply offers --json', () => {
    for (const flag of ['--manifest', '--resume', '--shard', '--ca-file', '--strict-gates']) expect(help.demo).not.toContain(flag);
    for (const flag of ['--out', '--json', '--quiet']) expect(help.demo).toContain(flag);
    expect(help.validate).not.toContain('--name');
    expect(help.validate).not.toContain('--out');
    expect(help.apply).toContain('--json');
  });
});

describe('--json', () => {
  const sim = withSimulator({ users: 5 });
  let cwd: string;
  beforeAll(async () => {
    cwd = await tempDir();
  });

  it('prints exactly summary.json on stdout; the human summary goes to stderr', async () => {
    const u = sim.userIds().slice(0, 2);
    for (const id of u) sim.setFields('user-call-processing-policy', id, { clidPolicy: 'Use DN' });
    await writeFile(join(cwd, 'users.csv'), `userId,clidPolicy\n${u.map((id) => `${id},Use Group CLID`).join('\n')}\n`);
    const env = odinEnv(sim);
    expect((await runCli(['plan', '--manifest', 'users.csv', '--out', 'plan', '--rate', '0'], { cwd, env })).code).toBe(0);
    const res = await runCli(['apply', 'plan', '--out', 'applied', '--json'], { cwd, env });
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(await readFile(join(cwd, 'applied', 'summary.json'), 'utf8'));
    expect(JSON.parse(res.stdout)).toMatchObject({ total: 2, updated: 2, exitCode: 0 });
    expect(res.stderr).toContain('Applied ');
    expect(res.stderr).toContain('Job "users": 2 rows: 2 updated');
  });

  it("with DEBUG naming winston's own debugging (set for something else, say), stdout still holds only summary.json", async () => {
    const [id] = sim.userIds().slice(2, 3);
    await writeFile(join(cwd, 'debug.csv'), `userId,clidPolicy\n${id},Use DN\n`);
    const res = await runCli(['run', '--manifest', 'debug.csv', '--out', 'debug', '--rate', '0', '--json'], { cwd, env: { ...odinEnv(sim), DEBUG: 'winston:*' } });
    expect(res.code).toBe(0);
    expect(res.stdout).toBe(await readFile(join(cwd, 'debug', 'summary.json'), 'utf8'));
    // winston did print its lines, on stderr: the variable was seen.
    expect(res.stderr).toContain('winston:create-logger: Define prototype method for "debug"');
  });
});
