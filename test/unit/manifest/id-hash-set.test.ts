import { describe, expect, it } from '@jest/globals';
import { hash64, IdHashSet } from '../../../src/manifest/id-hash-set.js';

describe('IdHashSet (duplicate ids, kept as 64-bit hashes)', () => {
  it('answers the line an id was first seen on, and nothing for a new id', () => {
    const seen = new IdHashSet();
    expect(seen.addOrGet('a@x', 2)).toBeUndefined();
    expect(seen.addOrGet('b@x', 3)).toBeUndefined();
    expect(seen.addOrGet('a@x', 9)).toBe(2);
    expect(seen.addOrGet('a@x', 12)).toBe(2);
    expect(seen.size).toBe(2);
  });

  it('keeps every id apart through growth (100,000 ids, then each again)', () => {
    const seen = new IdHashSet(16);
    const id = (i: number) => `user${String(i).padStart(6, '0')}@sim.odin.test`;
    // Every id is new: none answers a line (one expect for the lot; 100,000 expects take seconds).
    const answered: number[] = [];
    for (let i = 1; i <= 100_000; i++) if (seen.addOrGet(id(i), i + 1) !== undefined) answered.push(i);
    expect(answered).toEqual([]);
    expect(seen.size).toBe(100_000);
    for (const i of [1, 2, 777, 65_536, 100_000]) expect(seen.addOrGet(id(i), 999_999)).toBe(i + 1);
  });

  it('tells apart ids that differ in case, in one character or by order', () => {
    const ids = ['User@x', 'user@x', 'user@y', 'ab@x', 'ba@x', ''];
    expect(new Set(ids.map((i) => hash64(i).join(':'))).size).toBe(ids.length);
  });

  it('refuses a line it cannot store', () => {
    expect(() => new IdHashSet().addOrGet('a', 0)).toThrow('Expected `line` to be an integer from 1 to 4294967295, got `0` (number)');
  });
});
