import { describe, expect, it } from '@jest/globals';
import { coerceValue } from '../../../src/operations/coerce-value.js';
import { findOperation } from '../../../src/operations/registry.js';
import { BROADWORKS_ENDPOINTS } from '../../../src/simulator/broadworks-rules.js';
import { checkValue } from '../../../src/simulator/check-value.js';
import { seededGroups, seededUser, seededUserFields, simGroupId, simUserId, simUserIndex } from '../../../src/simulator/seed.js';

const policy = BROADWORKS_ENDPOINTS.find((e) => e.name === 'user-call-processing-policy')!;
const initial = Object.fromEntries(Object.entries(policy.fields).map(([name, f]) => [name, f.initial]));

describe('seed', () => {
  it('names users with a 5-digit, 1-based index', () => {
    expect(simUserId(1)).toBe('user00001@sim.odin.test');
    expect(simUserId(123456)).toBe('user123456@sim.odin.test');
    expect(simUserIndex('user00042@sim.odin.test', 100)).toBe(42);
    expect(simUserIndex('user00101@sim.odin.test', 100)).toBeUndefined();
    expect(simUserIndex('user0042@sim.odin.test', 100)).toBeUndefined();
    expect(simUserIndex('someone@else.test', 100)).toBeUndefined();
  });

  it('splits users into groups of groupSize', () => {
    expect(seededGroups(120, 50)).toEqual([
      { serviceProviderId: 'sim-sp', groupId: 'grp-01', userCount: 50 },
      { serviceProviderId: 'sim-sp', groupId: 'grp-02', userCount: 50 },
      { serviceProviderId: 'sim-sp', groupId: 'grp-03', userCount: 20 },
    ]);
    expect(simGroupId(7, 150)).toBe('grp-007');
    expect(seededUser(51, { users: 120, groupSize: 50 })).toMatchObject({
      userId: 'user00051@sim.odin.test',
      serviceProviderId: 'sim-sp',
      groupId: 'grp-02',
      extension: '1000',
    });
  });

  it('gives every user endpoint a complete field set that both the simulator and the tool take as valid', () => {
    for (const ep of BROADWORKS_ENDPOINTS.filter((e) => e.scope === 'user')) {
      const op = findOperation(ep.name)!;
      for (let i = 1; i <= 300; i++) {
        const fields = seededUserFields(ep, i, 7);
        expect(Object.keys(fields).sort()).toEqual(Object.keys(ep.fields).sort());
        for (const [name, value] of Object.entries(fields)) {
          const checked = checkValue(ep.fields[name]!, value);
          if (!checked.ok || checked.value !== value) throw new Error(`user ${i} ${name}=${String(value)} is refused by the simulator`);
          const coerced = coerceValue(op.fields[name]!, value);
          if (!coerced.ok || coerced.value !== value) throw new Error(`user ${i} ${name}=${String(value)} is refused by the tool`);
        }
      }
    }
  });

  it('seeds some forwarding numbers as all-digit extensions and some as E.164, never 1 ring', () => {
    const numbers = Array.from({ length: 300 }, (_, i) => seededUserFields('user-call-forwarding-no-answer', i + 1, 7));
    const set = numbers.map((f) => f.forwardToPhoneNumber).filter((n): n is string => typeof n === 'string');
    expect(set.some((n) => /^\d+$/.test(n))).toBe(true);
    expect(set.some((n) => n.startsWith('+1555'))).toBe(true);
    expect(numbers.some((f) => f.forwardToPhoneNumber === null)).toBe(true);
    expect(numbers.filter((f) => f.numberOfRings === 1)).toHaveLength(0);
    expect(new Set(numbers.map((f) => f.numberOfRings)).size).toBeGreaterThan(3);
  });

  it('is deterministic for a seed, and varied across users and seeds', () => {
    expect(seededUserFields(policy, 17, 3)).toEqual(seededUserFields(policy, 17, 3));
    const bySeed = (seed: number) => Array.from({ length: 50 }, (_, i) => seededUserFields(policy, i + 1, seed));
    expect(bySeed(1)).not.toEqual(bySeed(2));

    const users = bySeed(1);
    const distinct = new Set(users.map((f) => JSON.stringify(f)));
    expect(distinct.size).toBeGreaterThan(45);
    expect(new Set(users.map((f) => f.useUserCLIDSetting))).toEqual(new Set([true, false]));
    expect(new Set(users.map((f) => f.clidPolicy)).size).toBe(3);
    expect(new Set(users.map((f) => f.maxSimultaneousCalls)).size).toBeGreaterThan(3);
    expect(users.filter((f) => JSON.stringify(f) === JSON.stringify(initial))).toHaveLength(0);
  });
});
