import { describe, expect, it } from '@jest/globals';
import { coerceValue } from '../../src/operations/coerce-value.js';
import { OPERATIONS } from '../../src/operations/registry.js';
import { userCallProcessingPolicy as policy } from '../../src/operations/user-call-processing-policy.js';
import { seededGroups, seededUser, seededUserFields, simGroupId, simUserId, simUserIndex } from '../../src/simulator/seed.js';

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

  it('gives every user-scope operation a complete, valid field set', () => {
    for (const op of OPERATIONS.filter((o) => o.keyFields.join() === 'userId')) {
      for (let i = 1; i <= 300; i++) {
        const fields = seededUserFields(op, i, 7);
        expect(Object.keys(fields).sort()).toEqual(Object.keys(op.fields).sort());
        for (const [name, value] of Object.entries(fields)) {
          const coerced = coerceValue(op.fields[name]!, value);
          if (!coerced.ok || coerced.value !== value) throw new Error(`user ${i} ${name}=${String(value)} is not valid`);
        }
      }
    }
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
    expect(users.filter((f) => JSON.stringify(f) === JSON.stringify(policy.example))).toHaveLength(0);
  });
});
