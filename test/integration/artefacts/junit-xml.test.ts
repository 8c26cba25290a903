import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { rebuildArtefacts } from '../../kit/artefacts.js';
import { reportFolder, row, runInfo } from '../../kit/report-fixtures.js';

type Case = { classname: string; name: string; failure?: { '#text': string; message: string; type: string }; skipped?: { message: string }; 'system-out'?: string };

async function parseJunit(dir: string) {
  const xml = await readFile(join(dir, 'junit.xml'), 'utf8');
  expect(XMLValidator.validate(xml)).toBe(true);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    alwaysCreateTextNode: false,
    isArray: (name) => name === 'testcase' || name === 'testsuite' || name === 'property',
  }).parse(xml);
  const suites = parsed.testsuites;
  return { xml, suites, suite: suites.testsuite[0], cases: suites.testsuite[0].testcase as Case[] };
}

describe('junit.xml', () => {
  it('has one testcase per row: failures carry the error, skipped rows are skipped, the rest pass', async () => {
    const rows = [
      row(2, 'a@x.test', 'updated'),
      row(3, 'b@x.test', 'unchanged'),
      row(4, 'c@x.test', 'failed'),
      row(5, 'd@x.test', 'conflict', { error: 'clidPolicy changed since the plan' }),
      row(6, 'e@x.test', 'invalid', { error: 'not written (--strict-gates): gate off' }),
      row(7, 'f@x.test', 'skipped'),
      row(8, 'g@x.test', 'planned'),
    ];
    const dir = await reportFolder(rows);
    await rebuildArtefacts(dir, runInfo());
    const { suites, suite, cases } = await parseJunit(dir);

    expect(suites).toMatchObject({ tests: '7', failures: '3', errors: '0', skipped: '1', time: '1.234' });
    expect(suite).toMatchObject({ name: 'clid-migration', tests: '7', failures: '3', skipped: '1', timestamp: '2026-01-01T00:00:00.000Z' });
    expect(cases.map((c) => c.name)).toEqual(rows.map((r) => r.userId));
    expect(new Set(cases.map((c) => c.classname))).toEqual(new Set(['clid-migration']));
    expect(cases.filter((c) => c.failure).map((c) => c.name)).toEqual(['c@x.test', 'd@x.test', 'e@x.test']);
    expect(cases.filter((c) => c.skipped).map((c) => c.name)).toEqual(['f@x.test']);

    const failed = cases[2]!.failure!;
    expect(failed.type).toBe('failed');
    expect(failed.message).toBe('failed: PUT /users/call-processing-policy: 500 Internal Server Error');
    expect(failed['#text']).toContain('line 4: failed (HTTP 500)');
    expect(failed['#text']).toContain('requested clidPolicy: "Use DN" → "Use Configurable CLID"');
    expect(cases[3]!.failure!.type).toBe('conflict');
    expect(cases[4]!.failure!.message).toBe('invalid: not written (--strict-gates): gate off');
    expect(cases[5]!.skipped!.message).toBe('not started: interrupted (SIGINT)');
    expect(cases[0]!['system-out']).toContain('useUserCLIDSetting: false → true');
  });

  it('escapes markup, quotes, line breaks and characters XML cannot carry', async () => {
    const nasty = 'bad <b>"quoted"</b> & \'apos\' ]]> \u0001 end\nsecond line';
    const rows = [row(2, 'o\'brien&<co>@x.test', 'failed', { error: nasty })];
    const dir = await reportFolder(rows, runInfo({ job: 'job "<&>"' }));
    await rebuildArtefacts(dir, runInfo({ job: 'job "<&>"' }));
    const { suite, cases } = await parseJunit(dir);
    expect(suite.name).toBe('job "<&>"');
    expect(cases[0]!.classname).toBe('job "<&>"');
    expect(cases[0]!.name).toBe('o\'brien&<co>@x.test');
    const expected = nasty.replace('\u0001', '\uFFFD');
    expect(cases[0]!.failure!['#text']).toContain(expected);
    expect(cases[0]!.failure!.message).toBe(`failed: ${expected.split('\n')[0]}`);
  });

  it('names a row by its key fields when the operation has several', async () => {
    const info = runInfo({ operation: 'group-call-processing-policy', keyFields: ['serviceProviderId', 'groupId'] });
    const r = row(2, 'ignored', 'unchanged');
    delete (r as Record<string, unknown>).userId;
    const dir = await reportFolder([{ ...r, serviceProviderId: 'sim-sp', groupId: 'grp-01' }], info);
    await rebuildArtefacts(dir, info);
    const { cases } = await parseJunit(dir);
    expect(cases.map((c) => c.name)).toEqual(['sim-sp/grp-01']);
  });
});
