import type { SimFields } from './broadworks-rules.js';
import type { Delays } from './http-io.js';
import { mulberry32 } from './prng.js';

/** `revertShare` / `revertDelayMs`: a share of accepted PUTs is undone later, as a server-side job that resets values would. */
export type RevertSettings = { revertShare: number; revertDelayMs: number };

/**
 * Undoes a share of accepted PUTs after a delay: each field the PUT set goes back to its value from before it,
 * unless something else has written the field since. The PUT itself answers normally (the write verifies), so
 * only reading the user again later shows it. Which PUTs are undone is drawn from its own seeded PRNG, on
 * arrival order and only while the share is above 0, so the other faults draw the same numbers either way.
 */
export class Reverter {
  private readonly random: () => number;
  /** PUTs undone so far. */
  reverted = 0;

  constructor(seed: number, private readonly settings: () => RevertSettings, private readonly delays: Delays) {
    this.random = mulberry32(seed ^ 0x2e7e27);
  }

  /** After an accepted PUT of `written` to `live` (the target's state), whose fields held `before` until then. */
  afterPut(live: SimFields, before: SimFields, written: SimFields): void {
    const { revertShare, revertDelayMs } = this.settings();
    if (revertShare <= 0 || this.random() >= revertShare) return;
    const undo = () => {
      let any = false;
      for (const [field, value] of Object.entries(written)) {
        if (live[field] !== value || before[field] === value) continue;
        live[field] = before[field] ?? null;
        any = true;
      }
      if (any) this.reverted++;
    };
    void this.delays.wait(revertDelayMs).then((open) => open && undo());
  }
}

/** `0.3` or `0.3:2000` (`--revert SHARE[:DELAY_MS]`) → the settings; a message when invalid. */
export function parseRevert(text: string): RevertSettings | { problem: string } {
  const m = /^\s*(\d*\.?\d+)\s*(?::\s*(\d+)\s*)?$/.exec(text);
  const share = m ? Number(m[1]) : NaN;
  if (!m || !(share >= 0 && share <= 1)) {
    return { problem: `--revert: SHARE[:DELAY_MS], a share of accepted PUTs from 0 to 1 and the milliseconds before each is undone, e.g. 0.2:1000, got "${text}"` };
  }
  return { revertShare: share, revertDelayMs: m[2] === undefined ? 0 : Number(m[2]) };
}
