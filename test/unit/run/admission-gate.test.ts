import { describe, expect, it } from '@jest/globals';
import { AdmissionGate } from '../../../src/engine/admission-gate.js';

/** Admits `n` requests; returns which ones got in (synchronously settled promises are flushed first). */
async function admitted(gate: AdmissionGate, n: number): Promise<boolean[]> {
  const state = Array.from({ length: n }, () => false);
  for (let i = 0; i < n; i++) void gate.admit().then(() => (state[i] = true));
  await new Promise((r) => setImmediate(r));
  return state;
}

describe('AdmissionGate', () => {
  it('lets `limit` requests in and queues the rest first come first served', async () => {
    const gate = new AdmissionGate(2);
    const state = await admitted(gate, 4);
    expect(state).toEqual([true, true, false, false]);
    gate.release();
    await new Promise((r) => setImmediate(r));
    expect(state).toEqual([true, true, true, false]);
    expect(gate.inFlight).toBe(2);
  });

  it('admits waiting requests at once when the limit rises, and holds new ones when it falls', async () => {
    const gate = new AdmissionGate(1);
    const state = await admitted(gate, 3);
    gate.limit = 3;
    await new Promise((r) => setImmediate(r));
    expect(state).toEqual([true, true, true]);
    gate.limit = 1;
    gate.release();
    gate.release();
    const later = await admitted(gate, 1);
    expect(later).toEqual([false]); // still one in flight, the new limit
    gate.release();
    await new Promise((r) => setImmediate(r));
    expect(later).toEqual([true]);
  });

  it('refuses a limit below 1', () => {
    expect(() => (new AdmissionGate(1).limit = 0)).toThrow('Expected `limit` to be an integer of 1 or more, got `0`');
  });
});
