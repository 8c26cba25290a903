import { beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openManifest } from '../../src/manifest/open-manifest.js';
import { READ_ONCE_LIMIT, type ReadOnceLimit } from '../../src/manifest/read-once.js';
import { checkedRows, formatProblem, validateManifest } from '../../src/manifest/validate-manifest.js';
import type { ManifestRow } from '../../src/manifest/types.js';
import { userCallProcessingPolicy as op } from '../../src/operations/user-call-processing-policy.js';
import { FIXTURES, simUser, tempDir } from '../kit/index.js';

const U1 = 'user00001@sim.odin.test';
const U2 = 'user00002@sim.odin.test';
const U3 = 'user00003@sim.odin.test';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

let counter = 0;
async function writeManifest(name: string, content: string | Buffer): Promise<string> {
  const file = join(dir, `${counter++}-${name}`);
  await writeFile(file, content);
  return file;
}

/**
 * How a manifest can be read for a run: read once, whole, with the checked rows kept for the run (the default, for a
 * manifest within READ_ONCE_LIMIT); read whole, but its rows parsed a second time for the run (more rows than the
 * limit keeps); streamed from the file, twice (a file larger than the limit).
 */
const WAYS: Record<string, ReadOnceLimit> = {
  kept: READ_ONCE_LIMIT,
  'read whole, parsed again': { bytes: READ_ONCE_LIMIT.bytes, rows: 0 },
  'streamed twice': { bytes: 0, rows: 0 },
};

/** Opens and validates `file` one way; the problem of openManifest, or the check and the rows the run would get. */
async function validated(file: string, readOnce: ReadOnceLimit, jobDefaults: Record<string, unknown> = {}) {
  const opened = await openManifest(file, { readOnce });
  if ('problem' in opened) return { problem: opened.problem };
  const { kept, ...result } = await validateManifest(opened.source, op, { values: jobDefaults, file: 'job.json' }, { readOnce });
  const rows: ManifestRow[] = [];
  if (result.problemCount === 0) for await (const r of checkedRows(opened.source, op, { kept, defaults: result.defaults })) rows.push(r);
  return { result, rows, kept: kept !== undefined };
}

/**
 * Validates `file` each way (WAYS) and checks that every way finds the same problems and gives the run the same
 * rows, and that the default way keeps the rows of a valid manifest (so the run does not parse it again).
 */
async function everyWay(file: string, jobDefaults: Record<string, unknown> = {}) {
  const [first, ...others] = await Promise.all(Object.values(WAYS).map((readOnce) => validated(file, readOnce, jobDefaults)));
  for (const [i, other] of others.entries()) {
    expect({ way: Object.keys(WAYS)[i + 1], ...other, kept: undefined }).toEqual({ way: Object.keys(WAYS)[i + 1], ...first, kept: undefined });
    expect(other.kept ?? false).toBe(false);
  }
  if (first!.result) expect(first!.kept).toBe(first!.result.problemCount === 0);
  return first!;
}

/** Writes `content` to a new file named `name` and validates it (every way); also returns the rows the run gets. */
async function check(name: string, content: string | Buffer, jobDefaults: Record<string, unknown> = {}) {
  const file = await writeManifest(name, content);
  const { result, rows } = await everyWay(file, jobDefaults);
  if (!result) throw new Error(`cannot open ${name}`);
  return { file, ...result, rows, lines: result.problems.map(formatProblem) };
}

/** The problem openManifest finds before any parsing (wrong type, empty, not UTF-8, not JSON), the same every way. */
async function openProblem(name: string, content: string | Buffer) {
  const file = await writeManifest(name, content);
  const { problem } = await everyWay(file);
  if (!problem) throw new Error('expected openManifest to refuse the file');
  return problem;
}

describe('validateManifest: CSV', () => {
  it('reads a UTF-8 BOM, CRLF line ends and quoted cells holding commas', async () => {
    const csv = '\uFEFFuserId,useUserMediaSetting,supportedMediaSetName\r\n' + `${U1},true,"HD, wideband"\r\n` + `"${U2}",FALSE,"say ""hi"""\r\n`;
    const result = await check('bom-crlf.csv', csv);
    expect(result.problems).toEqual([]);
    expect(result.rowCount).toBe(2);
    expect(result.fieldsUsed).toEqual(['useUserMediaSetting', 'supportedMediaSetName']);
    expect(result.rows).toEqual([
      { line: 2, key: { userId: U1 }, id: U1, fields: { useUserMediaSetting: true, supportedMediaSetName: 'HD, wideband' } },
      { line: 3, key: { userId: U2 }, id: U2, fields: { useUserMediaSetting: false, supportedMediaSetName: 'say "hi"' } },
    ]);
  });

  it('an empty cell leaves the field alone for that row only', async () => {
    const result = await check('empty-cell.csv', `userId,useUserCLIDSetting,clidPolicy\n${U1},,Use DN\n${U2},true,\n`);
    expect(result.rows.map((r) => r.fields)).toEqual([{ clidPolicy: 'Use DN' }, { useUserCLIDSetting: true }]);
  });

  it('a cell that is exactly null clears a nullable text field; \'null is the text "null"', async () => {
    const result = await check('null.csv', `userId,supportedMediaSetName\n${U1},null\n${U2},'null\n${U3},NULL\n`);
    expect(result.rows.map((r) => r.fields)).toEqual([{ supportedMediaSetName: null }, { supportedMediaSetName: 'null' }, { supportedMediaSetName: 'NULL' }]);
    const refused = await check('null-bool.csv', `userId,useGroupName\n${U1},null\n`);
    expect(refused.problems).toEqual([{ file: refused.file, line: 2, field: 'useGroupName', message: 'null is not allowed here' }]);
  });

  it('lists every problem with file, line and field, in file order', async () => {
    const csv = [
      'userId,useUserCLIDSetting,clidPolicy,maxSimultaneousCalls',
      `${U1},yes,Use DN,5`,
      `${U2},true,use dn,5`,
      `${U3},true,Use DN,0`,
      `,true,Use DN,5`,
      `${U1},false,Use DN,5`,
    ].join('\n');
    const result = await check('many.csv', csv);
    expect(result.problemCount).toBe(5);
    const f = result.file;
    expect(result.lines).toEqual([
      `${f}:2 useUserCLIDSetting: expected true or false, got "yes"`,
      `${f}:3 clidPolicy: "use dn" is not allowed: did you mean 'Use DN'? (one of 'Use DN', 'Use Configurable CLID', 'Use Group CLID', exactly as written)`,
      `${f}:4 maxSimultaneousCalls: 0 is out of range: expected 1 to 999999`,
      `${f}:5 userId: userId is empty: every row needs one`,
      `${f}:6 userId: duplicate userId "${U1}", first seen on line 2`,
    ]);
  });

  it('a duplicate names the line where the userId was first seen, even after blank lines', async () => {
    const result = await check('dup.csv', `userId,useGroupName\n\n${U2},true\n${U1},true\n\n${U2},false\n`);
    expect(result.problems).toEqual([
      { file: result.file, line: 6, field: 'userId', message: `duplicate userId "${U2}", first seen on line 3` },
    ]);
  });

  it('an unknown column is reported once, on the header, with a did-you-mean', async () => {
    const result = await check('unknown.csv', `userId,clidPolicy,maxSimultaneusCalls\n${U1},Use DN,3\n${U2},Use DN,4\n`);
    expect(result.problems).toEqual([
      { file: result.file, line: 1, field: 'maxSimultaneusCalls', message: expect.stringMatching(/^unknown field "maxSimultaneusCalls": did you mean "maxSimultaneousCalls"\?/) },
    ]);
  });

  it('a header without userId, and a column named twice: said once, on the header, not again on every row', async () => {
    const result = await check('header.csv', `user,clidPolicy,clidPolicy\nx,Use DN,Use DN\ny,Use DN,Use DN\n`);
    expect(result.problems).toEqual([
      { file: result.file, line: 1, field: 'userId', message: 'the header has no "userId" column: rename "user" to "userId" (columns: user, clidPolicy, clidPolicy)' },
      { file: result.file, line: 1, field: 'clidPolicy', message: 'column "clidPolicy" appears twice in the header' },
    ]);
    expect(result.rowCount).toBe(2);
  });

  it('a row whose only values are in an unknown column is not called empty', async () => {
    const result = await check('only-unknown.csv', `userId,clidPolcy,useGroupName\n${U1},Use DN,\n${U2},,\n`);
    expect(result.problems.map((p) => [p.line, p.field])).toEqual([
      [1, 'clidPolcy'],
      [3, undefined], // truly empty
    ]);
  });

  it('a header with no rows is a problem: nothing to do', async () => {
    const result = await check('header-only.csv', 'userId,clidPolicy\r\n');
    expect(result.problems).toEqual([{ file: result.file, message: 'the manifest has no rows: nothing to do' }]);
  });

  it('a row with more cells than the header names its line', async () => {
    const result = await check('uneven.csv', `userId,clidPolicy\n${U1},Use DN\n${U2},Use DN,extra\n`);
    expect(result.problems).toEqual([
      { file: result.file, line: 3, message: 'row has 3 cells but the header has 2 columns; check for a missing or extra comma, or quote a cell that contains one' },
    ]);
  });

  it('an unclosed quote is reported, not half-read', async () => {
    const result = await check('quote.csv', `userId,supportedMediaSetName\n${U1},"HD\n${U2},x\n`);
    expect(result.problems).toEqual([{ file: result.file, line: expect.any(Number), message: expect.stringContaining('never closed') }]);
  });

  it('refuses an empty file, a UTF-16 file and an unknown extension before parsing', async () => {
    expect((await openProblem('empty.csv', '')).message).toMatch(/the file is empty/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('userId\n', 'utf16le')]);
    expect((await openProblem('utf16.csv', utf16)).message).toMatch(/UTF-16/);
    expect((await openProblem('users.txt', 'userId\n')).message).toMatch(/unknown manifest type ".txt"/);
  });

  it('job-file defaults apply to every row that leaves the field out, and count as fields used', async () => {
    const result = await check('defaults.csv', `userId,clidPolicy\n${U1},Use DN\n`, { useUserCLIDSetting: true });
    expect(result.fieldsUsed).toEqual(['useUserCLIDSetting', 'clidPolicy']);
    expect(result.rows[0]?.fields).toEqual({ useUserCLIDSetting: true, clidPolicy: 'Use DN' });
  });

  it('bad job-file defaults are problems named defaults.<field>, with the job file', async () => {
    const result = await check('bad-defaults.csv', `userId,clidPolicy\n${U1},Use DN\n`, { useUserCLIDSetting: 'yes' });
    expect(result.problems).toEqual([{ file: 'job.json', field: 'defaults.useUserCLIDSetting', message: 'expected true or false, got "yes"' }]);
  });
});

describe('validateManifest: JSON', () => {
  it('reads an array of row objects with JSON types', async () => {
    const json = JSON.stringify([{ userId: U1, useUserCLIDSetting: true, maxSimultaneousCalls: 4 }, { userId: U2, useUserCLIDSetting: 'false' }], null, 2);
    const result = await check('array.json', json);
    expect(result.problems).toEqual([]);
    expect(result.rows).toEqual([
      { line: 2, key: { userId: U1 }, id: U1, fields: { useUserCLIDSetting: true, maxSimultaneousCalls: 4 } },
      { line: 7, key: { userId: U2 }, id: U2, fields: { useUserCLIDSetting: false } },
    ]);
  });

  it('reads {defaults, rows}: the file\'s defaults fill the rows and override the job file\'s', async () => {
    const json = JSON.stringify({ defaults: { useUserMediaSetting: true, clidPolicy: 'Use DN' }, rows: [{ userId: U1, supportedMediaSetName: null }, { userId: U2, clidPolicy: 'Use Group CLID' }] }, null, 2);
    const result = await check('object.json', json, { clidPolicy: 'Use Configurable CLID', useGroupName: true });
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => r.fields)).toEqual([
      { useUserMediaSetting: true, clidPolicy: 'Use DN', useGroupName: true, supportedMediaSetName: null },
      { useUserMediaSetting: true, clidPolicy: 'Use Group CLID', useGroupName: true },
    ]);
    expect(result.fieldsUsed).toEqual(['useUserMediaSetting', 'clidPolicy', 'useGroupName', 'supportedMediaSetName']);
  });

  it('names the line each bad row starts on', async () => {
    const json = [
      '{',
      '  "defaults": { "useUserCLIDSetting": true },',
      '  "rows": [',
      `    { "userId": "${U1}", "clidPolicy": "Use DN" },`,
      '    {',
      `      "userId": "${U2}",`,
      '      "clidPolicy": "use dn"',
      '    },',
      `    "${U3}",`,
      `    { "userId": "${U1}", "clidPolicy": "Use DN" }`,
      '  ]',
      '}',
    ].join('\n');
    const result = await check('lines.json', json);
    expect(result.problems.map((p) => [p.line, p.field])).toEqual([
      [5, 'clidPolicy'],
      [9, undefined],
      [10, 'userId'],
    ]);
    expect(result.problems[2]?.message).toBe(`duplicate userId "${U1}", first seen on line 4`);
  });

  it('invalid JSON names the line of the syntax error', async () => {
    const problem = await openProblem('broken.json', `[\n  {"userId": "${U1}"},\n  {"userId": "${U2}"\n]`);
    expect(problem).toEqual({ file: problem.file, line: 4, message: 'not valid JSON: unexpected "]": a comma or a closing bracket or brace should come first' });
  });

  it('refuses a top level that is neither an array nor {defaults, rows}', async () => {
    const problem = await openProblem('shape.json', '{"users": []}');
    expect(problem.message).toBe('expected an array of row objects, or an object {"defaults": {...}, "rows": [...]}');
  });

  it('an empty array has no rows: nothing to do', async () => {
    const result = await check('empty-array.json', '[]');
    expect(result.problems).toEqual([{ file: result.file, message: 'the manifest has no rows: nothing to do' }]);
  });
});

describe('a manifest read once gives the problems and rows it gives streamed twice', () => {
  const committed = readdirSync(join(FIXTURES, 'manifests')).filter((f) => /\.(csv|json)$/.test(f));

  it.each(committed)('the committed manifest %s', async (name) => {
    await everyWay(join(FIXTURES, 'manifests', name));
  });

  /** `count` rows from user `first`, each `cells(user, i)`, ended by `eol`: well past one 64 KiB chunk for 2,000 rows. */
  const rows = (count: number, cells: (user: string, i: number) => string, eol = '\n', first = 1) =>
    Array.from({ length: count }, (_, i) => `${cells(simUser(first + i), i)}${eol}`).join('');
  const CHUNK = 64 * 1024;

  it('quoted cells holding CRLF line breaks, across the chunks a stream reads', async () => {
    const csv = 'userId,supportedMediaSetName\r\n' + rows(4000, (u, i) => `${u},"set\r\n${i}"`, '\r\n');
    expect(csv.length).toBeGreaterThan(2 * CHUNK);
    const result = await check('multi-line.csv', csv);
    expect(result.problems).toEqual([]);
    expect(result.rows).toHaveLength(4000);
    expect(result.rows[3999]).toMatchObject({ id: simUser(4000), fields: { supportedMediaSetName: 'set\r\n3999' } });
  });

  it('CR alone as the line end', async () => {
    const result = await check('cr.csv', 'userId,clidPolicy\r' + rows(3000, (u) => `${u},Use DN`, '\r'));
    expect(result.problems).toEqual([]);
    expect(result.rows.map((r) => r.line).slice(-2)).toEqual([3000, 3001]);
  });

  it('a stray quote, a row with an extra cell and a duplicate, past the first chunk', async () => {
    const csv = 'userId,clidPolicy\n' + rows(2000, (u) => `${u},Use DN`) + `${simUser(2001)},Use "DN"\n${simUser(2002)},Use DN,x\n${simUser(1)},Use DN\n`;
    const result = await check('late-problems.csv', csv);
    expect(result.problems.map((p) => [p.line, p.message])).toEqual([
      [2002, expect.stringContaining('a quote (") stands inside a cell')],
      [2003, expect.stringContaining('row has 3 cells but the header has 2 columns')],
      [2004, `duplicate userId "${simUser(1)}", first seen on line 2`],
    ]);
  });

  it('a quote never closed, past the first chunk: the rest is not read', async () => {
    const csv = 'userId,clidPolicy\n' + rows(2000, (u) => `${u},Use DN`) + `${simUser(2001)},"Use DN\n` + rows(10, (u) => `${u},Use DN`, '\n', 2002);
    const result = await check('late-quote.csv', csv);
    expect(result.problems).toEqual([{ file: result.file, line: 2002, message: expect.stringContaining('never closed') }]);
  });

  it('a stray quote in the header', async () => {
    const result = await check('header-quote.csv', `user"Id,clidPolicy\n${U1},Use DN\n${U2},Use DN\n`);
    expect(result.problems.length).toBeGreaterThan(0);
  });

  it('a row of 2 MiB', async () => {
    const result = await check('long-row.csv', `userId,supportedMediaSetName\n${U1},${'x'.repeat(2 * 1024 * 1024)}\n`);
    expect(result.problems).toEqual([{ file: result.file, line: 2, message: expect.stringContaining('longer than 1 MiB') }]);
  });

  it("Latin-1 in the first chunk and a NUL byte in the second: the first chunk's problem is the one told", async () => {
    const text = 'userId,supportedMediaSetName\n' + rows(3000, (u) => `${u},Media`);
    const bytes = Buffer.concat([Buffer.from(`userId,supportedMediaSetName\n${U1},M\xe9dia\n`, 'latin1'), Buffer.from(text.slice(29)), Buffer.from([0])]);
    expect(bytes.length).toBeGreaterThan(CHUNK);
    const problem = await openProblem('latin1-then-nul.csv', bytes);
    expect(problem).toEqual({ file: problem.file, line: 2, message: expect.stringContaining('not valid UTF-8') });
  });

  it('a user manifest naming each row\'s group: the rows carry it', async () => {
    const result = await check('groups.csv', `userId,serviceProviderId,groupId,clidPolicy\n${U1},sp1,g1,Use DN\n${U2},,,Use DN\n`);
    expect(result.rows.map((r) => r.group)).toEqual(['sp1/g1', undefined]);
    expect(result.rows[0]!.fields).toEqual({ clidPolicy: 'Use DN' });
  });
});
