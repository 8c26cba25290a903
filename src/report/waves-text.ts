import type { WaveRecord, WavesSummary } from '../model/waves.js';
import { countOf } from '../util/plural.js';

/** `canary: 10 written, 190 waiting` or `waves: 2 of 3 done, 22 written, 178 waiting`: the line a CI log is read for. Pure. */
export function wavesHeadline(w: WavesSummary): string {
  const written = w.waves.reduce((n, x) => n + x.written, 0);
  const failed = w.waves.reduce((n, x) => n + x.failed, 0);
  const reverted = w.waves.reduce((n, x) => n + x.reverted.length, 0);
  const extra = [...(failed ? [`${failed} failed`] : []), ...(reverted ? [`${reverted} reverted`] : [])];
  const counts = [`${written} written`, ...extra, `${w.waiting} waiting`].join(', ');
  if (w.mode === 'canary') return `canary: ${counts}`;
  const done = w.waves.filter((x) => x.outcome === 'passed').length;
  return `waves (${w.sizes.join(',')}): ${done} of ${w.sizes.length} passed, ${counts}`;
}

/** One line per wave: what it wrote, what the re-read found, and its outcome. Pure. */
export function waveLine(x: WaveRecord, w: Pick<WavesSummary, 'mode' | 'sizes'>): string {
  const label = w.mode === 'canary' ? 'canary' : `wave ${x.wave}`;
  const found = [
    `${x.written} written`,
    ...(x.failed ? [`${x.failed} failed`] : []),
    `${x.checked} read again after the settle time`,
    `${x.reverted.length} reverted`,
    ...(x.unreadable ? [`${x.unreadable} unreadable`] : []),
  ];
  return `${label} (up to ${countOf(x.upTo, 'row')}): ${found.join(', ')}: ${OUTCOME[x.outcome]}`;
}

const OUTCOME: Record<WaveRecord['outcome'], string> = {
  passed: 'passed',
  stopped: 'stopped the run',
  declined: 'next wave declined (--confirm)',
  interrupted: 'interrupted',
};

/** The console lines after a run with waves: the headline, each wave, reverted users, and how to continue. Pure. */
export function wavesConsoleLines(w: WavesSummary, continueCommand: string): string[] {
  const lines = [wavesHeadline(w)];
  if (w.mode === 'waves' || w.waves.some((x) => x.outcome !== 'passed' || x.reverted.length)) lines.push(...w.waves.map((x) => `  ${waveLine(x, w)}`));
  const reverted = w.waves.flatMap((x) => x.reverted);
  for (const r of reverted.slice(0, REVERTED_SHOWN)) {
    lines.push(`  reverted: line ${r.line} ${r.id}: ${r.fields.map((f) => `${f.field} is ${JSON.stringify(f.found)}, written ${JSON.stringify(f.written)}`).join('; ')}`);
  }
  if (reverted.length > REVERTED_SHOWN) lines.push(`  … and ${reverted.length - REVERTED_SHOWN} more reverted users (summary.json, report.html)`);
  const stopped = w.waves.some((x) => x.outcome === 'stopped');
  if (w.waiting > 0) {
    lines.push(
      stopped
        ? `${countOf(w.waiting, 'row')} waiting. Once the cause is understood, continue with:`
        : `${countOf(w.waiting, 'row')} waiting. Check the ${w.mode === 'canary' ? 'canary' : 'users written so far'}, then continue with:`,
      `  ${continueCommand}`,
    );
  }
  return lines;
}

/** Reverted users listed on the console; all are in summary.json and report.html. */
export const REVERTED_SHOWN = 20;
