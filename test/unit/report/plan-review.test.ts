import { describe, expect, it } from '@jest/globals';
import type { Fields } from '../../../src/model/fields.js';
import type { RowResult, RowStatus } from '../../../src/model/row-result.js';
import { PlanReview } from '../../../src/report/plan-review.js';

const FIELDS = ['useUserCLIDSetting', 'clidPolicy'];
const GATE = 'clidPolicy has no effect while useUserCLIDSetting is false';

function row(line: number, status: RowStatus, before: Fields, requested: Fields, warnings: string[] = []): RowResult {
  const changed = Object.keys(requested).filter((f) => before[f] !== requested[f]);
  const id = `user${String(line - 1).padStart(5, '0')}@sim.odin.test`;
  return { line, key: { userId: id }, id, status, requested, before, after: status === 'updated' ? { ...before, ...requested } : null, changed, requests: 1, warnings };
}

describe('PlanReview: the review of a plan, on its exact text', () => {
  it('a small plan: transitions most frequent first, the gate warning with the transitions it affects, the first users Terraform-like', () => {
    const review = new PlanReview(FIELDS, true, 2);
    review.add(row(2, 'planned', { useUserCLIDSetting: false, clidPolicy: 'Use DN' }, { useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' }));
    review.add(row(3, 'planned', { clidPolicy: 'Use DN' }, { clidPolicy: 'Use Configurable CLID' }, [GATE]));
    review.add(row(4, 'unchanged', { clidPolicy: 'Use DN' }, { clidPolicy: 'Use DN' }));
    review.add(row(5, 'planned', { clidPolicy: 'Use Group CLID' }, { clidPolicy: 'Use Configurable CLID' }));
    review.add(row(6, 'failed', { clidPolicy: 'Use DN' }, { clidPolicy: 'Use Configurable CLID' }));
    review.add(row(7, 'planned', { clidPolicy: 'Use DN' }, { clidPolicy: 'Use Configurable CLID' }, [GATE]));
    expect(review.count).toBe(4);
    expect(review.text()).toEqual([
      'Value transitions (4 users would change):',
      '  clidPolicy: "Use DN" → "Use Configurable CLID"          3 users',
      '              "Use Group CLID" → "Use Configurable CLID"  1 user',
      '  useUserCLIDSetting: false → true                        1 user',
      'Gate warnings (the change has no effect while the gate is off; --strict-gates refuses these rows):',
      '  ! clidPolicy has no effect while useUserCLIDSetting is false: 2 users',
      '      clidPolicy: "Use DN" → "Use Configurable CLID"      2 users',
      'First 2 of 4 users:',
      '  ~ user00001@sim.odin.test  useUserCLIDSetting: false → true',
      '                             clidPolicy: "Use DN" → "Use Configurable CLID"',
      '  ~ user00002@sim.odin.test  clidPolicy: "Use DN" → "Use Configurable CLID"',
      '  … and 2 more users (results.csv, report.html)',
    ]);
  });

  it('a run says "changed" and shows what was written; counts are grouped by thousands', () => {
    const review = new PlanReview(FIELDS, false, 0);
    for (let i = 0; i < 1203; i++) review.add(row(i + 2, 'updated', { clidPolicy: 'Use DN' }, { clidPolicy: 'Use Configurable CLID' }));
    expect(review.text()).toEqual([
      'Value transitions (1,203 users changed):',
      '  clidPolicy: "Use DN" → "Use Configurable CLID"  1,203 users',
      'No user shown (--show 0) of 1,203 users.',
    ]);
  });

  it('long lists fold with a count: the sixth transition of a field and later ones are one line', () => {
    const review = new PlanReview(['maxSimultaneousCalls'], true, 1);
    // Transition k (k = 1…8) is taken by 9 - k users: 8, 7, … 1.
    let line = 2;
    for (let k = 1; k <= 8; k++) for (let u = 0; u < 9 - k; u++) review.add(row(line++, 'planned', { maxSimultaneousCalls: k }, { maxSimultaneousCalls: 20 }));
    expect(review.text().slice(0, 8)).toEqual([
      'Value transitions (36 users would change):',
      '  maxSimultaneousCalls: 1 → 20                    8 users',
      '                        2 → 20                    7 users',
      '                        3 → 20                    6 users',
      '                        4 → 20                    5 users',
      '                        5 → 20                    4 users',
      '                        … and 3 more transitions  6 users',
      'First 1 of 36 users:',
    ]);
  });

  it('nothing to change says so', () => {
    const review = new PlanReview(FIELDS, true);
    review.add(row(2, 'unchanged', { clidPolicy: 'Use DN' }, { clidPolicy: 'Use DN' }));
    expect(review.text()).toEqual(['Value transitions: no user would change.']);
    expect(review.markdown()).toEqual(['### Value transitions', '', 'No user would change.']);
  });

  it('summary.md gets the same review as a table, the gate warnings and a diff block', () => {
    const review = new PlanReview(FIELDS, true, 1);
    review.add(row(2, 'planned', { clidPolicy: 'Use DN' }, { clidPolicy: 'Use Configurable CLID' }, [GATE]));
    review.add(row(3, 'planned', { clidPolicy: 'Use DN' }, { clidPolicy: 'Use Configurable CLID' }));
    expect(review.markdown()).toEqual([
      '### Value transitions',
      '',
      '| field | from | to | users |',
      '| --- | --- | --- | ---: |',
      '| clidPolicy | "Use DN" | "Use Configurable CLID" | 2 |',
      '',
      '#### Gate warnings',
      '',
      '- clidPolicy has no effect while useUserCLIDSetting is false: 1 user; clidPolicy: "Use DN" → "Use Configurable CLID" (1)',
      '',
      '#### First 1 of 2 users',
      '',
      '```diff',
      '~ user00001@sim.odin.test  clidPolicy: "Use DN" → "Use Configurable CLID"',
      '… and 1 more user (results.csv, report.html)',
      '```',
    ]);
  });
});
