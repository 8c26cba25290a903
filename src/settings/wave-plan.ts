import type { WavePlan } from '../model/waves.js';
import { resolveSettings, type FlagProblem } from './resolve-job.js';
import type { GivenSettings } from './settings-table.js';

/** The settings that only mean something with --canary or --waves. */
const WAVE_OPTIONS = ['settle', 'waveMaxFailures', 'waveOrder', 'confirm'] as const;
const FLAG = { settle: '--settle', waveMaxFailures: '--wave-max-failures', waveOrder: '--wave-order', confirm: '--confirm' } as const;

/**
 * `--canary N|N%` or `--waves LIST`, with `--settle`, `--wave-max-failures` and `--wave-order`, as one WavePlan;
 * undefined when neither is given. Problems go to `flag` (EINPUT, exit 2, nothing sent).
 */
export function resolveWavePlan(given: GivenSettings, flag: FlagProblem, context: { dryRun?: boolean; apply?: boolean }): WavePlan | undefined {
  const s = resolveSettings(['canary', 'waves', ...WAVE_OPTIONS], given, { flag });
  if (given.canary !== undefined && given.waves !== undefined) {
    flag('--waves', 'give either --canary (one wave, the rest waits for --resume) or --waves, not both');
    return undefined;
  }
  if (given.canary === undefined && given.waves === undefined) {
    for (const name of WAVE_OPTIONS) {
      if (given[name] !== undefined && given[name] !== false) flag(FLAG[name], 'only goes with --canary N or --waves LIST');
    }
    return undefined;
  }
  const which = given.canary !== undefined ? '--canary' : '--waves';
  if (context.dryRun) {
    flag(which, 'a plan writes nothing, so it has no waves: give --canary or --waves to `odin-bulk apply` (or to `run`)');
    return undefined;
  }
  if (s.waveOrder === 'spread' && context.apply) {
    flag('--wave-order', "apply writes in the plan's order (plan.json names no groups); spread goes with run");
    return undefined;
  }
  const sizes = s.canary ? [s.canary] : s.waves;
  if (!sizes) return undefined;
  return { mode: s.canary ? 'canary' : 'waves', sizes, settleMs: s.settle!, maxFailures: s.waveMaxFailures!, order: s.waveOrder! };
}
