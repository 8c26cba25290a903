import { isGateWarning, type RowResult } from '../model/row-result.js';
import { countOf } from '../util/plural.js';
import { escapeHtml, markdownCell, showValue } from './escape-text.js';

/** Users whose changes are listed one by one (`--show`). */
export const DEFAULT_SHOWN_USERS = 10;
/** Transitions listed per field; the rest fold into one line with a count. */
export const TRANSITIONS_SHOWN = 5;
/** Gate warnings listed, and transitions listed under each. */
export const GATE_WARNINGS_SHOWN = 5;
export const GATE_TRANSITIONS_SHOWN = 3;

type Transition = { from: string; to: string; users: number };
type ShownUser = { id: string; line: number; changes: { field: string; from: string; to: string }[] };

/**
 * `1,203`: counts in the review are grouped by thousands, as toLocaleString('en-US') writes them, without the cost
 * of its first call (about 25 ms of every run, plan and apply: the locale's data).
 */
const n = (count: number) => String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const users = (count: number) => `${n(count)} ${count === 1 ? 'user' : 'users'}`;

/**
 * The review of a plan (or of a run, an apply): per field, the value transitions (`"Use DN" → "Use Configurable
 * CLID"  1,203 users`), most frequent first; the gate warnings with the transitions they affect; and the first
 * `show` users' changes in a Terraform-like layout. Long lists fold with a count. Rows are added one at a time
 * (in manifest order), so only the counts and the first users are held. Pure: no files, no console.
 */
export class PlanReview {
  private readonly transitions = new Map<string, Map<string, Transition>>();
  private readonly gates = new Map<string, { users: number; field: string; transitions: Map<string, Transition> }>();
  private readonly shown: ShownUser[] = [];
  private changing = 0;

  /** `fieldsUsed`: the report's columns, the order of fields with as many users. `plan`: "would change" rather than "changed". */
  constructor(private readonly fieldsUsed: readonly string[], private readonly plan: boolean, private readonly show = DEFAULT_SHOWN_USERS) {}

  add(row: RowResult): void {
    if (!(row.status === 'planned' || row.status === 'updated') || row.changed.length === 0) return;
    this.changing++;
    const changes = row.changed.map((field) => ({ field, from: showValue(row.before?.[field]), to: showValue(row.status === 'updated' && row.after ? row.after[field] : row.requested[field]) }));
    for (const c of changes) count(this.transitions, c.field, c);
    for (const warning of row.warnings.filter(isGateWarning)) {
      const field = warning.slice(0, warning.indexOf(' '));
      const gate = this.gates.get(warning) ?? { users: 0, field, transitions: new Map<string, Transition>() };
      gate.users++;
      const c = changes.find((x) => x.field === field);
      if (c) bump(gate.transitions, c);
      this.gates.set(warning, gate);
    }
    if (this.shown.length < this.show) this.shown.push({ id: row.id, line: row.line, changes });
  }

  /** Users with a change. */
  get count(): number {
    return this.changing;
  }

  /** The review as the console prints it (and `odin-bulk show`). */
  text(): string[] {
    const what = this.plan ? 'would change' : 'changed';
    if (this.changing === 0) return [`Value transitions: no user ${what === 'changed' ? 'was changed' : 'would change'}.`];
    const out = [`Value transitions (${users(this.changing)} ${what}):`];
    // [text, users] pairs, the users aligned in one column across the transitions and the gate warnings.
    const pairs: [string, string][] = [];
    for (const [field, list] of this.fields()) {
      list.shown.forEach((t, i) => pairs.push([`  ${i === 0 ? `${field}: ` : ' '.repeat(field.length + 2)}${t.from} → ${t.to}`, users(t.users)]));
      if (list.more) pairs.push([`  ${' '.repeat(field.length + 2)}… and ${n(list.more.transitions)} more transitions`, users(list.more.users)]);
    }
    const gates = this.gateList();
    const gatePairs: [string, string][] = [];
    for (const g of gates.shown) {
      gatePairs.push([`  ! ${g.warning}: ${users(g.users)}`, '']);
      for (const t of g.transitions) gatePairs.push([`      ${g.field}: ${t.from} → ${t.to}`, users(t.users)]);
      if (g.more) gatePairs.push([`      … and ${n(g.more)} more transitions`, '']);
    }
    const width = Math.max(...[...pairs, ...gatePairs].filter(([, u]) => u !== '').map(([text]) => text.length));
    const countWidth = Math.max(...[...pairs, ...gatePairs].map(([, u]) => u.indexOf(' ')));
    const line = ([text, u]: [string, string]) => (u === '' ? text : `${text.padEnd(width)}  ${' '.repeat(countWidth - u.indexOf(' '))}${u}`);
    out.push(...pairs.map(line));
    if (gatePairs.length) {
      out.push('Gate warnings (the change has no effect while the gate is off; --strict-gates refuses these rows):', ...gatePairs.map(line));
      if (gates.more) out.push(`  … and ${n(gates.more)} more gate warnings (the warnings column of results.csv)`);
    }
    out.push(...this.userLines());
    return out;
  }

  /** The review for summary.md. */
  markdown(): string[] {
    const out = ['### Value transitions', ''];
    if (this.changing === 0) return [...out, this.plan ? 'No user would change.' : 'No user was changed.'];
    out.push('| field | from | to | users |', '| --- | --- | --- | ---: |');
    for (const [field, list] of this.fields()) {
      for (const t of list.shown) out.push(`| ${markdownCell(field)} | ${markdownCell(t.from)} | ${markdownCell(t.to)} | ${n(t.users)} |`);
      if (list.more) out.push(`| ${markdownCell(field)} | … ${n(list.more.transitions)} more | | ${n(list.more.users)} |`);
    }
    const gates = this.gateList();
    if (gates.shown.length) {
      out.push('', '#### Gate warnings', '');
      for (const g of gates.shown) {
        const affected = g.transitions.map((t) => `${markdownCell(g.field)}: ${markdownCell(t.from)} → ${markdownCell(t.to)} (${n(t.users)})`);
        out.push(`- ${markdownCell(g.warning)}: ${users(g.users)}${affected.length ? `; ${affected.join(', ')}${g.more ? `, … ${n(g.more)} more` : ''}` : ''}`);
      }
      if (gates.more) out.push(`- … and ${n(gates.more)} more gate warnings (the warnings column of results.csv)`);
    }
    const lines = this.userLines();
    out.push('', `#### ${lines[0]!.replace(/:$/, '')}`, '', '```diff', ...lines.slice(1).map((l) => l.replace(/^ {2}/, '')), '```');
    return out;
  }

  /** The review for report.html: a section. */
  html(): string {
    const e = escapeHtml;
    if (this.changing === 0) return `<section id="review"><h2>Value transitions</h2><p>${this.plan ? 'No user would change.' : 'No user was changed.'}</p></section>\n`;
    const rows: string[] = [];
    for (const [field, list] of this.fields()) {
      for (const t of list.shown) rows.push(`<tr><td>${e(field)}</td><td>${e(t.from)}</td><td>${e(t.to)}</td><td class="num">${n(t.users)}</td></tr>`);
      if (list.more) rows.push(`<tr><td>${e(field)}</td><td colspan="2">… ${n(list.more.transitions)} more transitions</td><td class="num">${n(list.more.users)}</td></tr>`);
    }
    const gates = this.gateList();
    const gateItems = gates.shown.map((g) => `<li>${e(g.warning)}: ${users(g.users)}${g.transitions.map((t) => `<br>${e(g.field)}: ${e(t.from)} → ${e(t.to)} (${n(t.users)})`).join('')}</li>`);
    const [title, ...userLines] = this.userLines();
    return (
      `<section id="review"><h2>Value transitions (${users(this.changing)} ${this.plan ? 'would change' : 'changed'})</h2>\n` +
      `<table><thead><tr><th scope="col">field</th><th scope="col">from</th><th scope="col">to</th><th scope="col">users</th></tr></thead><tbody>${rows.join('')}</tbody></table>\n` +
      (gateItems.length ? `<h3>Gate warnings</h3><ul class="warning">${gateItems.join('')}${gates.more ? `<li>… and ${n(gates.more)} more</li>` : ''}</ul>\n` : '') +
      `<h3>${e(title!.replace(/:$/, ''))}</h3><pre>${e(userLines.map((l) => l.replace(/^ {2}/, '')).join('\n'))}</pre></section>\n`
    );
  }

  /** Fields by users (most first), each with its transitions by users (most first), folded. */
  private fields(): [string, { shown: Transition[]; more?: { transitions: number; users: number } }][] {
    const order = (f: string) => (this.fieldsUsed.includes(f) ? this.fieldsUsed.indexOf(f) : this.fieldsUsed.length);
    const total = (m: Map<string, Transition>) => [...m.values()].reduce((s, t) => s + t.users, 0);
    return [...this.transitions]
      .sort(([a, ma], [b, mb]) => total(mb) - total(ma) || order(a) - order(b) || a.localeCompare(b))
      .map(([field, m]) => {
        const all = sorted(m);
        const rest = all.slice(TRANSITIONS_SHOWN);
        return [field, { shown: all.slice(0, TRANSITIONS_SHOWN), ...(rest.length ? { more: { transitions: rest.length, users: rest.reduce((s, t) => s + t.users, 0) } } : {}) }];
      });
  }

  private gateList(): { shown: { warning: string; field: string; users: number; transitions: Transition[]; more: number }[]; more: number } {
    const all = [...this.gates].sort(([a, ga], [b, gb]) => gb.users - ga.users || a.localeCompare(b));
    const shown = all.slice(0, GATE_WARNINGS_SHOWN).map(([warning, g]) => {
      const list = sorted(g.transitions);
      return { warning, field: g.field, users: g.users, transitions: list.slice(0, GATE_TRANSITIONS_SHOWN), more: Math.max(0, list.length - GATE_TRANSITIONS_SHOWN) };
    });
    return { shown, more: all.length - shown.length };
  }

  /** `First 10 of 40 users:` then `  ~ user  field: a → b`, further fields aligned below. */
  private userLines(): string[] {
    if (this.shown.length === 0) return [`No user shown (--show 0) of ${users(this.changing)}.`];
    const title = this.shown.length === this.changing ? `The ${users(this.changing)}:` : `First ${n(this.shown.length)} of ${users(this.changing)}:`;
    const out = [title];
    const width = Math.max(...this.shown.map((u) => u.id.length));
    for (const u of this.shown) {
      u.changes.forEach((c, i) => out.push(`  ${i === 0 ? `~ ${u.id.padEnd(width)}` : ' '.repeat(width + 2)}  ${c.field}: ${c.from} → ${c.to}`));
    }
    const more = this.changing - this.shown.length;
    if (more > 0) out.push(`  … and ${countOf(more, 'more user')} (results.csv, report.html)`);
    return out;
  }
}

function count(map: Map<string, Map<string, Transition>>, field: string, c: { from: string; to: string }): void {
  let m = map.get(field);
  if (!m) map.set(field, (m = new Map()));
  bump(m, c);
}

function bump(m: Map<string, Transition>, c: { from: string; to: string }): void {
  const key = `${c.from}\u0000${c.to}`;
  const t = m.get(key);
  if (t) t.users++;
  else m.set(key, { from: c.from, to: c.to, users: 1 });
}

function sorted(m: Map<string, Transition>): Transition[] {
  return [...m.values()].sort((a, b) => b.users - a.users || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
