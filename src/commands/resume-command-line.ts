import { shellQuote } from '../util/shell-quote.js';
/** Options whose value names the report folder: replaced by `--resume DIR` in the printed command. */
const FOLDER_OPTIONS = ['--resume', '--out', '-o'];

/** Options dropped from the command that continues a canary: the rest is not a canary. */
export const CANARY_OPTIONS = ['--canary', '--settle', '--wave-max-failures', '--wave-order', '--confirm'];
/** Options among those that take no value. */
const SWITCHES = ['--confirm'];

/**
 * The command that resumes a run: the operator's own arguments, minus any --out/--resume, plus `--resume DIR`,
 * quoted for a POSIX shell so it can be pasted as is. Without the original arguments (library use, demo) a
 * template is given. `drop`: options left out with their value (e.g. `--canary`: the continuing run writes the rest).
 */
export function resumeCommandLine(argv: readonly string[] | undefined, dir: string, dryRun: boolean, drop: readonly string[] = []): string {
  if (!argv) return `odin-bulk ${dryRun ? 'plan' : 'run'} <the same job file and options> --resume ${shellQuote(dir)}`;
  const kept: string[] = [];
  const dropped = [...FOLDER_OPTIONS, ...drop];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (drop.some((o) => arg.startsWith(`${o}=`)) || (SWITCHES.includes(arg) && drop.includes(arg))) continue;
    if (dropped.includes(arg)) {
      i++; // and its value
      continue;
    }
    if (FOLDER_OPTIONS.some((o) => arg.startsWith(`${o}=`)) || (arg.startsWith('-o') && !arg.startsWith('--') && arg.length > 2)) continue;
    kept.push(arg);
  }
  return ['odin-bulk', ...kept, '--resume', dir].map(shellQuote).join(' ');
}


