/**
 * The stylesheet and script inlined into report.html. Plain ES2017 with no template literals, so it can sit in a
 * TypeScript string; the page must work from a file:// URL with no network, so nothing is loaded from anywhere.
 */

export const REPORT_CSS = `
:root { color-scheme: light; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --muted: #6e7781; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; padding: 16px 24px; color: #1f2328; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 20px 0 8px; }
.meta { color: var(--muted); margin: 0 0 12px; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; list-style: none; padding: 0; margin: 0; }
.counts button { font: inherit; border: 1px solid var(--line); border-radius: 6px; background: #f6f8fa; padding: 6px 12px; cursor: pointer; }
.counts button[aria-pressed="true"] { outline: 2px solid #0969da; }
.counts .n { font-weight: 600; font-size: 18px; margin-right: 4px; }
.counts .zero { opacity: 0.55; }
.st-updated .n, .st-planned .n { color: var(--ok); }
.st-failed .n, .st-conflict .n, .st-invalid .n { color: var(--bad); }
.st-skipped .n { color: var(--warn); }
.controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 16px 0 8px; }
.controls input, .controls select { font: inherit; padding: 4px 8px; }
.controls input { min-width: 280px; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 600; white-space: nowrap; }
.status.failed, .status.conflict, .status.invalid { color: var(--bad); }
.status.updated, .status.planned { color: var(--ok); }
.status.skipped { color: var(--warn); }
td.field { white-space: nowrap; }
td.changed { background: #dafbe1; }
td.changed.failed, td.changed.conflict, td.changed.invalid { background: #ffebe9; }
td.changed.skipped { background: #fff8c5; }
td.none { color: var(--muted); }
.v.null { color: var(--muted); font-style: italic; }
.before { text-decoration: line-through; color: var(--muted); }
.arrow { color: var(--muted); }
.after { font-weight: 600; }
.unknown .wanted { color: var(--muted); }
.error { white-space: pre-wrap; max-width: 60ch; }
td.status .step { font-size: 85%; color: var(--muted); white-space: nowrap; }
thead tr.steps th { text-align: center; }
.warning { color: var(--warn); }
#show-more { margin: 8px 0; font: inherit; }
#fields-table td:first-child { font-family: ui-monospace, monospace; }
.footer { color: var(--muted); margin-top: 16px; }
`;

export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var PAGE = 500;
  var data = JSON.parse(document.getElementById('odin-bulk-data').textContent);
  var rows = data.rows;
  var fields = data.fields;
  var limit = PAGE;
  var statusSelect = document.getElementById('status-filter');
  var search = document.getElementById('search');
  var body = document.getElementById('rows-body');
  var shown = document.getElementById('shown');
  var more = document.getElementById('show-more');

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function show(v) { return v === null ? 'null' : v === undefined ? '' : String(v); }
  function value(v, cls) { return el('span', 'v' + (v === null ? ' null' : '') + (cls ? ' ' + cls : ''), show(v)); }
  function has(obj, key) { return obj !== null && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key); }

  // A job of steps: a field's cell takes the status of its step (OPERATION.FIELD), not the row's.
  function stepOf(r, f) {
    if (!r.steps) return undefined;
    for (var i = 0; i < r.steps.length; i++) if (f.indexOf(r.steps[i].operation + '.') === 0) return r.steps[i];
    return undefined;
  }
  function fieldCell(r, f) {
    var td = el('td', 'field');
    if (!has(r.requested, f)) { td.className += ' none'; td.textContent = '\\u2014'; return td; }
    var before = has(r.before, f) ? r.before[f] : undefined;
    var step = stepOf(r, f);
    var status = step ? step.status : r.status;
    if ((step ? step.changed : r.changed).indexOf(f) >= 0) {
      var target = status === 'updated' && has(r.after, f) ? r.after[f] : r.requested[f];
      td.className += ' changed ' + status;
      td.title = status === 'updated' ? 'changed' : status === 'planned' ? 'would change' : 'requested, not applied';
      td.appendChild(value(before, 'before'));
      td.appendChild(el('span', 'arrow', ' \\u2192 '));
      td.appendChild(value(target, 'after'));
    } else if (r.before && (!step || has(r.before, f))) {
      td.appendChild(value(before));
    } else {
      td.className += ' unknown';
      td.title = 'requested value; the live value was not read';
      td.appendChild(value(r.requested[f], 'wanted'));
    }
    return td;
  }

  function rowElement(r) {
    var tr = el('tr', 'row ' + r.status);
    tr.setAttribute('data-status', r.status);
    tr.appendChild(el('td', 'num', String(r.line)));
    tr.appendChild(el('td', 'id', r.id));
    var st = el('td', 'status ' + r.status, r.status);
    var steps = r.steps || [];
    for (var k = 0; k < steps.length; k++) st.appendChild(el('div', 'step ' + steps[k].status, steps[k].operation + ': ' + steps[k].status));
    tr.appendChild(st);
    for (var i = 0; i < fields.length; i++) tr.appendChild(fieldCell(r, fields[i]));
    tr.appendChild(el('td', 'num', String(r.requests)));
    var note = el('td', 'error', r.error ? r.error + (r.httpStatus ? ' (HTTP ' + r.httpStatus + ')' : '') : '');
    var warnings = r.warnings || [];
    for (var w = 0; w < warnings.length; w++) note.appendChild(el('div', 'warning', 'warning: ' + warnings[w]));
    tr.appendChild(note);
    return tr;
  }

  function render() {
    var status = statusSelect.value;
    var q = search.value.trim().toLowerCase();
    var matched = 0;
    var frag = document.createDocumentFragment();
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (status && r.status !== status) continue;
      if (q && r.id.toLowerCase().indexOf(q) < 0) continue;
      matched++;
      if (matched <= limit) frag.appendChild(rowElement(r));
    }
    body.replaceChildren(frag);
    shown.textContent = matched > limit
      ? 'Showing the first ' + limit + ' of ' + matched + ' matching rows (' + rows.length + ' in all)'
      : 'Showing ' + matched + ' of ' + rows.length + ' rows';
    more.hidden = matched <= limit;
    var buttons = document.querySelectorAll('.counts button');
    for (var b = 0; b < buttons.length; b++) {
      buttons[b].setAttribute('aria-pressed', String(buttons[b].getAttribute('data-status') === status));
    }
  }

  function fieldCounts() {
    var counts = {};
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      if (r.status !== 'updated' && r.status !== 'planned') continue;
      for (var c = 0; c < r.changed.length; c++) counts[r.changed[c]] = (counts[r.changed[c]] || 0) + 1;
    }
    var names = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    var tbody = document.getElementById('fields-body');
    for (var n = 0; n < names.length; n++) {
      var tr = el('tr');
      tr.appendChild(el('td', '', names[n]));
      tr.appendChild(el('td', 'num', String(counts[names[n]])));
      tbody.appendChild(tr);
    }
    document.getElementById('fields-none').hidden = names.length > 0;
    document.getElementById('fields-table').hidden = names.length === 0;
  }

  function restart() { limit = PAGE; render(); }
  statusSelect.addEventListener('change', restart);
  search.addEventListener('input', restart);
  more.addEventListener('click', function () { limit += PAGE; render(); });
  var buttons = document.querySelectorAll('.counts button');
  for (var b = 0; b < buttons.length; b++) {
    buttons[b].addEventListener('click', function (event) {
      var s = event.currentTarget.getAttribute('data-status');
      statusSelect.value = statusSelect.value === s ? '' : s;
      restart();
    });
  }
  fieldCounts();
  render();
})();
`;
