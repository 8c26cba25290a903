import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES, odinEnv, OP, readJson, runCli, tempDir, withSimulator } from '../../kit/index.js';

const U = (n: number) => `user0000${n}@sim.odin.test`;
/** The manifest the docs use to show a list of problems (docs/manifests.md), and what the tool prints for it. */
const README_EXAMPLE = join(FIXTURES, 'manifests', 'readme-example');

describe('manifest messages (built binary, nothing sent)', () => {
  const sim = withSimulator({ users: 10 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });
  beforeEach(() => sim.resetStats());

  const write = async (name: string, text: string | Buffer) => {
    await writeFile(join(dir, name), text);
    return name;
  };
  const check = (args: string[], env: NodeJS.ProcessEnv = odinEnv(sim)) => runCli(args, { env, cwd: dir });

  it('a CSV structure error does not hide the other problems: the three problems of the docs, exactly', async () => {
    const res = await runCli(['run', '--manifest', 'users.csv'], { sim, cwd: README_EXAMPLE });
    expect(res.code).toBe(2);
    // The same text is in docs/manifests.md (checked by test/cli/docs/doc-commands.test.ts).
    expect(res.stderr).toBe(await readFile(join(README_EXAMPLE, 'expected-stderr.txt'), 'utf8'));
    expect(sim.stats.total).toBe(0);
  });

  it('every uneven row is listed; a broken quote stops the reading there and says so', async () => {
    const file = await write('uneven.csv', `userId,clidPolicy\n${U(1)},Use DN,x\n${U(2)},Use Bogus\n${U(3)}\n${U(4)},"Use DN"x\n${U(5)},Use DN,y\n`);
    const res = await check(['validate', '--manifest', file]);
    expect(res.stderr.split('\n')).toEqual([
      `EMANIFEST_INVALID: ${file} has 4 problems; nothing was sent`,
      `  ${file}:2: row has 3 cells but the header has 2 columns; check for a missing or extra comma, or quote a cell that contains one`,
      expect.stringMatching(new RegExp(`^  ${file}:3 clidPolicy: "Use Bogus" is not allowed`)),
      `  ${file}:4: row has 1 cells but the header has 2 columns; check for a missing or extra comma, or quote a cell that contains one`,
      `  ${file}:5: a quote (") stands inside a cell; quote the whole cell and double the inner quote (""); the rest of the file was not checked`,
      '',
    ]);
  });

  it("a ';'-separated file is named as such; --delimiter ';' (or the job file's \"delimiter\") reads it", async () => {
    const file = await write('excel.csv', `userId;useUserCLIDSetting;clidPolicy\r\n${U(1)};true;Use Group CLID\r\n${U(2)};true;Use DN\r\n`);
    const res = await check(['run', '--manifest', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `EMANIFEST_INVALID: ${file} has 1 problem; nothing was sent\n` +
        `  ${file}:1: the file seems to use ';' between cells, not ',' (the header reads as one column "userId;useUserCLIDSetting;clidPolicy"); ` +
        `save it as CSV with commas (in Excel: "CSV UTF-8 (Comma delimited)") or pass --delimiter ';'\n`,
    );
    expect(sim.stats.total).toBe(0);

    const ok = await check(['run', '--manifest', file, '--delimiter', ';', '--out', 'semi', '--rate', '0']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(sim.getFields(OP, U(1))).toMatchObject({ useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });
    expect(await readJson(join(dir, 'semi', 'run.json'))).toMatchObject({ delimiter: ';' });
    // The undo file is an ordinary comma-separated manifest.
    expect((await readFile(join(dir, 'semi', 'rollback.csv'), 'utf8')).split('\n')[0]).toBe('userId,useUserCLIDSetting,clidPolicy');

    await write('semi-job.json', JSON.stringify({ manifest: file, delimiter: ';' }));
    expect((await check(['validate', 'semi-job.json'], {})).stdout).toBe(`${join(dir, file)}: 2 rows valid for ${OP}; fields: useUserCLIDSetting, clidPolicy\n`);
    sim.resetStats();
    const exported = await check(['export', '--manifest', file, '--out', 'snapshot.csv']);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain(`${file}:1: the file seems to use ';' between cells, not ','`);
    expect(sim.stats.total).toBe(0);
    const bad = await check(['validate', '--manifest', file, '--delimiter', 'ab'], {});
    expect(bad.stderr).toContain(`command line --delimiter: must be one character, e.g. ';' (or the word tab), got "ab"`);
  });

  it('mixed CRLF and LF line endings are read as line ends', async () => {
    const file = await write('mixed.csv', `userId,clidPolicy\r\n${U(1)},Use DN\n${U(2)},Use DN\r\n${U(3)},Use DN\n`);
    const res = await check(['validate', '--manifest', file], {});
    expect(res.stderr).toBe('');
    expect(res.stdout).toBe(`${file}: 3 rows valid for ${OP}; fields: clidPolicy\n`);
  });

  it('a JSON file written on one line names each row as rows[N] beside the line', async () => {
    const rows = [1, 2, 3, 4].map((n) => ({ userId: U(n), clidPolicy: n === 4 ? 'use dn' : 'Use DN' }));
    const file = await write('one-line.json', JSON.stringify({ rows: [...rows, { userId: U(1), clidPolicy: 'Use DN' }] }));
    const res = await check(['validate', '--manifest', file], {});
    expect(res.stderr.split('\n').slice(1, 3)).toEqual([
      expect.stringMatching(new RegExp(`^  ${file}:1 rows\\[3\\]\\.clidPolicy: "use dn" is not allowed: did you mean 'Use DN'\\?`)),
      `  ${file}:1 rows[4].userId: duplicate userId "${U(1)}", first seen on line 1`,
    ]);
  });

  it('invisible characters in a userId or a choice are refused and shown escaped; free text is sent as written', async () => {
    const file = await write('invisible.csv', [
      'userId,clidPolicy,supportedMediaSetName',
      `${U(1)},Use\u00a0DN,`,
      `user\u200b00002@sim.odin.test,Use DN,`,
      `${U(3)},\uFEFFUse DN,`,
      `${U(4)},Use DN,HD\u200d`,
      `${U(5)},Use DN,HD wideband`,
    ].join('\n'));
    const res = await check(['run', '--manifest', file]);
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')).toEqual([
      `EMANIFEST_INVALID: ${file} has 3 problems; nothing was sent`,
      `  ${file}:2 clidPolicy: "Use\\u00a0DN" contains an invisible character (\\u00a0, a no-break space): retype the value; did you mean 'Use DN'?`,
      `  ${file}:3 userId: "user\\u200b00002@sim.odin.test" contains an invisible character (\\u200b, a zero-width space): retype the value`,
      `  ${file}:4 clidPolicy: "\\ufeffUse DN" contains an invisible character (\\ufeff, a byte-order mark): retype the value; did you mean 'Use DN'?`,
      '',
    ]);
    expect(sim.stats.total).toBe(0);
  });

  it('userIds that differ only in case are one user: refused', async () => {
    const file = await write('case.csv', `userId,clidPolicy\nalice@example.com,Use DN\nbob@example.com,Use DN\nAlice@Example.com,Use Group CLID\n`);
    const res = await check(['run', '--manifest', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `  ${file}:4 userId: userId "Alice@Example.com" differs only in case from the userId on line 2: that is one user to BroadWorks, written twice ` +
        '(and the rollback would restore the value in between); keep one of the two rows\n',
    );
    expect(sim.stats.total).toBe(0);
  });

  it('a manifest where the job file goes: "this looks like a manifest: use --manifest"', async () => {
    const file = await write('users.csv', `userId,clidPolicy\n${U(1)},Use DN\n`);
    const res = await check(['run', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      `EINPUT: ${file} is not a valid job file\n` +
        `  ${file}: this looks like a manifest, not a job file: use --manifest ${file} (a job file is a JSON object with "manifest", "operation", "defaults"…)\n`,
    );
    const extra = await check(['validate', file, 'more.csv'], {});
    expect(extra.stderr).toContain('EINPUT: unexpected argument "more.csv": this looks like a manifest: use --manifest more.csv');
    expect(sim.stats.total).toBe(0);
  });

  it('an unknown command or option gets a suggestion; -h is --help', async () => {
    expect((await check(['plna'], {})).stderr).toBe('EINPUT: unknown command "plna": did you mean plan?\n  Run odin-bulk --help for the commands and options.\n');
    expect((await check(['plan', '--manifest', 'x.csv', '--retry-faild'], {})).stderr).toContain('unknown option --retry-faild for plan: did you mean --retry-failed?');
    const help = await check(['plan', '-h'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await check(['plan', '--help'], {})).stdout);
    expect(help.stdout).toContain('odin-bulk plan [job]');
  });
});
