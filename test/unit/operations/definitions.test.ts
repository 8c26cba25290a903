import { describe, expect, it } from '@jest/globals';
import { coerceValue } from '../../../src/operations/coerce-value.js';
import { keyProblem } from '../../../src/operations/key-fields.js';
import { DEFAULT_OPERATION, findOperation, OPERATIONS } from '../../../src/operations/registry.js';

describe('operation definitions', () => {
  it('ships the operations named after their API paths, the user policy first and the default', () => {
    expect(OPERATIONS.map((o) => o.name)).toEqual([
      'user-call-processing-policy',
      'group-call-processing-policy',
      'user-do-not-disturb',
      'user-call-forwarding-always',
      'user-call-forwarding-busy',
      'user-call-forwarding-no-answer',
      'user-call-forwarding-not-reachable',
      'user-call-recording',
      'user-voice-messaging',
      'user-services',
    ]);
    expect(DEFAULT_OPERATION).toBe('user-call-processing-policy');
    for (const op of OPERATIONS) {
      const [scope, ...rest] = op.name.split('-');
      expect(op.path).toBe(`/${scope}s/${rest.join('-')}`);
      expect(op.keyFields).toEqual(scope === 'group' ? ['serviceProviderId', 'groupId'] : ['userId']);
      expect(findOperation(op.name)).toBe(op);
    }
    expect(findOperation('user-call-forwarding')).toBeUndefined();
  });

  it.each(OPERATIONS.map((o) => [o.name, o] as const))('%s: the example is complete and valid, gates are boolean fields', (_n, op) => {
    expect(Object.keys(op.example).sort()).toEqual(Object.keys(op.fields).sort());
    for (const [name, spec] of Object.entries(op.fields)) {
      const coerced = coerceValue(spec, op.example[name]);
      expect({ name, ok: coerced.ok }).toEqual({ name, ok: true });
      for (const gate of spec.gates ?? []) {
        expect({ name, gate, kind: op.fields[gate]?.kind }).toEqual({ name, gate, kind: 'boolean' });
      }
      expect(op.keyFields).not.toContain(name);
    }
  });

  it('gates the group policy fields on the group flags, as OCI-P does', () => {
    const group = findOperation('group-call-processing-policy')!;
    expect(group.fields.enterpriseCallsCLIDPolicy!.gates).toEqual(['useGroupCLIDSetting']);
    expect(group.fields.groupCallsCLIDPolicy).toMatchObject({
      kind: 'enum',
      values: ['Use Extension', 'Use Location Code plus Extension', 'Use External Calls Policy'],
    });
    expect(group.fields.maxSimultaneousCalls!.gates).toEqual(['useGroupCallLimitsSetting', 'useMaxSimultaneousCalls']);
    const user = findOperation('user-call-processing-policy')!;
    expect(user.fields.maxSimultaneousCalls).toEqual({ ...group.fields.maxSimultaneousCalls, gates: ['useUserCallLimitsSetting', 'useMaxSimultaneousCalls'] });
  });
});

describe('text formats (coerceValue)', () => {
  const phone = findOperation('user-call-forwarding-always')!.fields.forwardToPhoneNumber!;
  const email = findOperation('user-voice-messaging')!.fields.voiceMessageNotifyEmailAddress!;

  it.each(['+15551234567', '+1-2125551234', '2001', '*86', 'sip:alice@example.test', 'alice@example.test', '=1', 'null'])(
    'accepts the phone value %p unchanged',
    (value) => expect(coerceValue(phone, value)).toEqual({ ok: true, value }),
  );

  it('accepts a phone number sent as a JSON integer as its digits, and null to clear it', () => {
    expect(coerceValue(phone, 15551234567)).toEqual({ ok: true, value: '15551234567' });
    expect(coerceValue(phone, null)).toEqual({ ok: true, value: null });
    expect(coerceValue(phone, 1.5)).toMatchObject({ ok: false, message: 'expected text, got 1.5' });
    expect(coerceValue(phone, -1)).toMatchObject({ ok: false });
  });

  it.each([
    ['555 1234', /without spaces, got "555 1234"/],
    ['+1555\t1234', /without spaces/],
    ['números', /without spaces/],
    ['', /expected 1 to 161 characters, got 0/],
    ['1'.repeat(162), /expected 1 to 161 characters, got 162/],
  ])('refuses the phone value %p', (value, message) => {
    expect(coerceValue(phone, value)).toEqual({ ok: false, message: expect.stringMatching(message) });
  });

  it('checks e-mail addresses: name@domain, no spaces, at most 80 characters', () => {
    expect(coerceValue(email, 'a.b+vm@example.test')).toEqual({ ok: true, value: 'a.b+vm@example.test' });
    expect(coerceValue(email, null)).toEqual({ ok: true, value: null });
    for (const bad of ['a.b', 'a b@example.test', '@example.test', 'a@', `${'a'.repeat(75)}@x.test`]) {
      expect(coerceValue(email, bad)).toMatchObject({ ok: false });
    }
    expect(coerceValue(email, 12)).toMatchObject({ ok: false, message: 'expected text, got 12' });
  });
});

describe('key fields', () => {
  it('allows inner spaces in provider and group ids (1–30), never in a userId (1–161)', () => {
    expect(keyProblem('groupId', 'Main Office')).toBeUndefined();
    expect(keyProblem('serviceProviderId', ' acme')).toBe('serviceProviderId " acme" contains white space at the start or end');
    expect(keyProblem('groupId', 'g'.repeat(31))).toBe('groupId is longer than 30 characters');
    expect(keyProblem('userId', 'a b@x')).toBe('userId "a b@x" contains white space');
    expect(keyProblem('userId', `${'u'.repeat(157)}@x.t`)).toBeUndefined();
    expect(keyProblem('userId', `${'u'.repeat(158)}@x.t`)).toBe('userId is longer than 161 characters');
    expect(keyProblem('groupId', null)).toBe('groupId is empty: every row needs one');
    expect(keyProblem('userId', 42)).toBe('userId must be text, got 42');
  });
});
