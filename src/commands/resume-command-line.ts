import { shellQuote } from '../util/shell-quote.js';
/** Options whose value names the report folder: replaced by `--resume DIR` in the printed command. */
const FOLDER_OPTIONS = ['--resume', '--out', '-o'];

/**
 * The command that resumes a run: the operator's own arguments, minus any --out/--resume, plus `--resume DIR`,
 * quoted for a POSIX shell so it can be pasted as is. Without the original arguments (library use, demo) a
 * template is given.
 */
export function resumeCommandLine(argv: readonly string[] | undefined, dir: string, dryRun: boolean): string {
  if (!argv) return `odin-bulk ${dryRun ? 'plan' : 'run'} <the same job file and options> --resume ${shellQuote(dir)}`;
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (FOLDER_OPTIONS.includes(arg)) {
      i++; // and its value
      continue;
    }
    if (FOLDER_OPTIONS.some((o) => arg.startsWith(`${o}=`)) || (arg.startsWith('-o') && !arg.startsWith('--') && arg.length > 2)) continue;
    kept.push(arg);
  }
  return ['odin-bulk', ...kept, '--resume', dir].map(shellQuote).join(' ');
}


