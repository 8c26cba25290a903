import { createHash } from 'node:crypto';
import { ROW_STATUSES, type RowResult } from '../model/row-result.js';
import { AtomicFile, writeAround } from '../records/atomic-file.js';
import { escapeHtml, jsonForScript } from './escape-text.js';
import { REPORT_CSS, REPORT_SCRIPT } from './html-report-assets.js';
import { encodeResultRow } from '../records/row-codec.js';
import { runSource, type RunInfo } from '../records/run-info.js';
import type { JobSummary } from '../model/summary.js';
import { countOf } from '../util/plural.js';

export const HTML_REPORT_FILE = 'report.html';

// Only the inline style and script below may run; the page can load nothing, so it cannot call out either.
const CSP = [
  "default-src 'none'",
  `style-src '${sha256(REPORT_CSS)}'`,
  `script-src '${sha256(REPORT_SCRIPT)}'`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * report.html, one self-contained file: the summary, then every row with its per-field before → after, a status
 * filter and a userId search. The rows go, as they are added, into a `<script type="application/json">` block kept
 * in a part file beside the report (report.html.rows.partial), so the writer holds one row at a time; the page's
 * head, which shows the summary, is written at the end, then the part's bytes, then the tail. The page itself holds
 * every row.
 */
export class HtmlReportWriter {
  private readonly rows: AtomicFile;
  private first = true;

  constructor(private readonly path: string) {
    this.rows = new AtomicFile(`${path}.rows`);
  }

  add(row: RowResult): void {
    // The page's row: results.json's, with the display id.
    this.rows.write(`${this.first ? '\n' : ',\n'}${jsonForScript({ id: row.id, ...encodeResultRow(row) })}`);
    this.first = false;
  }

  /** Writes the page around the rows. `dir`: the report folder it names; `sections`: further HTML sections (the plan review, the waves), shown above the rows. */
  async commit(info: RunInfo, summary: JobSummary, dir: string, sections = ''): Promise<void> {
    const open = `<script type="application/json" id="odin-bulk-data">{"fields":${jsonForScript(info.fieldsUsed)},"rows":[`;
    await writeAround(this.path, head(info, summary, dir, sections) + open, this.rows, `\n]}</script>\n<script>${REPORT_SCRIPT}</script>\n</body>\n</html>\n`);
  }

  drained(): Promise<void> {
    return this.rows.drained();
  }

  discard(): Promise<void> {
    return this.rows.discard();
  }
}

function head(info: RunInfo, summary: JobSummary, dir: string, sections: string): string {
  const mode = info.dryRun ? 'plan' : 'run';
  const title = `odin-bulk ${mode} "${info.job}"`;
  const counts = ROW_STATUSES.map((s) => countButton(s, s, summary[s] ?? 0)).join('');
  const options = ROW_STATUSES.map((s) => `<option value="${s}">${s} (${summary[s] ?? 0})</option>`).join('');
  const groups = stepGroups(info.fieldsUsed, summary);
  // A job of steps: a column group per step, its fields named without the operation (the full name in the title).
  const fieldHeads = info.fieldsUsed
    .map((f) => {
      const group = groups.find((g) => g.fields.includes(f));
      return group ? `<th scope="col" title="${escapeHtml(f)}">${escapeHtml(f.slice(group.step.length + 1))}</th>` : `<th scope="col">${escapeHtml(f)}</th>`;
    })
    .join('');
  const groupRow = groups.length
    ? `<tr class="steps"><th colspan="3"></th>${groups.map((g) => `<th scope="colgroup" colspan="${g.fields.length}">${escapeHtml(g.step)}${g.counts ? ` <small>(${escapeHtml(g.counts)})</small>` : ''}</th>`).join('')}<th colspan="2"></th></tr>\n`
    : '';
  const key = escapeHtml(info.keyFields.join('/') || 'row');
  const e = escapeHtml;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${e(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${e(title)}: ${countOf(summary.total, 'row')}</h1>
<p class="meta">Operation <b>${e(info.operation)}</b> on <b>${e(runSource(info))}</b>, started ${e(info.startedAt)};
${(summary.durationMs / 1000).toFixed(1)} s, ${countOf(summary.requests, 'request')}, ${countOf(summary.retries, 'retry', 'retries')}, exit code <span id="exit-code">${summary.exitCode}</span>.
Report folder: <code>${e(dir)}</code></p>
</header>
<section id="summary" aria-label="Rows by status">
<ul class="counts">${countButton('', 'total', summary.total)}${counts}</ul>
${summary.warnings ? `<p class="warning">${countOf(summary.warnings, 'row')} ${summary.warnings === 1 ? 'has' : 'have'} warnings.</p>` : ''}
</section>
<section id="fields">
<h2>${info.dryRun ? 'Fields that would change' : 'Changed fields'}</h2>
<p id="fields-none">${info.dryRun ? 'No field would change.' : 'No field was changed.'}</p>
<table id="fields-table" hidden><thead><tr><th scope="col">field</th><th scope="col">users</th></tr></thead><tbody id="fields-body"></tbody></table>
</section>
${sections}<section id="rows">
<h2>Rows</h2>
<div class="controls">
<label>Status <select id="status-filter"><option value="">all (${summary.total})</option>${options}</select></label>
<label>Search <input id="search" type="search" placeholder="${key} contains…" autocomplete="off"></label>
<span id="shown" aria-live="polite"></span>
</div>
<table id="rows-table">
<thead>${groupRow}<tr><th scope="col">line</th><th scope="col">${key}</th><th scope="col">status</th>${fieldHeads}<th scope="col">requests</th><th scope="col">error / warnings</th></tr></thead>
<tbody id="rows-body"></tbody>
</table>
<button id="show-more" type="button" hidden>Show more</button>
<noscript><p>The row table needs JavaScript; results.csv in the same folder has every row.</p></noscript>
</section>
<p class="footer">Each changed cell shows before → after (a plan shows the value it would write). results.csv and results.json in the report folder hold the same data.</p>
`;
}

/** The steps of a job of steps whose fields are columns, in column order, with their counts (summary.json's `steps`). */
function stepGroups(fields: readonly string[], summary: JobSummary): Array<{ step: string; fields: string[]; counts?: string }> {
  const groups: Array<{ step: string; fields: string[]; counts?: string }> = [];
  for (const step of Object.keys(summary.steps ?? {})) {
    const own = fields.filter((f) => f.startsWith(`${step}.`));
    if (!own.length) continue;
    const counts = ROW_STATUSES.filter((s) => (summary.steps![step]![s] ?? 0) > 0).map((s) => `${summary.steps![step]![s]} ${s}`).join(', ');
    groups.push({ step, fields: own, ...(counts ? { counts } : {}) });
  }
  return groups;
}

function countButton(status: string, label: string, n: number): string {
  const cls = `st-${status || 'total'}${n === 0 ? ' zero' : ''}`;
  return `<li><button type="button" class="${cls}" data-status="${status}" aria-pressed="false"><span class="n" data-count="${label}">${n}</span>${label}</button></li>`;
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
