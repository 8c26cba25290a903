import { describe, expect, it } from '@jest/globals';
import { userCallProcessingPolicy as op } from '../../src/operations/user-call-processing-policy.js';
import { consoleSummary } from '../../src/report/console-summary.js';
import type { JobSummary } from '../../src/model/summary.js';
import { gateWarnings } from '../../src/operations/gate-warnings.js';
import { defaultOutDir } from '../../src/engine/report-folder.js';

describe('defaultOutDir', () => {
  it('is reports/<job name>-<UTC timestamp>', () => {
    expect(defaultOutDir('clid-migration', new Date('2026-11-30T10:15:00.123Z'))).toBe('reports/clid-migration-20261130T101500Z');
  });

  it('makes a job name safe for a folder name', () => {
    expect(defaultOutDir('../CLID migration/2', new Date('2026-01-02T03:04:05Z'))).toBe('reports/.._CLID_migration_2-20260102T030405Z');
  });

  it('takes the first of -2, -3… when a run of the same job started in the same second has the folder', () => {
    const at = new Date('2026-11-30T10:15:00.900Z');
    const there = new Set(['reports/demo-20261130T101500Z', 'reports/demo-20261130T101500Z-2']);
    expect(defaultOutDir('demo', at, (dir) => there.has(dir))).toBe('reports/demo-20261130T101500Z-3');
    expect(defaultOutDir('demo', at, () => false)).toBe('reports/demo-20261130T101500Z');
  });
});

describe('gateWarnings', () => {
  it('warns when a changed field\'s gate is false in the live values', () => {
    expect(gateWarnings(op, ['clidPolicy'], { clidPolicy: 'Use DN' }, { useUserCLIDSetting: false })).toEqual([
      'clidPolicy has no effect while useUserCLIDSetting is false',
    ]);
  });

  it('the row\'s own gate value wins over the live one', () => {
    expect(gateWarnings(op, ['clidPolicy'], { clidPolicy: 'Use DN', useUserCLIDSetting: true }, { useUserCLIDSetting: false })).toEqual([]);
    expect(gateWarnings(op, ['clidPolicy'], { clidPolicy: 'Use DN', useUserCLIDSetting: false }, { useUserCLIDSetting: true })).toEqual([
      'clidPolicy has no effect while useUserCLIDSetting is false (set by this row)',
    ]);
  });

  it('checks every gate of a field in order and reports the first one off', () => {
    const live = { useUserCallLimitsSetting: true, useMaxSimultaneousCalls: false };
    expect(gateWarnings(op, ['maxSimultaneousCalls'], { maxSimultaneousCalls: 3 }, live)).toEqual([
      'maxSimultaneousCalls has no effect while useMaxSimultaneousCalls is false',
    ]);
    expect(gateWarnings(op, ['maxSimultaneousCalls'], { maxSimultaneousCalls: 3 }, { ...live, useMaxSimultaneousCalls: true })).toEqual([]);
  });

  it('fields without gates, and unchanged fields, never warn', () => {
    expect(gateWarnings(op, ['useUserCLIDSetting'], { useUserCLIDSetting: true }, {})).toEqual([]);
    expect(gateWarnings(op, [], { clidPolicy: 'Use DN' }, { useUserCLIDSetting: false })).toEqual([]);
  });
});

describe('consoleSummary', () => {
  const summary = (counts: Partial<JobSummary>): JobSummary => ({
    total: 0, updated: 0, unchanged: 0, planned: 0, failed: 0, conflict: 0, invalid: 0, skipped: 0, warnings: 0,
    requests: 0, retries: 0, durationMs: 0, exitCode: 0, ...counts,
  });

  it('a run: counts, time, requests, the report folder and how to undo it', () => {
    expect(consoleSummary('clid', summary({ total: 5, updated: 3, unchanged: 2, requests: 8, retries: 1, durationMs: 1234 }), 'reports/x', false)).toEqual([
      'Job "clid": 5 rows: 3 updated, 2 unchanged in 1.2 s (8 requests, 1 retry)',
      'Reports: reports/x',
      'Undo this run:         odin-bulk run --manifest reports/x/rollback.csv',
    ]);
  });

  it('failures point at failed.csv; warnings are counted', () => {
    const lines = consoleSummary('clid', summary({ total: 2, failed: 1, unchanged: 1, warnings: 1, exitCode: 1 }), 'r', false);
    expect(lines).toEqual([
      'Job "clid": 2 rows: 1 unchanged, 1 failed in 0.0 s (0 requests, 0 retries)',
      '1 row has warnings (see the warnings column of results.csv)',
      'Reports: r',
      'Retry the failed rows: odin-bulk run --manifest r/failed.csv',
    ]);
  });

  it('a plan says Plan, offers no undo, and points to the plan to apply', () => {
    expect(consoleSummary('clid', summary({ total: 1, planned: 1 }), 'r', true)).toEqual([
      'Plan "clid": 1 row: 1 planned in 0.0 s (0 requests, 0 retries)',
      'Reports: r',
      'Review r/plan.json, then: odin-bulk apply r',
    ]);
  });
});
