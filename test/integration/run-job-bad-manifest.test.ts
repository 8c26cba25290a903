import { beforeAll, describe, expect, it } from '@jest/globals';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../../src/model/errors.js';
import { runTestJob, tempDir, testJobOptions, withSimulator } from '../kit/index.js';

const [U1, U2] = ['user00001@sim.odin.test', 'user00002@sim.odin.test'];

const sim = withSimulator({ users: 10 });
let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

/** [line, field, part of the message]; line and field undefined where the problem has none. */
type Expected = [number | undefined, string | undefined, string];

const CASES: [string, string, string | Buffer, Expected[], Record<string, unknown>?][] = [
  ['an unknown column', 'unknown.csv', `userId,clidPolcy\n${U1},Use DN\n`, [[1, 'clidPolcy', 'unknown field "clidPolcy": did you mean "clidPolicy"?']]],
  ['"yes" for a boolean', 'yes.csv', `userId,useGroupName\n${U1},yes\n`, [[2, 'useGroupName', 'expected true or false, got "yes"']]],
  ['an integer out of range', 'range.csv', `userId,maxCallTimeForAnsweredCallsMinutes\n${U1},2\n`, [[2, 'maxCallTimeForAnsweredCallsMinutes', '2 is out of range: expected 3 to 2880']]],
  ['an enum in the wrong case', 'enum.csv', `userId,clidPolicy\n${U1},use dn\n`, [[2, 'clidPolicy', `did you mean 'Use DN'?`]]],
  ['a duplicate userId', 'dup.csv', `userId,useGroupName\n${U1},true\n${U2},true\n${U1},false\n`, [[4, 'userId', `duplicate userId "${U1}", first seen on line 2`]]],
  ['an empty userId', 'empty-id.csv', `userId,useGroupName\n${U1},true\n,true\n`, [[3, 'userId', 'userId is empty']]],
  ['a header without userId', 'no-id.csv', `user,useGroupName\n${U1},true\n${U2},true\n`, [[1, 'userId', 'the header has no "userId" column: rename "user" to "userId"']]],
  ['a header only', 'header-only.csv', 'userId,useGroupName\n', [[undefined, undefined, 'the manifest has no rows']]],
  ['a row with too many cells', 'uneven.csv', `userId,useGroupName\n${U1},true\n${U2},true,false\n`, [[3, undefined, 'row has 3 cells but the header has 2 columns']]],
  ['an unclosed quote', 'quote.csv', `userId,supportedMediaSetName\n${U1},"HD\n${U2},x\n`, [[expect.any(Number) as unknown as number, undefined, 'never closed']]],
  ['an empty file', 'empty.csv', '', [[undefined, undefined, 'the file is empty']]],
  ['a UTF-16 file', 'utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`userId,useGroupName\n${U1},true\n`, 'utf16le')]), [[1, undefined, 'UTF-16']]],
  ['binary garbage', 'binary.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]), [[1, undefined, 'not text']]],
  ['a JSON manifest that is not an array', 'object.json', JSON.stringify({ users: [{ userId: U1 }] }), [[1, undefined, 'expected an array of row objects']]],
  ['a JSON row that is not an object', 'row.json', `[\n  {"userId": "${U1}", "useGroupName": true},\n  "${U2}"\n]`, [[3, undefined, 'a row must be an object']]],
  ['a nested object as a value', 'nested.json', `[\n  {"userId": "${U1}", "useGroupName": {"value": true}}\n]`, [[2, 'useGroupName', 'expected a single value, got an object']]],
  ['bad job-file defaults', 'defaults.csv', `userId,useGroupName\n${U1},true\n`, [[undefined, 'defaults.clidPolicy', 'did you mean \'Use DN\'?']], { clidPolicy: 'use dn' }],
];

describe('runJob: an invalid manifest stops the job before any request', () => {
  it.each(CASES)('%s → EMANIFEST_INVALID naming line and field; nothing sent', async (_, name, content, expected, defaults = {}) => {
    const manifest = join(dir, name);
    await writeFile(manifest, content);
    const out = join(dir, `report-${name}`);
    const before = sim.stats.total;

    const error = await runTestJob(sim, testJobOptions(manifest, out, { defaults: { values: defaults, file: 'jobs/test.json' } })).then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(JobError);
    const { code, message, details } = error as JobError;
    expect(code).toBe('EMANIFEST_INVALID');
    expect(message).toMatch(/nothing was sent$/);
    expect(details).toHaveLength(expected.length);
    expected.forEach(([line, field, text], i) => {
      const file = field?.startsWith('defaults.') ? 'jobs/test.json' : manifest;
      const where = `${file}${line === undefined ? '' : `:${typeof line === 'number' ? line : '\\d+'}`}${field ? ` ${field}` : ''}: `;
      expect(details[i]).toMatch(new RegExp(`^${escape(where).replace('\\\\d\\+', '\\d+')}`));
      expect(details[i]).toContain(text);
    });
    expect(sim.stats.total - before).toBe(0);
    await expect(access(out)).rejects.toThrow(); // no report folder: nothing half-written
  });

  it('lists every problem of a manifest, not just the first', async () => {
    const manifest = join(dir, 'many.csv');
    await writeFile(manifest, [`userId,useGroupName,clidPolicy,maxSimultaneousCalls,colour`, `${U1},yes,Use DN,5,red`, `${U2},true,use dn,0,blue`, `,true,Use DN,5,`, `${U1},true,Use DN,5,`].join('\n'));
    const before = sim.stats.total;

    const error = (await runTestJob(sim, testJobOptions(manifest, join(dir, 'many'))).catch((e: unknown) => e)) as JobError;

    expect(error.code).toBe('EMANIFEST_INVALID');
    expect(error.message).toBe(`${manifest} has 6 problems; nothing was sent`);
    expect(error.details.map((d) => d.slice(manifest.length))).toEqual([
      expect.stringMatching(/^:1 colour: unknown field "colour"/),
      ':2 useGroupName: expected true or false, got "yes"',
      expect.stringMatching(/^:3 clidPolicy: "use dn" is not allowed: did you mean 'Use DN'\?/),
      ':3 maxSimultaneousCalls: 0 is out of range: expected 1 to 999999',
      ':4 userId: userId is empty: every row needs one',
      `:5 userId: duplicate userId "${U1}", first seen on line 2`,
    ]);
    expect(sim.stats.total - before).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
