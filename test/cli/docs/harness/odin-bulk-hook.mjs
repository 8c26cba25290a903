// Runs before the binary, in its process: --rate 0 for the commands that send requests, and a log line of the call
// and its exit code (on exit: a process a signal ends logs nothing, see page.sh).
import { appendFileSync } from 'node:fs';
const args = process.argv.slice(2);
const run = args.map((a) => (a.startsWith('--rate=') ? '--rate=0' : a));
if (['run', 'plan', 'apply', 'export', 'demo'].includes(run[0])) {
  const at = run.indexOf('--rate');
  if (at >= 0) run[at + 1] = '0';
  else if (!run.some((a) => a.startsWith('--rate='))) run.push('--rate', '0');
}
process.argv.splice(2, process.argv.length - 2, ...run);
process.on('exit', (code) => appendFileSync(process.env.DOCTEST_LOG, JSON.stringify({ tool: 'odin-bulk', args, code }) + '\n'));
