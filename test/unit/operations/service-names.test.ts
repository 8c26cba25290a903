import { describe, expect, it } from '@jest/globals';
import { coerceValue } from '../../../src/operations/coerce-value.js';
import { compareNames, nameListProblems, undoColumns, undoNames, type AssignedStates } from '../../../src/operations/service-names.js';
import { userServices as op } from '../../../src/operations/user-services.js';

const names = op.fields.assign!;
const held = (services: Record<string, boolean>, packs: Record<string, boolean> = {}): AssignedStates => ({
  services: new Map(Object.entries(services)),
  packs: new Map(Object.entries(packs)),
});

describe('a list of service names (the `names` field kind)', () => {
  it('reads ";"-separated text or a JSON list as the names trimmed and joined by ";"', () => {
    expect(coerceValue(names, ' Call Waiting ; Do Not Disturb')).toEqual({ ok: true, value: 'Call Waiting;Do Not Disturb' });
    expect(coerceValue(names, ['Call Waiting', 'Do Not Disturb'])).toEqual({ ok: true, value: 'Call Waiting;Do Not Disturb' });
  });

  it.each([
    ['A;;B', 'an empty name in "A;;B"'],
    ['A;', 'an empty name'],
    ['A;a', '"A" and "a" are one name written twice'],
    [['A', 'A'], '"A" is named twice'],
    [['A;B'], "cannot contain ';'"],
    [[], 'the list names no service'],
    [[1], 'expected a list of service names'],
    [true, "expected service names separated by ';'"],
    ['x'.repeat(81), 'longer than 80 characters'],
  ])('refuses %j', (raw, message) => {
    const coerced = coerceValue(names, raw);
    expect(coerced.ok).toBe(false);
    expect(!coerced.ok && coerced.message).toContain(message);
  });

  it('refuses a name both assigned and unassigned in one row, in either case; packs are another list', () => {
    expect(nameListProblems(op, { assign: 'Call Waiting;DND', unassign: 'call waiting' })).toEqual([
      { field: 'unassign', message: '"call waiting" is also in assign: a row cannot both assign and unassign it' },
    ]);
    expect(nameListProblems(op, { assign: 'SIM-VM', unassignPacks: 'SIM-VM' })).toEqual([]);
  });
});

describe('comparing a row with what the user holds', () => {
  it('before is, per field, the names of its list assigned now; only names whose state differs are changes', () => {
    const compared = compareNames(op, { assign: 'A;B', unassign: 'C;D', assignPacks: 'P' }, held({ A: true, B: false, C: true, D: false }, { P: false }));
    expect(compared.before).toEqual({ assign: 'A', unassign: 'C', assignPacks: '' });
    expect(compared.changes).toEqual({ services: [{ name: 'B', assigned: true }, { name: 'C', assigned: false }], packs: [{ name: 'P', assigned: true }] });
    expect(compared.changed).toEqual(['assign', 'unassign', 'assignPacks']);
    expect(compared.unknown).toEqual([]);
  });

  it('a name the user\'s list lacks is unknown, with the closest name', () => {
    const compared = compareNames(op, { assign: 'Voice Mesaging User' }, held({ 'Voice Messaging User': false, 'Call Waiting': true }));
    expect(compared.unknown.map((u) => u.message)).toEqual([
      'assign: "Voice Mesaging User" is not among this user\'s services: did you mean "Voice Messaging User"? (names vary by system: GET /users/services lists them)',
    ]);
    expect(compared.changed).toEqual([]);
  });

  it('the rollback reverses exactly the names the write flipped, in the opposite field', () => {
    const requested = { assign: 'A;B', unassign: 'C;D' };
    const before = { assign: 'A', unassign: 'C' };
    expect(undoNames(op, requested, before, ['assign', 'unassign'])).toEqual({ unassign: 'B', assign: 'C' });
    expect(undoNames(op, requested, before, ['assign'])).toEqual({ unassign: 'B' });
    expect(undoColumns(op, ['assign'])).toEqual(['assign', 'unassign']);
    expect(undoColumns(op, ['unassignPacks'])).toEqual(['assignPacks', 'unassignPacks']);
  });
});
