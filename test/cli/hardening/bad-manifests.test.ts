import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FIXTURES, OP, readCsvRecords, runCli, tempDir, withSimulator } from '../../kit/index.js';

const MANIFESTS = join(FIXTURES, 'manifests');
const U = (n: number) => `user0000${n}@sim.odin.test`;
const exists = (path: string) => access(path).then(() => true, () => false);

/**
 * [file, line it names (undefined: none applies; 'first NUL': wherever the first NUL byte is), field it names
 * (undefined: none applies), what it says].
 */
type Bad = [file: string, line: number | 'first NUL' | undefined, field: string | undefined, says: RegExp];

const COMMITTED: Bad[] = [
  ['unbalanced-quotes.csv', 3, undefined, /a quoted cell on this line is never closed/],
  ['too-many-columns.csv', 3, undefined, /row has 3 cells but the header has 2 columns/],
  ['too-few-columns.csv', 3, undefined, /row has 2 cells but the header has 3 columns/],
  ['stray-quote-in-cell.csv', 3, undefined, /a quote \("\) stands inside a cell/],
  ['unknown-field.csv', 1, 'callerIdPolicy', /unknown field "callerIdPolicy"/],
  ['duplicate-column.csv', 1, 'clidPolicy', /column "clidPolicy" appears twice in the header/],
  ['missing-user-id-column.csv', 1, 'userId', /the header has no "userId" column: rename "user" to "userId"/],
  ['enum-wrong-case.csv', 3, 'clidPolicy', /"use group clid" is not allowed: did you mean 'Use Group CLID'\?/],
  ['integer-out-of-range.csv', 3, 'maxSimultaneousCalls', /1000000 is out of range: expected 1 to 999999/],
  ['integer-not-whole.csv', 3, 'maxRedirectionDepth', /expected a whole number from 1 to 100, got "7\.5"/],
  ['boolean-yes.csv', 3, 'useUserCLIDSetting', /expected true or false, got "yes"/],
  ['duplicate-user-id.csv', 4, 'userId', /duplicate userId "user00001@sim\.odin\.test", first seen on line 2/],
  ['empty-user-id.csv', 3, 'userId', /userId is empty/],
  ['user-id-with-spaces.csv', 3, 'userId', /userId "user 00002@sim\.odin\.test" contains white space/],
  ['user-id-too-long.csv', 3, 'userId', /longer than 161 characters/],
  ['row-sets-nothing.csv', 2, undefined, /the row sets no field/],
  ['header-only.csv', undefined, undefined, /the manifest has no rows: nothing to do/],
  ['empty-file.csv', undefined, undefined, /the file is empty/],
  ['wrong-extension.txt', undefined, undefined, /unknown manifest type "\.txt": name the file \.csv or \.json/],
  ['json-not-array-or-rows.json', 1, undefined, /expected an array of row objects, or an object \{"defaults": \{\.\.\.\}, "rows": \[\.\.\.\]\}/],
  ['json-invalid-syntax.json', 3, undefined, /not valid JSON/],
  ['json-nested-object-value.json', 3, 'clidPolicy', /expected a single value, got an object/],
  ['json-row-not-object.json', 3, undefined, /a row must be an object of field values/],
  ['json-null-for-boolean.json', 3, 'useUserCLIDSetting', /null is not allowed here/],
  ['json-number-user-id.json', 3, 'userId', /userId must be text, got 12345/],
];

const HEADER_AND_ROW = `userId,clidPolicy\n${U(1)},Use DN\n`;
/** Big or binary fixtures are made here rather than committed. */
const GENERATED: Array<[...Bad, content: Buffer | string]> = [
  ['utf16-with-bom.csv', 1, undefined, /the file is UTF-16 text \(with a byte-order mark\); save it as UTF-8/, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEADER_AND_ROW, 'utf16le')])],
  ['utf16-without-bom.csv', 1, undefined, /the file is UTF-16 text \(without a byte-order mark\)/, Buffer.from(HEADER_AND_ROW, 'utf16le')],
  ['binary-garbage.csv', 'first NUL', undefined, /the file is not text \(it contains NUL bytes\)/, garbage(4096)],
  ['latin1.csv', 3, undefined, /the file is not valid UTF-8 text \(another encoding, such as Latin-1\?\)/, Buffer.from(`userId,supportedMediaSetName\n${U(1)},Media\n${U(2)},M\xe9dia\n`, 'latin1')],
  ['blank-lines-only.csv', undefined, undefined, /the file is empty/, '\uFEFF\r\n  \n\t\n'],
  ['two-mb-single-line.csv', 2, undefined, /a row is longer than 1 MiB/, `userId,supportedMediaSetName\n${U(1)},${'x'.repeat(2 * 1024 * 1024)}\n`],
  ['two-mb-header-line.csv', 1, undefined, /a row is longer than 1 MiB/, `userId${',clidPolicy'.repeat(200_000)}`],
];

/** Seeded pseudo-random bytes: reproducible garbage. */
function garbage(n: number): Buffer {
  const b = Buffer.alloc(n);
  let s = 7;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    b[i] = (s >> 16) & 255;
  }
  return b;
}

describe('a corpus of bad manifests: exit 2, one clear message naming line and field, zero requests', () => {
  const sim = withSimulator({ users: 10 });
  let generated: string;

  beforeAll(async () => {
    generated = await tempDir();
    for (const [name, , , , content] of GENERATED) await writeFile(join(generated, name), content);
  });
  beforeEach(() => sim.resetStats());

  const cases = [...COMMITTED.map((c) => [...c, MANIFESTS] as const), ...GENERATED.map(([f, l, fi, s]) => [f, l, fi, s, ''] as const)];

  it.each(cases)('%s', async (file, line, field, says, dir) => {
    const cwd = dir || generated;
    const out = join(generated, `out-${file}`);
    const res = await runCli(['run', '--manifest', file, '--out', out], { sim, cwd });
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    const [headline, ...details] = res.stderr.trimEnd().split('\n');
    expect(headline).toMatch(new RegExp(`^EMANIFEST_INVALID: ${escape(file)} (has 1 problem|cannot be used); nothing was sent$`));
    expect(details).toHaveLength(1);
    const at = line === 'first NUL' ? firstNulLine(GENERATED.find((g) => g[0] === file)![4] as Buffer) : line;
    const where = `${file}${at ? `:${at}` : ''}${field ? ` ${field}` : ''}: `;
    expect(details[0]!.startsWith(`  ${where}`)).toBe(true);
    expect(details[0]!.slice(where.length + 2)).toMatch(says);
    expect(sim.stats.total).toBe(0); // not even a login
    expect(await exists(out)).toBe(false); // no report folder either
  });

  it('has at least 20 committed fixtures, one per point', () => {
    expect(COMMITTED.length).toBeGreaterThanOrEqual(20);
    expect(new Set(COMMITTED.map((c) => c[0])).size).toBe(COMMITTED.length);
  });
});

describe('valid edge cases run', () => {
  const sim = withSimulator({ users: 10 });
  let out: string;
  const unicode = ['jürgen.müller@beispiel.de', '山田太郎@例え.jp', 'ñandú+ops@ejemplo.es'];

  beforeAll(async () => {
    for (const id of unicode) sim.setFields(OP, id, { useUserCLIDSetting: false });
    out = await tempDir();
  });

  const run = async (file: string) => {
    const res = await runCli(['run', '--manifest', join(MANIFESTS, file), '--out', join(out, file), '--rate', '0'], { sim });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    return readCsvRecords(join(out, file, 'results.csv'));
  };

  it('a UTF-8 BOM and CRLF line ends', async () => {
    const rows = await run('valid-bom-crlf.csv');
    expect(rows.map((r) => [r.line, r.userId])).toEqual([['2', U(1)], ['3', U(2)]]);
    expect(sim.getFields(OP, U(1))).toMatchObject({ useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });
    expect(sim.getFields(OP, U(2))).toMatchObject({ useUserCLIDSetting: true, clidPolicy: 'Use Configurable CLID' });
  });

  it('quoted commas (and doubled quotes) inside a cell', async () => {
    await run('valid-quoted-commas.csv');
    expect(sim.getFields(OP, U(3))!.supportedMediaSetName).toBe('HD, wideband');
    expect(sim.getFields(OP, U(4))!.supportedMediaSetName).toBe('Say "hi", then, go');
  });

  it('unicode userIds', async () => {
    const rows = await run('valid-unicode-user-ids.csv');
    expect(rows.map((r) => [r.userId, r.status])).toEqual(unicode.map((id) => [id, 'updated']));
    for (const id of unicode) expect(sim.getFields(OP, id)!.useUserCLIDSetting).toBe(true);
  });

  it('a JSON rows object with defaults', async () => {
    await run('valid-rows-object.json');
    expect(sim.getFields(OP, U(5))).toMatchObject({ useUserCallLimitsSetting: true, useMaxSimultaneousCalls: true, maxSimultaneousCalls: 7 });
    expect(sim.getFields(OP, U(6))!.maxSimultaneousCalls).toBe(12);
  });
});

function firstNulLine(bytes: Buffer): number {
  return bytes.subarray(0, bytes.indexOf(0)).toString('latin1').split('\n').length;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
