import { JobError } from '../model/errors.js';
import { suggest } from '../operations/coerce-value.js';
import { COMMAND_OPTIONS, flagNames } from './cli-options.js';

/** Commands that write a report folder with journal.ndjson and run.log: only they can ask for them in a bug report. */
const WRITES_JOURNAL = new Set(['run', 'plan', 'apply', 'demo']);

/** The one place an error becomes text for stderr: a JobError as `CODE: message` and its details, anything else as a bug. */
export function errorText(error: unknown, command: string | undefined): string {
  if (error instanceof JobError) return `${error.code}: ${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`;
  const attach = command && WRITES_JOURNAL.has(command)
    ? "this message and, from the run's report folder, journal.ndjson and run.log"
    : 'this message and the command line you ran';
  return `internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug: please report it with ${attach}.\n`;
}

/**
 * A usage error from the argument parser as EINPUT (exit 2), with a suggestion: `--concurency` → "did you mean
 * --concurrency?", `runn` → "did you mean run?".
 */
export function usageError(message: string, argv: readonly string[]): JobError {
  const commands = Object.keys(COMMAND_OPTIONS);
  const command = argv.find((a) => commands.includes(a));
  const more = [`Run odin-bulk ${command ? `${command} ` : ''}--help for ${command ? 'its' : 'the commands and'} options.`];
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (!unknown) return new JobError('EINPUT', message, more);
  // Without a known command, the first word is the mistyped command and the rest is only its arguments.
  const names = unknown[1]!.split(', ');
  const listed = command ? names : names.filter((name, i) => i === 0 || argv.some((a) => a === `--${name}` || a === `-${name}` || a.startsWith(`--${name}=`)));
  const lines = listed.map((name) => {
    const typed = argv.find((a) => a === `--${name}` || a === `-${name}` || a.startsWith(`--${name}=`));
    if (typed !== undefined) {
      const flag = typed.split('=')[0]!;
      const hint = suggest(flag, flagNames(command));
      return `unknown option ${flag}${command ? ` for ${command}` : ''}${hint ? `: did you mean ${hint}?` : ''}`;
    }
    if (!command) {
      const hint = suggest(name, commands);
      return `unknown command "${name}"${hint ? `: did you mean ${hint}?` : ''}`;
    }
    return `unexpected argument "${name}"${looksLikeManifest(name) ? `: this looks like a manifest: use --manifest ${name}` : ''}`;
  });
  return new JobError('EINPUT', lines.join('; '), more);
}

const looksLikeManifest = (arg: string) => /\.(csv|json)$/i.test(arg);
