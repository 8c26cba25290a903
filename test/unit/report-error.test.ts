import { describe, expect, it } from '@jest/globals';
import { errorText, usageError } from '../../src/commands/report-error.js';
import { JobError } from '../../src/model/errors.js';

describe('errorText: the one place an error becomes stderr text', () => {
  it('a JobError is its code, message and details', () => {
    expect(errorText(new JobError('EINPUT', 'invalid settings', ['a', 'b']), 'run')).toBe('EINPUT: invalid settings\n  a\n  b\n');
  });

  it('an internal error (exit 70) asks for journal.ndjson and run.log only from a command that writes them', () => {
    const bug = new TypeError('boom');
    for (const command of ['run', 'plan', 'apply', 'demo']) {
      expect(errorText(bug, command)).toMatch(/^internal error: TypeError: boom\n[^]*This is a bug: please report it with this message and, from the run's report folder, journal\.ndjson and run\.log\.\n$/);
    }
    for (const command of ['validate', 'export', 'merge-reports', 'operations', 'simulate', undefined]) {
      const text = errorText(bug, command);
      expect(text).toMatch(/This is a bug: please report it with this message and the command line you ran\.\n$/);
      expect(text).not.toMatch(/journal|run\.log/);
    }
  });
});

describe('usageError: what the argument parser refused, with a suggestion', () => {
  it.each([
    [['run', 'jobs/x.json', '--concurency', '2'], 'Unknown argument: concurency', 'unknown option --concurency for run: did you mean --concurrency?'],
    [['export', '--feilds=a,b'], 'Unknown argument: feilds', 'unknown option --feilds for export: did you mean --fields?'],
    [['validate', '--out', 'x'], 'Unknown argument: out', 'unknown option --out for validate'],
    [['validate', '--name', 'x'], 'Unknown argument: name', 'unknown option --name for validate'],
    [['demo', '--manifest', 'x.csv'], 'Unknown argument: manifest', 'unknown option --manifest for demo'],
    [['aply', 'plans/x'], 'Unknown arguments: aply, plans/x', 'unknown command "aply": did you mean apply?'],
  ])('%j', (argv, message, expected) => {
    expect(usageError(message, argv).message).toBe(expected);
  });
});
