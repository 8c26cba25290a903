import { describe, expect, it } from '@jest/globals';
import { checkDefaults, checkRow } from '../../src/manifest/check-row.js';
import { userCallProcessingPolicy as op } from '../../src/operations/user-call-processing-policy.js';

const U1 = 'user00001@sim.odin.test';
const row = (cells: Record<string, unknown>, line = 2) => checkRow({ line, cells }, op, {}, 'users.csv');

describe('checkRow', () => {
  it('turns cells into wire types and keeps the key apart', () => {
    expect(row({ userId: U1, useUserCLIDSetting: 'TRUE', clidPolicy: 'Use DN', maxSimultaneousCalls: '12' })).toEqual({
      row: { line: 2, key: { userId: U1 }, id: U1, fields: { useUserCLIDSetting: true, clidPolicy: 'Use DN', maxSimultaneousCalls: 12 } },
      id: U1,
      problems: [],
    });
  });

  it('an empty cell leaves that field alone', () => {
    const { row: r } = row({ userId: U1, useUserCLIDSetting: '', clidPolicy: 'Use Group CLID' });
    expect(r?.fields).toEqual({ clidPolicy: 'Use Group CLID' });
    expect(r?.fields).not.toHaveProperty('useUserCLIDSetting');
  });

  it('lists every problem of the row, each with file, line and field', () => {
    const { row: r, problems } = row({ userId: U1, useUserCLIDSetting: 'yes', clidPolicy: 'use dn', maxSimultaneousCalls: '0' }, 7);
    expect(r).toBeUndefined();
    expect(row({ userId: U1, useUserCLIDSetting: 'yes' }).id).toBe(U1); // still known, for the duplicate check
    expect(problems).toEqual([
      { file: 'users.csv', line: 7, field: 'useUserCLIDSetting', message: 'expected true or false, got "yes"' },
      { file: 'users.csv', line: 7, field: 'clidPolicy', message: expect.stringContaining("did you mean 'Use DN'?") },
      { file: 'users.csv', line: 7, field: 'maxSimultaneousCalls', message: '0 is out of range: expected 1 to 999999' },
    ]);
  });

  it('an unknown field gets a did-you-mean', () => {
    const { problems } = row({ userId: U1, clidpolicy: 'Use DN' });
    expect(problems).toEqual([
      { file: 'users.csv', line: 2, field: 'clidpolicy', message: expect.stringMatching(/^unknown field "clidpolicy": did you mean "clidPolicy"\?/) },
    ]);
  });

  it.each([
    ['empty', '', 'userId is empty: every row needs one'],
    ['missing', undefined, 'userId is empty: every row needs one'],
    ['with a space', 'a b@x', 'userId "a b@x" contains white space'],
    ['too long', 'u'.repeat(162), 'userId is longer than 161 characters'],
    ['a number', 42, 'userId must be text, got 42'],
  ])('refuses a userId that is %s', (_, userId, message) => {
    expect(row({ userId, clidPolicy: 'Use DN' }).problems).toEqual([{ file: 'users.csv', line: 2, field: 'userId', message }]);
  });

  it('a row that sets nothing is a problem', () => {
    expect(row({ userId: U1, clidPolicy: '' }).problems).toEqual([
      { file: 'users.csv', line: 2, field: undefined, message: 'the row sets no field: every cell is empty and the job has no defaults' },
    ]);
  });

  it('defaults fill the fields a row leaves empty; the row wins where it sets one', () => {
    const defaults = { useUserCLIDSetting: true, clidPolicy: 'Use DN' };
    const { row: r } = checkRow({ line: 3, cells: { userId: U1, clidPolicy: 'Use Group CLID', useGroupName: '' } }, op, defaults, 'm.csv');
    expect(r?.fields).toEqual({ useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });
    const { row: onlyDefaults } = checkRow({ line: 4, cells: { userId: U1 } }, op, defaults, 'm.csv');
    expect(onlyDefaults?.fields).toEqual(defaults);
  });

  it('a JSON row that is not an object is reported as such', () => {
    const { problems } = checkRow({ line: 5, cells: {}, notObject: { value: 'user1' } }, op, {}, 'm.json');
    expect(problems).toEqual([{ file: 'm.json', line: 5, field: undefined, message: 'a row must be an object of field values, got "user1"' }]);
  });
});

describe('checkDefaults', () => {
  it('coerces valid defaults', () => {
    expect(checkDefaults({ useUserCLIDSetting: 'true', maxSimultaneousCalls: 3 }, op, 'jobs/x.json')).toEqual({
      fields: { useUserCLIDSetting: true, maxSimultaneousCalls: 3 },
      problems: [],
    });
  });

  it('names each bad default as defaults.<field>', () => {
    const { problems } = checkDefaults({ clidPolcy: 'Use DN', maxSimultaneousCalls: 0, useGroupName: 'yes' }, op, 'jobs/x.json');
    expect(problems).toEqual([
      { file: 'jobs/x.json', field: 'defaults.clidPolcy', message: expect.stringContaining('did you mean "clidPolicy"?') },
      { file: 'jobs/x.json', field: 'defaults.maxSimultaneousCalls', message: '0 is out of range: expected 1 to 999999' },
      { file: 'jobs/x.json', field: 'defaults.useGroupName', message: 'expected true or false, got "yes"' },
    ]);
  });
});
