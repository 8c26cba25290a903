import { createInterface } from 'node:readline';
import type { ConfirmWave } from '../engine/waves.js';
import { JobError } from '../model/errors.js';
import { PlanReview } from '../report/plan-review.js';
import { waveLine } from '../report/waves-text.js';
import type { CliIo } from './cli-io.js';

/** Users a `show` answer lists. */
const SHOWN = 50;

/**
 * `--confirm`: before each next wave, asks on the terminal `y` (go on), `n` (stop: the rest waits for --resume)
 * or `show` (the wave's users and their changes, then asks again). End of input counts as `n`. Without a terminal
 * on stdin and stderr it is an input error before anything is sent: a pipeline approves with a manual job instead.
 */
export function terminalConfirm(io: CliIo, fieldOrder: readonly string[]): (hold: () => () => void) => ConfirmWave {
  const stdin = io.stdin;
  if (!stdin || (stdin as { isTTY?: unknown }).isTTY !== true || (io.stderr as { isTTY?: unknown }).isTTY !== true) {
    throw new JobError('EINPUT', '--confirm asks before each wave on a terminal, and this one has none (stdin or stderr is not a terminal)', [
      'In a pipeline, run --canary N (or --waves with the last wave short of 100%), then approve the continuing job by hand (docs/canary-and-waves.md).',
    ]);
  }
  return (hold) => (wave, next, rows) =>
    new Promise<boolean>((resolve) => {
      // The progress bar would redraw over the question: it is taken off the terminal until the answer.
      const release = hold();
      const rl = createInterface({ input: stdin, output: io.stderr });
      let done = false;
      const finish = (answer: boolean) => {
        if (done) return;
        done = true;
        rl.close();
        release();
        resolve(answer);
      };
      rl.once('close', () => finish(false));
      const ask = () =>
        rl.question(`${waveLine(wave, { mode: 'waves', sizes: [] })}. Go on with wave ${next.wave} of ${next.of} (up to ${next.upTo} rows)? [y/n/show] `, (answer) => {
          const a = answer.trim().toLowerCase();
          if (a === 'y' || a === 'yes') return finish(true);
          if (a === 'n' || a === 'no') return finish(false);
          if (a === 'show' || a === 's') {
            const review = new PlanReview(fieldOrder, false, SHOWN);
            for (const r of rows) review.add(r);
            const failed = rows.filter((r) => r.status !== 'updated').map((r) => `  ✗ line ${r.line} ${r.id}: ${r.status}: ${r.error ?? ''}`);
            const reverted = wave.reverted.map((r) => `  ↺ line ${r.line} ${r.id}: ${r.fields.map((f) => `${f.field} is ${JSON.stringify(f.found)}, written ${JSON.stringify(f.written)}`).join('; ')}`);
            io.stderr.write([...review.text(), ...failed, ...reverted].join('\n') + '\n');
          } else io.stderr.write('Answer y (go on), n (stop here; the rest waits for --resume) or show.\n');
          ask();
        });
      // After the lines the run logged about the wave, which the logger writes on a later tick.
      setImmediate(ask);
    });
}
