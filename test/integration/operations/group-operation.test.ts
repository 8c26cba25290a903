import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JobError } from '../../../src/model/errors.js';
import { readCsvRecords, runAgainst, tempDir, withSimulator, writeFiles } from '../../kit/index.js';

const GROUP_OP = 'group-call-processing-policy';
const GROUP_PATH = '/groups/call-processing-policy';

describe('a group operation end to end: manifest columns, validation, failed.csv, display id', () => {
  const sim = withSimulator({ users: 60, groupSize: 20 });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
  });

  it('validates a group manifest by serviceProviderId + groupId, naming file, line and column', async () => {
    const file = await writeFiles(dir, {
      'bad-groups.csv': [
        'serviceProviderId,groupId,useGroupCLIDSetting',
        'sim-sp,grp-01,true',
        'sim-sp, grp-02,true',
        'sim-sp,grp-01,false',
        `sim-sp,${'g'.repeat(31)},true`,
        ',grp-03,true',
      ].join('\n'),
      'no-group-column.csv': 'serviceProviderId,useGroupCLIDSetting\nsim-sp,true\n',
    });
    const error = await runAgainst(sim, { manifest: file, operation: GROUP_OP, out: join(dir, 'never') }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect((error as JobError).code).toBe('EMANIFEST_INVALID');
    expect((error as JobError).details).toEqual([
      `${file}:3 groupId: groupId " grp-02" contains white space at the start or end`,
      `${file}:4 serviceProviderId/groupId: duplicate serviceProviderId/groupId "sim-sp/grp-01", first seen on line 2`,
      `${file}:5 groupId: groupId is longer than 30 characters`,
      `${file}:6 serviceProviderId: serviceProviderId is empty: every row needs one`,
    ]);
    const missing = await runAgainst(sim, { manifest: join(dir, 'no-group-column.csv'), operation: GROUP_OP, out: join(dir, 'never2') }).catch((e: unknown) => e);
    expect((missing as JobError).details[0]).toMatch(/no-group-column\.csv:1 groupId: the header has no "groupId" column/);
    expect(sim.stats.total).toBe(0);
  });

  it('a failed group row lands in failed.csv with both key columns, the journal shows sp/group, and failed.csv retries it', async () => {
    const file = await writeFiles(dir, {
      'groups.csv': 'serviceProviderId,groupId,useGroupCallLimitsSetting,maxRedirectionDepth\nsim-sp,grp-01,true,7\nsim-sp,grp-02,true,8\n',
    });
    sim.script('PUT', GROUP_PATH, [500], { key: 'sim-sp/grp-02' });
    const { summary, outDir } = await runAgainst(sim, { manifest: file, operation: GROUP_OP, retries: 0, out: join(dir, 'first') });
    expect(summary).toMatchObject({ total: 2, updated: 1, failed: 1, exitCode: 1 });
    expect(await readFile(join(outDir, 'failed.csv'), 'utf8')).toBe(
      'serviceProviderId,groupId,useGroupCallLimitsSetting,maxRedirectionDepth\nsim-sp,grp-02,true,8\n',
    );
    const journal = (await readFile(join(outDir, 'journal.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; status: string });
    expect(journal.map((j) => [j.id, j.status]).sort()).toEqual([['sim-sp/grp-01', 'updated'], ['sim-sp/grp-02', 'failed']]);
    expect((await readCsvRecords(join(outDir, 'results.csv'))).map((r) => [r.serviceProviderId, r.groupId, r.status])).toEqual([
      ['sim-sp', 'grp-01', 'updated'],
      ['sim-sp', 'grp-02', 'failed'],
    ]);

    const retry = await runAgainst(sim, { manifest: join(outDir, 'failed.csv'), operation: GROUP_OP, out: join(dir, 'retry') });
    expect(retry.summary).toMatchObject({ total: 1, updated: 1, failed: 0 });
    expect(sim.getFields(GROUP_OP, 'sim-sp/grp-02')).toMatchObject({ useGroupCallLimitsSetting: true, maxRedirectionDepth: 8 });
  });
});
