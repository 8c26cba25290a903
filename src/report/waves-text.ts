import type { WaveRecord, WavesSummary } from '../model/waves.js';
import { escapeHtml, markdownCell as escapeMd } from './escape-text.js';
import { countOf } from '../util/plural.js';

/** `canary: 10 written, 190 waiting` or `waves: 2 of 3 done, 22 written, 178 waiting`: the line a CI log is read for. Pure. */
export function wavesHeadline(w: WavesSummary): string {
  const written = w.waves.reduce((n, x) => n + x.written, 0);
  const failed = w.waves.reduce((n, x) => n + x.failed, 0);
  const reverted = w.waves.reduce((n, x) => n + x.reverted.length, 0);
  const extra = [...(failed ? [`${failed} failed`] : []), ...(reverted ? [`${reverted} reverted`] : [])];
  const counts = [`${written} written`, ...extra, `${w.waiting} waiting`].join(', ');
  if (w.mode === 'canary') return `canary: ${counts}`;
  // A wave whose next one was declined passed its own check.
  const done = w.waves.filter((x) => x.outcome === 'passed' || x.outcome === 'declined').length;
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

/** junit.xml's properties of a run with waves: `waves` (the headline) and `wave.N` (each wave's line). Pure. */
export function wavesProperties(w: WavesSummary | undefined): [string, string][] {
  if (!w) return [];
  return [['waves', wavesHeadline(w)], ...w.waves.map((x): [string, string] => [`wave.${x.wave}`, waveLine(x, w)])];
}

/** summary.md's section of a run with waves. Pure. */
export function wavesMarkdown(w: WavesSummary): string[] {
  const out = [`### ${w.mode === 'canary' ? 'Canary' : 'Waves'}`, '', `${wavesHeadline(w)} (--settle ${w.settleMs / 1000} s, --wave-max-failures ${w.maxFailures}).`, ''];
  out.push('| wave | up to rows | written | failed | read again | reverted | outcome |', '| ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const x of w.waves) out.push(`| ${x.wave} | ${x.upTo} | ${x.written} | ${x.failed} | ${x.checked} | ${x.reverted.length} | ${OUTCOME[x.outcome]} |`);
  const reverted = w.waves.flatMap((x) => x.reverted);
  if (reverted.length) {
    out.push('', 'Reverted users (no longer holding the written values when read again):', '');
    for (const r of reverted.slice(0, REVERTED_SHOWN)) out.push(`- line ${r.line} ${escapeMd(r.id)}: ${r.fields.map((f) => `${f.field} is ${JSON.stringify(f.found)}, written ${JSON.stringify(f.written)}`).map(escapeMd).join('; ')}`);
    if (reverted.length > REVERTED_SHOWN) out.push(`- … and ${reverted.length - REVERTED_SHOWN} more (summary.json)`);
  }
  if (w.waiting) out.push('', `${countOf(w.waiting, 'row')} waiting: \`odin-bulk run … --resume DIR\` continues them.`);
  return out;
}

/** report.html's section of a run with waves. Pure. */
export function wavesHtml(w: WavesSummary): string {
  const rows = w.waves.map((x) => `<tr><td class="num">${x.wave}</td><td class="num">${x.upTo}</td><td class="num">${x.written}</td><td class="num">${x.failed}</td><td class="num">${x.checked}</td><td class="num">${x.reverted.length}</td><td>${escapeHtml(OUTCOME[x.outcome])}</td></tr>`);
  const reverted = w.waves.flatMap((x) => x.reverted).slice(0, REVERTED_SHOWN);
  const list = reverted.map((r) => `<li>line ${r.line} ${escapeHtml(r.id)}: ${escapeHtml(r.fields.map((f) => `${f.field} is ${JSON.stringify(f.found)}, written ${JSON.stringify(f.written)}`).join('; '))}</li>`);
  return (
    `<section id="waves"><h2>${w.mode === 'canary' ? 'Canary' : 'Waves'}</h2><p>${escapeHtml(wavesHeadline(w))}</p>\n` +
    `<table><thead><tr><th scope="col">wave</th><th scope="col">up to rows</th><th scope="col">written</th><th scope="col">failed</th><th scope="col">read again</th><th scope="col">reverted</th><th scope="col">outcome</th></tr></thead><tbody>${rows.join('')}</tbody></table>\n` +
    (list.length ? `<h3>Reverted users</h3><ul class="warning">${list.join('')}</ul>\n` : '') +
    `</section>\n`
  );
}
