import { describe, expect, it } from '@jest/globals';
import { describeMissing, holdsSettings, missingFields, readLiveFields, readValue, sameFieldValue } from '../../src/operations/live-values.js';
import { findOperation, OPERATIONS } from '../../src/operations/registry.js';

const cfa = findOperation('user-call-forwarding-always')!;
const cfna = findOperation('user-call-forwarding-no-answer')!;
const policy = findOperation('user-call-processing-policy')!;

describe('readLiveFields: the one reading of a live answer', () => {
  it('reads a nullable field whose key is missing as null, and keeps what the answer has', () => {
    expect(readLiveFields(cfa, { isActive: false, isRingSplashActive: false, userId: 'u@d' })).toEqual({
      isActive: false,
      forwardToPhoneNumber: null,
      isRingSplashActive: false,
    });
  });

  it('reads an all-digit phone number sent as a JSON number as its digits, equal to the manifest cell', () => {
    const live = readLiveFields(cfa, { isActive: true, forwardToPhoneNumber: 4500 });
    expect(live.forwardToPhoneNumber).toBe('4500');
    expect(sameFieldValue(cfa, 'forwardToPhoneNumber', 4500, '4500')).toBe(true);
  });

  it('reads values in their wire type ("true" → true, "5" → 5), an empty text of a nullable field as null', () => {
    expect(readLiveFields(cfna, { isActive: 'true', numberOfRings: '5', forwardToPhoneNumber: '' })).toEqual({ isActive: true, numberOfRings: 5, forwardToPhoneNumber: null });
  });

  it('keeps a value the field does not accept as the server sent it, so it never matches a valid one', () => {
    expect(readLiveFields(cfna, { isActive: true, numberOfRings: 1 }).numberOfRings).toBe(1);
    expect(sameFieldValue(cfna, 'numberOfRings', 1, 2)).toBe(false);
  });

  it('leaves out a non-nullable field the server did not return, and keys that are not fields', () => {
    const live = readLiveFields(policy, { useUserCLIDSetting: true, userId: 'u@d', somethingNew: 1 });
    expect(Object.hasOwn(live, 'allowUserSelectionOfExternalCLIDPolicy')).toBe(false);
    expect(live).not.toHaveProperty('userId');
    expect(live).not.toHaveProperty('somethingNew');
    expect(live.supportedMediaSetName).toBeNull();
    expect(missingFields(live, { useUserCLIDSetting: false, allowUserSelectionOfExternalCLIDPolicy: true, supportedMediaSetName: null })).toEqual([
      'allowUserSelectionOfExternalCLIDPolicy',
    ]);
    expect(describeMissing(policy, ['allowUserSelectionOfExternalCLIDPolicy', 'useGroupName'])).toBe(
      'allowUserSelectionOfExternalCLIDPolicy (added in BroadWorks R24: the server may run an older release), useGroupName',
    );
  });

  it('an absent nullable value equals null; an absent non-nullable value equals nothing', () => {
    expect(sameFieldValue(cfa, 'forwardToPhoneNumber', undefined, null)).toBe(true);
    expect(sameFieldValue(cfa, 'forwardToPhoneNumber', undefined, '4500')).toBe(false);
    expect(sameFieldValue(cfa, 'isActive', undefined, false)).toBe(false);
    expect(sameFieldValue(cfa, 'isActive', undefined, undefined)).toBe(false);
  });

  it('tells an answer that carries settings from one that does not', () => {
    expect(holdsSettings(cfa, { isActive: false })).toBe(true);
    expect(holdsSettings(cfa, { userId: 'u@d' })).toBe(false);
    expect(holdsSettings(cfa, {})).toBe(false);
  });

  it('reads every field of every operation as readValue does, for values of its type and of every other', () => {
    // readLiveFields takes a value already in the field's type as it is (a shortcut); the answer must not change.
    const values = (spec: (typeof policy.fields)[string]): unknown[] => [
      true, false, 'true', 'FALSE', '', ' ', 'abc', '5', null, undefined, {}, [], 1.5, Number.NaN, 2 ** 60, -0, 0, 1, 5, 4500,
      ...(spec.kind === 'integer' ? [spec.min, spec.max, spec.min - 1, spec.max + 1, ...(spec.exclude ?? [])] : []),
      ...(spec.kind === 'enum' ? [...spec.values, ...spec.values.map((v) => v.toLowerCase())] : []),
    ];
    // No operation excludes a value inside its range today; a field that does must read the same too.
    const excluding = { ...policy, fields: { rings: { kind: 'integer', min: 0, max: 20, exclude: [1] } } } as typeof policy;
    let checked = 0;
    for (const op of [...OPERATIONS, excluding]) {
      for (const [name, spec] of Object.entries(op.fields)) {
        for (const value of values(spec)) {
          const read = readLiveFields(op, { [name]: value })[name];
          expect({ name, value, read }).toEqual({ name, value, read: readValue(spec, value) });
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(500);
  });
});

