import { JobError } from '../model/errors.js';
import { COMMAND_OPTIONS } from './cli-options.js';

/**
 * Refuses an option given more than once (`--manifest a.csv --manifest b.csv`, `--rate 1 --rate 2`, `-o a --out b`):
 * yargs gathers the values into a list, which no setting takes, and which one was meant is not odin-bulk's to guess.
 * Options that are lists by nature (the simulator's `--unassigned`, `--licences`) are left alone.
 */
export function refuseRepeatedOptions(parsed: Record<string, unknown>, command: string): void {
  const problems: string[] = [];
  for (const options of Object.values(COMMAND_OPTIONS[command] ?? {})) {
    for (const [name, definition] of Object.entries(options)) {
      const value = parsed[name];
      if (definition.array || !Array.isArray(value)) continue;
      const values = value.map((v) => JSON.stringify(v)).join(', ');
      problems.push(`command line --${name}: given ${value.length} times (${values}): give it once`);
    }
  }
  if (problems.length) throw new JobError('EINPUT', 'invalid settings', problems);
}
