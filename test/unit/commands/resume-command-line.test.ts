import { describe, expect, it } from '@jest/globals';
import { resumeCommandLine } from '../../../src/commands/resume-command-line.js';
import { shellQuote } from '../../../src/util/shell-quote.js';

describe('resumeCommandLine', () => {
  it.each([
    [['run', 'jobs/clid.json'], 'odin-bulk run jobs/clid.json --resume reports/clid-1'],
    [['run', 'jobs/clid.json', '--out', 'reports/x', '-c', '8'], 'odin-bulk run jobs/clid.json -c 8 --resume reports/clid-1'],
    [['run', '-m', 'a.csv', '-o', 'old', '--max-failures', '5%'], 'odin-bulk run -m a.csv --max-failures 5% --resume reports/clid-1'],
    [['run', '-m', 'a.csv', '--out=old', '-oold'], 'odin-bulk run -m a.csv --resume reports/clid-1'],
    [['run', '-m', 'a.csv', '--resume', 'reports/clid-1'], 'odin-bulk run -m a.csv --resume reports/clid-1'],
    [['run', '-m', 'a.csv', '--resume=reports/clid-1'], 'odin-bulk run -m a.csv --resume reports/clid-1'],
    [['plan', '-m', 'my users.csv', '--name', "o'brien"], `odin-bulk plan -m 'my users.csv' --name 'o'\\''brien' --resume reports/clid-1`],
  ])('%j', (argv, expected) => {
    expect(resumeCommandLine(argv, 'reports/clid-1', false)).toBe(expected);
  });

  it('without the original arguments gives a template', () => {
    expect(resumeCommandLine(undefined, 'reports/a b', true)).toBe("odin-bulk plan <the same job file and options> --resume 'reports/a b'");
  });

  it('shellQuote leaves plain words bare and quotes the rest', () => {
    expect(['a-b_c.csv', 'x/y:z@w', '$HOME', 'a;b', '', 'it\'s'].map(shellQuote)).toEqual(['a-b_c.csv', 'x/y:z@w', "'$HOME'", "'a;b'", "''", "'it'\\''s'"]);
  });
});
