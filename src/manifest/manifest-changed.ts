import { JobError } from '../model/errors.js';

/**
 * A manifest read a second time (one beyond the read-once limit) whose row no longer passes: the file changed after
 * validation. The run (or export) stops there, EABORTED (exit 4), saying what was done and how to go on.
 */
export function manifestChanged(file: string, command: 'run' | 'export', line: number, problem?: string): JobError {
  const what = `${file} changed during the ${command}: line ${line}${problem ? `: ${problem}` : ''}`;
  if (command === 'export') {
    return new JobError('EABORTED', what, ['The export stopped there and wrote no file. Edit a manifest between commands, not during one, then export again.']);
  }
  return new JobError('EABORTED', what, [
    'The run stopped there: the rows before it were run, each is in the report folder\'s journal.ndjson, and no reports were written.',
    'Edit a manifest between runs, not during one. Either put the file back exactly as it was and resume (--resume DIR),',
    'or start a new run with the changed file: rows already done are read, found unchanged and not written again.',
  ]);
}
