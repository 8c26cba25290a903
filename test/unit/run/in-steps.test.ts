import { describe, expect, it } from '@jest/globals';
import { RowFailure, type OdinClient } from '../../../src/client/odin-client.js';
import type { ManifestRow } from '../../../src/manifest/types.js';
import type { Fields } from '../../../src/operations/types.js';
import { resolveOperation, reversed, stepsOperation, inStepOrder, type StepsOperation } from '../../../src/operations/steps-operation.js';
import { findOperation } from '../../../src/operations/registry.js';
import { forEachStep } from '../../../src/steps/in-steps.js';
import { readCompareWrite } from '../../../src/steps/read-compare-write.js';

const CFNA = findOperation('user-call-forwarding-no-answer')!;
const DND = findOperation('user-do-not-disturb')!;
const POLICY = findOperation('user-call-processing-policy')!;
const made = stepsOperation([CFNA, DND, POLICY]);
if (!('op' in made)) throw new Error(made.problem);
const op: StepsOperation = made.op;

/** An in-memory Odin: each operation's live fields of one user, the PUTs it was sent, and operations that refuse. */
function fakeOdin(live: Record<string, Fields>, refuse: Record<string, string> = {}) {
  const calls: string[] = [];
  // Typed as the client's own read and write, so a change of their shape shows here.
  const fake: Pick<OdinClient, 'read' | 'write'> = {
    async read(o) {
      calls.push(`GET ${o.name}`);
      if (refuse[o.name]) throw new RowFailure('NOT_ASSIGNED', refuse[o.name]!, 400);
      return { ...live[o.name] };
    },
    async write(o, _key, fields) {
      calls.push(`PUT ${o.name} ${JSON.stringify(fields)}`);
      Object.assign(live[o.name]!, fields);
      return { settings: { ...live[o.name] } };
    },
  };
  const client = fake as OdinClient;
  return { client, calls };
}

const row = (fields: Fields): ManifestRow => ({ line: 2, key: { userId: 'a@x' }, id: 'a@x', fields });
const step = forEachStep(op, (s) => readCompareWrite({ op: s, write: true, strictGates: false }));

describe('an operation of steps', () => {
  it('names its fields OPERATION.FIELD, with gates named alike, and its name joins the steps with +', () => {
    expect(op.name).toBe('user-call-forwarding-no-answer+user-do-not-disturb+user-call-processing-policy');
    expect(op.fields['user-do-not-disturb.ringSplash']!.gates).toEqual(['user-do-not-disturb.isActive']);
    expect(Object.keys(op.fields)).toHaveLength(Object.keys(CFNA.fields).length + Object.keys(DND.fields).length + Object.keys(POLICY.fields).length);
  });

  it('is found again by its name, reversed for a rollback, and refuses what cannot be steps', () => {
    const again = resolveOperation(op.name);
    expect('op' in again && again.op.fields).toEqual(op.fields);
    expect(reversed(op).name).toBe('user-call-processing-policy+user-do-not-disturb+user-call-forwarding-no-answer');
    expect(inStepOrder(op, ['user-do-not-disturb.isActive', 'user-call-forwarding-no-answer.numberOfRings'], true)).toEqual(['user-do-not-disturb.isActive', 'user-call-forwarding-no-answer.numberOfRings']);
    expect(resolveOperation('user-do-not-disturb+user-dnd')).toEqual({ problem: expect.stringMatching(/^unknown operation "user-dnd"/) });
    expect(stepsOperation([DND, DND])).toEqual({ problem: expect.stringContaining('is a step twice') });
    expect(stepsOperation([DND, findOperation('group-call-processing-policy')!])).toEqual({ problem: expect.stringContaining('must name their targets alike') });
  });
});

describe('the step of a job of steps', () => {
  it('runs each step in order, writes only what differs, and names everything OPERATION.FIELD', async () => {
    const { client, calls } = fakeOdin({ [CFNA.name]: { isActive: true, numberOfRings: 3 }, [DND.name]: { isActive: false }, [POLICY.name]: { useUserCLIDSetting: true } });
    const r = await step(row({ 'user-call-forwarding-no-answer.numberOfRings': 4, 'user-do-not-disturb.isActive': false, 'user-call-processing-policy.useUserCLIDSetting': false }), { client });
    expect(calls).toEqual([
      'GET user-call-forwarding-no-answer',
      'PUT user-call-forwarding-no-answer {"numberOfRings":4}',
      'GET user-do-not-disturb',
      'GET user-call-processing-policy',
      'PUT user-call-processing-policy {"useUserCLIDSetting":false}',
    ]);
    expect(r).toMatchObject({
      status: 'updated',
      requests: 0, // the fake client counts no requests
      changed: ['user-call-forwarding-no-answer.numberOfRings', 'user-call-processing-policy.useUserCLIDSetting'],
      before: { 'user-call-forwarding-no-answer.numberOfRings': 3, 'user-do-not-disturb.isActive': false, 'user-call-processing-policy.useUserCLIDSetting': true },
      steps: [
        { operation: CFNA.name, status: 'updated' },
        { operation: DND.name, status: 'unchanged' },
        { operation: POLICY.name, status: 'updated' },
      ],
    });
  });

  it('a step that fails stops the row: later steps are skipped (an earlier step failed), earlier writes stay in changed', async () => {
    const { client, calls } = fakeOdin({ [CFNA.name]: { isActive: true, numberOfRings: 3 }, [DND.name]: {}, [POLICY.name]: { useUserCLIDSetting: true } }, { [DND.name]: '[Error 4410] Do Not Disturb service not assigned' });
    const r = await step(row({ 'user-call-forwarding-no-answer.numberOfRings': 4, 'user-do-not-disturb.isActive': false, 'user-call-processing-policy.useUserCLIDSetting': false }), { client });
    expect(calls).toEqual(['GET user-call-forwarding-no-answer', 'PUT user-call-forwarding-no-answer {"numberOfRings":4}', 'GET user-do-not-disturb']);
    expect(r).toMatchObject({
      status: 'failed',
      errorCode: 'NOT_ASSIGNED',
      error: 'user-do-not-disturb: [Error 4410] Do Not Disturb service not assigned',
      changed: ['user-call-forwarding-no-answer.numberOfRings'],
      steps: [
        { operation: CFNA.name, status: 'updated' },
        { operation: DND.name, status: 'failed' },
        { operation: POLICY.name, status: 'skipped', error: 'an earlier step failed' },
      ],
    });
  });

  it('a step the row sets nothing in is not run; writes.ndjson records each step\'s PUT under the row\'s column names', async () => {
    const { client, calls } = fakeOdin({ [CFNA.name]: { isActive: true, numberOfRings: 3 }, [DND.name]: { isActive: true }, [POLICY.name]: {} });
    const recorded: Array<[Fields, readonly string[]]> = [];
    const r = await step(row({ 'user-do-not-disturb.isActive': false }), { client, beforeWrite: (_row, before, changed) => recorded.push([before, changed]) });
    expect(calls).toEqual(['GET user-do-not-disturb', 'PUT user-do-not-disturb {"isActive":false}']);
    expect(recorded).toEqual([[{ 'user-do-not-disturb.isActive': true }, ['user-do-not-disturb.isActive']]]);
    expect(r.steps).toEqual([{ operation: DND.name, status: 'updated', changed: ['user-do-not-disturb.isActive'], requests: 0 }]);
  });
});
