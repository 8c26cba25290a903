import { describe, expect, it } from '@jest/globals';
import { RowFailure, type OdinClient } from '../../../src/client/odin-client.js';
import type { ManifestRow } from '../../../src/manifest/types.js';
import type { Fields } from '../../../src/operations/types.js';
import { findOperation } from '../../../src/operations/registry.js';
import type { EarlierWrite } from '../../../src/records/write-log.js';
import { readCompareWrite } from '../../../src/steps/read-compare-write.js';

const op = findOperation('user-call-processing-policy')!;
const row: ManifestRow = { line: 2, key: { userId: 'a@x' }, id: 'a@x', fields: { useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' } };
const step = readCompareWrite({ op, write: true, strictGates: false });

type RecordWrite = (row: ManifestRow, before: Fields, changed: readonly string[]) => void;

/** `run`'s step for one row, as the engine calls it: the client, the writes.ndjson hook, an earlier attempt's PUT. */
function processRow(r: ManifestRow, client: OdinClient, hooks: { recordWrite?: RecordWrite } = {}, earlier?: EarlierWrite) {
  return step(r, { client, ...(hooks.recordWrite ? { beforeWrite: hooks.recordWrite } : {}), ...(earlier ? { earlier } : {}) });
}

/** An in-memory client: one user's live fields, the PUTs it was sent, and an optional failing read. */
function fakeClient(live: Fields, failRead = false) {
  const puts: Fields[] = [];
  // Typed as the client's own read and write, so a change of their shape shows here.
  const fake: Pick<OdinClient, 'read' | 'write'> = {
    async read() {
      if (failRead) throw new RowFailure('NETWORK', 'GET /users/call-processing-policy: connection reset');
      return { ...live };
    },
    async write(_op, _key, fields) {
      puts.push(fields);
      Object.assign(live, fields);
      return { settings: { ...live } };
    },
  };
  const client = fake as OdinClient;
  return { client, puts };
}

describe('the read-compare-write step (run)', () => {
  it('records each PUT before sending it, with the live values of the fields it changes', async () => {
    const { client, puts } = fakeClient({ useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    const recorded: Array<[number, Fields, readonly string[]]> = [];
    const r = await processRow(row, client, { recordWrite: (w, before, changed) => recorded.push([w.line, { ...before }, changed]) });
    expect(r).toMatchObject({ status: 'updated', changed: ['clidPolicy'], before: { useUserCLIDSetting: true, clidPolicy: 'Use DN' } });
    expect(recorded).toEqual([[2, { useUserCLIDSetting: true, clidPolicy: 'Use DN' }, ['clidPolicy']]]);
    expect(puts).toEqual([{ clidPolicy: 'Use Group CLID' }]);
  });

  it('without an earlier write, a row already as requested is unchanged and records nothing', async () => {
    const { client, puts } = fakeClient({ useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });
    let recorded = 0;
    const r = await processRow(row, client, { recordWrite: () => recorded++ });
    expect(r).toMatchObject({ status: 'unchanged', changed: [] });
    expect([recorded, puts.length]).toEqual([0, 0]);
  });

  describe('with a PUT an interrupted attempt sent (resume)', () => {
    const earlier = { before: { clidPolicy: 'Use DN', useUserCLIDSetting: false }, changed: ['useUserCLIDSetting', 'clidPolicy'] };

    it('already applied: updated, before from the earlier record, no PUT', async () => {
      const { client, puts } = fakeClient({ useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });
      const r = await processRow(row, client, {}, earlier);
      expect(r).toMatchObject({ status: 'updated', before: earlier.before, after: row.fields, changed: ['useUserCLIDSetting', 'clidPolicy'] });
      expect(r.warnings[0]).toMatch(/already as requested/);
      expect(puts).toEqual([]);
    });

    it('partly applied: only what still differs is sent, and the original values stay "before" for every field it touched', async () => {
      const { client, puts } = fakeClient({ useUserCLIDSetting: true, clidPolicy: 'Use DN' });
      const recorded: Fields[] = [];
      const r = await processRow(row, client, { recordWrite: (_w, before) => recorded.push({ ...before }) }, earlier);
      expect(puts).toEqual([{ clidPolicy: 'Use Group CLID' }]);
      expect(r).toMatchObject({ status: 'updated', before: earlier.before, changed: ['useUserCLIDSetting', 'clidPolicy'] });
      // A second crash now would still find the original values in the new record.
      expect(recorded).toEqual([earlier.before]);
    });

    it('when the read fails, the failed row still carries what the earlier PUT may have changed (for rollback.csv)', async () => {
      const { client } = fakeClient({}, true);
      const r = await processRow(row, client, {}, earlier);
      expect(r).toMatchObject({ status: 'failed', errorCode: 'NETWORK', before: earlier.before, changed: ['useUserCLIDSetting', 'clidPolicy'] });
    });

    it('fields the manifest no longer sets are left out', async () => {
      const { client } = fakeClient({ useUserCLIDSetting: true, clidPolicy: 'Use Group CLID' });
      const r = await processRow(row, client, {}, { before: { useGroupName: true }, changed: ['useGroupName'] });
      expect(r).toMatchObject({ status: 'unchanged', changed: [] });
    });
  });
});
