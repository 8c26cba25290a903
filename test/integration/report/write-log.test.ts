import { beforeEach, describe, expect, it } from '@jest/globals';
import { appendFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readWriteLog, WriteLog, WriteLogDamaged } from '../../../src/records/write-log.js';
import { tempDir } from '../../kit/index.js';

describe('writes.ndjson', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await tempDir();
    file = join(dir, 'writes.ndjson');
  });

  it('records one line per PUT, only the changed fields, secrets removed', async () => {
    const log = new WriteLog(file, (t) => t.split('hunter22').join('***'));
    log.record({ line: 2, id: 'a@x' }, { clidPolicy: 'Use DN', useGroupName: false, callingLineIdPhoneNumber: 'hunter22' }, ['clidPolicy', 'callingLineIdPhoneNumber']);
    log.close();
    expect(await readFile(file, 'utf8')).toBe('{"line":2,"id":"a@x","before":{"clidPolicy":"Use DN","callingLineIdPhoneNumber":"***"},"changed":["clidPolicy","callingLineIdPhoneNumber"]}\n');
  });

  it('reads back the wanted rows, merged: the first before value of a field wins, changed fields are the union', async () => {
    const log = new WriteLog(file, (t) => t);
    log.record({ line: 2, id: 'a@x' }, { clidPolicy: 'Use DN' }, ['clidPolicy']);
    log.record({ line: 3, id: 'b@x' }, { clidPolicy: 'Use DN' }, ['clidPolicy']);
    log.record({ line: 2, id: 'a@x' }, { clidPolicy: 'Use Group CLID', useGroupName: false }, ['clidPolicy', 'useGroupName']);
    log.close();
    const writes = await readWriteLog(file, (line) => line === 2);
    expect([...writes]).toEqual([[2, { before: { clidPolicy: 'Use DN', useGroupName: false }, changed: ['clidPolicy', 'useGroupName'] }]]);
  });

  it('a missing file is no writes; a half-written last line (a crash in the write, before the PUT) is cut off', async () => {
    expect((await readWriteLog(file, () => true)).size).toBe(0);
    const log = new WriteLog(file, (t) => t);
    log.record({ line: 2, id: 'a@x' }, { clidPolicy: 'Use DN' }, ['clidPolicy']);
    log.close();
    await appendFile(file, '{"line":3,"id":"b@x","bef');
    expect([...(await readWriteLog(file, () => true)).keys()]).toEqual([2]);
    expect((await readFile(file, 'utf8')).endsWith('"changed":["clidPolicy"]}\n')).toBe(true);
  });

  it('a damaged line that is not the last is refused', async () => {
    await appendFile(file, 'garbage\n{"line":2,"id":"a@x","before":{},"changed":[]}\n');
    await expect(readWriteLog(file, () => true)).rejects.toThrow(WriteLogDamaged);
  });
});
