import { describe, expect, it } from '@jest/globals';
import { coerceValue, suggest } from '../../src/operations/coerce-value.js';
import { findOperation } from '../../src/operations/registry.js';
import type { FieldSpec } from '../../src/operations/types.js';
import { userCallProcessingPolicy as op } from '../../src/operations/user-call-processing-policy.js';

const spec = (name: string): FieldSpec => op.fields[name]!;
const BOOL = spec('useUserCLIDSetting');
const CALLS = spec('maxSimultaneousCalls'); // 1–999999
const ANSWERED = spec('maxCallTimeForAnsweredCallsMinutes'); // 3–2880
const CLID = spec('clidPolicy');
const MEDIA_SET = spec('supportedMediaSetName'); // text 1–80, nullable

describe('coerceValue: booleans', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['True', true],
    [' false ', false],
    ['FaLsE', false],
    [true, true],
    [false, false],
  ])('%j → %j', (raw, value) => {
    expect(coerceValue(BOOL, raw)).toEqual({ ok: true, value });
  });

  it.each(['yes', 'no', '1', '0', 'y', ''])('refuses %j, saying what it expects', (raw) => {
    expect(coerceValue(BOOL, raw)).toEqual({ ok: false, message: `expected true or false, got "${raw}"` });
  });

  it('refuses numbers and null', () => {
    expect(coerceValue(BOOL, 1)).toEqual({ ok: false, message: 'expected true or false, got 1' });
    expect(coerceValue(BOOL, null)).toEqual({ ok: false, message: 'null is not allowed here' });
  });
});

describe('coerceValue: integers', () => {
  it.each([
    ['5', 5],
    [' 7 ', 7],
    ['+3', 3],
    ['1', 1],
    ['999999', 999999],
    [42, 42],
  ])('%j → %j', (raw, value) => {
    expect(coerceValue(CALLS, raw)).toEqual({ ok: true, value });
  });

  it('refuses values outside the documented range, naming it', () => {
    expect(coerceValue(CALLS, '0')).toEqual({ ok: false, message: '0 is out of range: expected 1 to 999999' });
    expect(coerceValue(CALLS, 1_000_000)).toEqual({ ok: false, message: '1000000 is out of range: expected 1 to 999999' });
    expect(coerceValue(ANSWERED, '2')).toEqual({ ok: false, message: '2 is out of range: expected 3 to 2880' });
    expect(coerceValue(ANSWERED, '2880')).toEqual({ ok: true, value: 2880 });
    expect(coerceValue(ANSWERED, '2881')).toMatchObject({ ok: false });
  });

  it.each(['1.5', 'five', '', '1e3', '0x10'])('refuses %j as not a whole number', (raw) => {
    expect(coerceValue(CALLS, raw)).toEqual({ ok: false, message: `expected a whole number from 1 to 999999, got "${raw}"` });
  });

  it('refuses fractional and unsafe numbers', () => {
    expect(coerceValue(CALLS, 2.5)).toMatchObject({ ok: false, message: 'expected a whole number from 1 to 999999, got 2.5' });
    expect(coerceValue(CALLS, '99999999999999999999')).toMatchObject({ ok: false });
    expect(coerceValue(CALLS, true)).toMatchObject({ ok: false });
  });
});

describe('coerceValue: enums', () => {
  it('accepts values exactly as documented', () => {
    for (const v of ['Use DN', 'Use Configurable CLID', 'Use Group CLID']) expect(coerceValue(CLID, v)).toEqual({ ok: true, value: v });
  });

  it('a near miss gets a did-you-mean and the allowed values', () => {
    const result = coerceValue(CLID, 'use dn');
    expect(result).toEqual({
      ok: false,
      message: `"use dn" is not allowed: did you mean 'Use DN'? (one of 'Use DN', 'Use Configurable CLID', 'Use Group CLID', exactly as written)`,
    });
  });

  it.each([
    ['UseDN', 'Use DN'],
    ['Use Groop CLID', 'Use Group CLID'],
    ['use configurable clid', 'Use Configurable CLID'],
  ])('%j → did you mean %j', (raw, hint) => {
    const result = coerceValue(CLID, raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(`did you mean '${hint}'?`);
  });

  it('something far off gets no suggestion', () => {
    const result = coerceValue(CLID, 'Carrier default');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).not.toContain('did you mean');
  });
});

describe('coerceValue: text and shapes', () => {
  it('checks text length and allows null only where the field can be cleared', () => {
    expect(coerceValue(MEDIA_SET, 'HD-Voice')).toEqual({ ok: true, value: 'HD-Voice' });
    expect(coerceValue(MEDIA_SET, null)).toEqual({ ok: true, value: null });
    expect(coerceValue(MEDIA_SET, 'x'.repeat(81))).toEqual({ ok: false, message: 'expected 1 to 80 characters, got 81' });
    expect(coerceValue(MEDIA_SET, 5)).toEqual({ ok: false, message: 'expected text, got 5' });
    expect(coerceValue(CLID, null)).toEqual({ ok: false, message: 'null is not allowed here' });
  });

  it('refuses lists and objects', () => {
    expect(coerceValue(BOOL, [true])).toEqual({ ok: false, message: 'expected a single value, got a list' });
    expect(coerceValue(CALLS, { value: 3 })).toEqual({ ok: false, message: 'expected a single value, got an object' });
  });
});

describe('suggest', () => {
  const fields = Object.keys(op.fields);
  it('finds the field despite case, spacing, dashes and small typos', () => {
    expect(suggest('clidpolicy', fields)).toBe('clidPolicy');
    expect(suggest('clid_policy', fields)).toBe('clidPolicy');
    expect(suggest('maxSimultaneusCalls', fields)).toBe('maxSimultaneousCalls');
    expect(suggest('useUserClidSettings', fields)).toBe('useUserCLIDSetting');
  });

  it('gives nothing for an unrelated word', () => {
    expect(suggest('firstName', fields)).toBeUndefined();
    expect(suggest('zz', ['Use DN'])).toBeUndefined();
  });
});

describe('BroadWorks ranges checked against the OCI-P schema', () => {
  const rings = findOperation('user-call-forwarding-no-answer')!.fields.numberOfRings!;
  const transfer = findOperation('user-voice-messaging')!.fields.transferPhoneNumber!;

  it('numberOfRings is 0 or 2–20: 1 is refused (CallForwardingNoAnswerNumberOfRings)', () => {
    for (const n of [0, 2, 3, 19, 20]) expect(coerceValue(rings, n)).toEqual({ ok: true, value: n });
    expect(coerceValue(rings, 1)).toEqual({ ok: false, message: '1 is not allowed: expected 0 or 2 to 20' });
    expect(coerceValue(rings, '1')).toEqual({ ok: false, message: '1 is not allowed: expected 0 or 2 to 20' });
    expect(coerceValue(rings, -1)).toEqual({ ok: false, message: '-1 is out of range: expected 0 or 2 to 20' });
    expect(coerceValue(rings, 21)).toEqual({ ok: false, message: '21 is out of range: expected 0 or 2 to 20' });
    expect(coerceValue(rings, 'two')).toEqual({ ok: false, message: 'expected a whole number (0 or 2 to 20), got "two"' });
  });

  it('transferPhoneNumber is an outgoing DN of 1–30 characters (OutgoingDN), null clears it', () => {
    expect(coerceValue(transfer, '1'.repeat(30))).toEqual({ ok: true, value: '1'.repeat(30) });
    expect(coerceValue(transfer, '1'.repeat(31))).toEqual({ ok: false, message: 'expected 1 to 30 characters, got 31' });
    expect(coerceValue(transfer, 5551234)).toEqual({ ok: true, value: '5551234' });
    expect(coerceValue(transfer, null)).toEqual({ ok: true, value: null });
    expect(coerceValue(transfer, '555 1234')).toEqual({ ok: false, message: 'expected a phone number or extension without spaces, got "555 1234"' });
  });
});
