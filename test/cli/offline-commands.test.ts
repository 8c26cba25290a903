import { beforeEach, describe, expect, it } from '@jest/globals';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readCsvRecords, readSummary, runCli, tempDir } from '../kit/index.js';

let cwd: string;
beforeEach(async () => {
  cwd = await tempDir();
});

describe('commands that need no Odin', () => {
  it('validate works with no environment at all', async () => {
    await writeFile(join(cwd, 'users.csv'), 'userId,useUserCLIDSetting,clidPolicy\nuser00001@sim.odin.test,true,Use DN\nuser00002@sim.odin.test,,Use Group CLID\n');
    const { code, stdout, stderr } = await runCli(['validate', '--manifest', 'users.csv'], { cwd, env: {} });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('users.csv: 2 rows valid for user-call-processing-policy; fields: useUserCLIDSetting, clidPolicy\n');
  });

  it('validate exits 2 on a bad manifest, naming file:line field', async () => {
    await writeFile(join(cwd, 'users.json'), '[\n  {"userId": "a@x", "maxSimultaneousCalls": 0}\n]\n');
    const { code, stderr } = await runCli(['validate', '-m', 'users.json'], { cwd, env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain('users.json:2 maxSimultaneousCalls: 0 is out of range: expected 1 to 999999');
  });

  it('operations lists the fields with their types and gates', async () => {
    const { code, stdout } = await runCli(['operations'], { cwd, env: {} });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^user-call-processing-policy {2}\(userId\)$/m);
    expect(stdout).toMatch(/^ {4}clidPolicy +'Use DN' \| 'Use Configurable CLID' \| 'Use Group CLID' {2}\[needs useUserCLIDSetting\]$/m);
    expect(stdout).toMatch(/^ {4}maxCallTimeForAnsweredCallsMinutes +integer 3–2880/m);
  });

  it('--help exits 0 and lists the commands', async () => {
    const { code, stdout } = await runCli(['--help'], { cwd, env: {} });
    expect(code).toBe(0);
    for (const command of ['run [job]', 'plan [job]', 'validate [job]', 'operations', 'demo', 'simulate']) expect(stdout).toContain(command);
  });

  it('no command is an input error (exit 2)', async () => {
    const { code, stderr } = await runCli([], { cwd, env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain('Name a command');
  });

  it('demo runs the sample job against its own simulator, exit 0, and prints the report folder', async () => {
    const { code, stdout } = await runCli(['demo'], { cwd, env: {} });
    expect(code).toBe(0);
    const folder = /^Reports: (reports\/demo-\d{8}T\d{6}Z)$/m.exec(stdout)?.[1];
    expect(folder).toBeDefined();
    expect(stdout).toMatch(/^Job "demo": 40 rows: /m);
    expect(stdout).toContain('Stopped the simulator.');
    // The undo line names a simulator that is gone: the demo says so, and where to rehearse an undo.
    expect(stdout).toContain('This simulator stops now, so there is nothing left to undo; to rehearse plan, run and undo, start one with odin-bulk simulate (README: Your first real job)');
    expect(stdout).toContain('Next, a baseline: assign the services, then several settings per user in one job, one report, one undo: jobs/new-hires-baseline.json (docs/baselines.md)');
    expect(await readdir(join(cwd, 'reports'))).toHaveLength(1);
    const summary = await readSummary(join(cwd, folder!));
    expect(summary).toMatchObject({ total: 40, failed: 0, exitCode: 0 });
    expect(await readCsvRecords(join(cwd, folder!, 'results.csv'))).toHaveLength(40);
  });
});
