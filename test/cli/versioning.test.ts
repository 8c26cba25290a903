import { beforeAll, describe, expect, it } from '@jest/globals';
import { cp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clidManifest, FAST, libraryPlan, libraryRun, PACKAGE_VERSION, range, readJson, REPO, runCli, tempDir, withSimulator } from '../kit/index.js';

// The oracle is the repository's package.json, read here, not the version module under test.
const PACKAGE_JSON = join(REPO, 'package.json');

describe('odin-bulk knows its own version', () => {
  const version = PACKAGE_VERSION;
  const sim = withSimulator({ users: 20, record: false });
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir({ 'users.csv': clidManifest(range(1, 10)) });
  });

  it('--version prints the version of its own package.json when installed in a project that has another one', async () => {
    // As npm lays it out: the project's package.json, odin-bulk and yargs copied under its node_modules (yargs looks
    // for "the" package.json above the node_modules it is in, i.e. the project's), the other dependencies linked.
    const project = await tempDir({ 'package.json': JSON.stringify({ name: 'my-jobs', version: '9.9.9' }) });
    const modules = join(project, 'node_modules');
    await cp(join(REPO, 'dist'), join(modules, 'odin-bulk/dist'), { recursive: true });
    await cp(PACKAGE_JSON, join(modules, 'odin-bulk/package.json'));
    await cp(join(REPO, 'node_modules/yargs'), join(modules, 'yargs'), { recursive: true });
    for (const name of await readdir(join(REPO, 'node_modules'))) {
      if (name !== 'yargs') await symlink(join(REPO, 'node_modules', name), join(modules, name));
    }
    expect(version).not.toBe('9.9.9');
    const r = await runCli(['--version'], { cwd: project, cli: join(modules, 'odin-bulk/dist/odin-bulk.mjs') });
    expect(r).toEqual({ code: 0, signal: null, stdout: `${version}\n`, stderr: '' });
  });

  it('run.json of a run, a plan, an apply and a merge records the version that wrote it', async () => {
    const manifest = join(dir, 'users.csv');
    const plan = join(dir, 'plan');
    expect((await runCli(['plan', '--manifest', manifest, '--out', plan, ...FAST], { sim })).code).toBe(0);
    expect(await readJson(join(plan, 'run.json'))).toMatchObject({ odinBulkVersion: version, dryRun: true });
    const apply = join(dir, 'apply');
    const applied = await runCli(['apply', plan, '--out', apply], { sim });
    expect(applied.code).toBe(0);
    expect(applied.stderr).not.toContain('was made by'); // planned and applied by one version: nothing to warn about
    expect(await readJson(join(plan, 'plan.json'))).toMatchObject({ odinBulkVersion: version });
    expect(await readJson(join(apply, 'run.json'))).toMatchObject({ odinBulkVersion: version, plan: { file: join(plan, 'plan.json') } });

    const shards = [1, 2].map((k) => join(dir, `shard-${k}`));
    const r = await runCli(['run', '--manifest', manifest, '--shard', '1/2', '--out', shards[0]!, ...FAST], { sim });
    expect(r.code).toBe(0);
    expect(await readJson(join(shards[0]!, 'run.json'))).toMatchObject({ odinBulkVersion: version });
    // The other shard, for merge-reports to take, is run in this process (the library records its version too).
    const other = await libraryRun(sim, { manifest, shard: '2/2', out: shards[1]!, retries: 0 });
    expect(other.exitCode).toBe(0);
    expect(await readJson(join(shards[1]!, 'run.json'))).toMatchObject({ odinBulkVersion: version });
    const merged = join(dir, 'merged');
    const merge = await runCli(['merge-reports', ...shards, '--out', merged]);
    expect(merge.code).toBe(0);
    expect(merge.stderr).toBe(''); // one version throughout: nothing to warn about
    const info = await readJson(join(merged, 'run.json'));
    expect(info.odinBulkVersion).toBe(version);
    expect(info.merged.parts.map((p: { odinBulkVersion?: string }) => p.odinBulkVersion)).toEqual([version, version]);
  });

  /** A copy of a finished report folder whose run.json says another version wrote it (undefined: says none). */
  const copyAs = async (from: string, name: string, writer: string | undefined) => {
    const to = join(dir, name);
    await cp(from, to, { recursive: true });
    const info = await readJson(join(to, 'run.json'));
    if (writer === undefined) delete info.odinBulkVersion;
    else info.odinBulkVersion = writer;
    await writeFile(join(to, 'run.json'), JSON.stringify(info, null, 2));
    return to;
  };

  describe('--resume of a folder another version started warns, and resumes', () => {
    let finished: string;
    beforeAll(async () => {
      // Set-up, in this process: a finished run, copied below with each version a folder may say wrote it.
      finished = join(dir, 'finished');
      const r = await libraryRun(sim, { manifest: join(dir, 'users.csv'), out: finished, retries: 0 });
      expect(r.exitCode).toBe(0);
    });
    const resume = (out: string) => runCli(['run', '--manifest', join(dir, 'users.csv'), '--resume', out, ...FAST], { sim });

    it('started by the same version: no warning', async () => {
      const same = await copyAs(finished, 'resume-same', version);
      const r = await resume(same);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`Resuming ${same}: 10 of 10 rows finished earlier`);
      expect(r.stderr).not.toContain('was started by');
    });

    it('started by another version: names both', async () => {
      const older = await copyAs(finished, 'resume-older', '0.0.1');
      const r = await resume(older);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`warn: ${older} was started by odin-bulk 0.0.1; this is odin-bulk ${version}: the resumed reports hold rows from both versions`);
      expect(r.stderr).toContain('resume with odin-bulk 0.0.1');
      expect(await readFile(join(older, 'run.log'), 'utf8')).toContain(`was started by odin-bulk 0.0.1; this is odin-bulk ${version}`);
    });

    it('started by a version that did not record itself: says so', async () => {
      const unknown = await copyAs(finished, 'resume-unrecorded', undefined);
      const r = await resume(unknown);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`warn: ${unknown} was started by an odin-bulk too old to record its version; this is odin-bulk ${version}`);
    });
  });

  describe('apply of a plan another version made warns, and applies', () => {
    let planDir: string;
    beforeAll(async () => {
      // Set-up, in this process: a plan of 10 rows that all need a change, copied below with each version a plan may name.
      // Users 11-20: the other tests change 1-10.
      const manifest = join(dir, 'users-11-20.csv');
      await writeFile(manifest, clidManifest(range(11, 20)));
      planDir = join(dir, 'plan-for-versions');
      const plan = await libraryPlan(sim, { manifest, out: planDir, retries: 0 });
      expect(plan.exitCode).toBe(0);
    });
    /** A copy of the plan folder whose plan.json names `maker` (undefined: names none). */
    const planAs = async (name: string, maker: string | undefined) => {
      const to = join(dir, name);
      await cp(planDir, to, { recursive: true });
      const text = await readFile(join(to, 'plan.json'), 'utf8');
      const line = `  "odinBulkVersion": ${JSON.stringify(version)},\n`;
      expect(text).toContain(line); // what a plan records, read back as written
      await writeFile(join(to, 'plan.json'), text.replace(line, maker === undefined ? '' : `  "odinBulkVersion": ${JSON.stringify(maker)},\n`));
      return join(to, 'plan.json');
    };
    const apply = (planFile: string, out: string) => runCli(['apply', planFile, '--out', join(dir, out), '--rate', '0'], { sim });

    it('made by another version: names both, and the rows are applied', async () => {
      const planFile = await planAs('plan-older', '0.0.1');
      const r = await apply(planFile, 'apply-older');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`warn: ${planFile} was made by odin-bulk 0.0.1; this is odin-bulk ${version}: the plan was worked out by one version and is applied by another.`);
      expect(r.stderr).toContain('apply with odin-bulk 0.0.1, or make the plan again with this one');
      expect(await readJson(join(dir, 'apply-older', 'summary.json'))).toMatchObject({ updated: 10, exitCode: 0 });
    });

    it('made by a version that did not record itself: says so', async () => {
      const planFile = await planAs('plan-unrecorded', undefined);
      const r = await apply(planFile, 'apply-unrecorded');
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`warn: ${planFile} was made by an odin-bulk too old to record its version; this is odin-bulk ${version}`);
    });
  });

  it('merge-reports of folders from different versions, or without one, warns naming each folder and merges', async () => {
    const [s1, s2] = [1, 2].map((k) => join(dir, `shard-${k}`)) as [string, string];
    const older = await copyAs(s2, 'shard-2-older', '0.0.1');
    const merge = await runCli(['merge-reports', s1, older, '--out', join(dir, 'merged-older')]);
    expect(merge.code).toBe(0);
    expect(merge.stderr).toContain(`warning: the report folders were not all written by this odin-bulk (${version}): ${s1}: ${version}; ${older}: 0.0.1.`);
    const info = await readJson(join(dir, 'merged-older', 'run.json'));
    expect(info.merged.parts.map((p: { odinBulkVersion?: string }) => p.odinBulkVersion)).toEqual([version, '0.0.1']);

    const unrecorded = await copyAs(s2, 'shard-2-unrecorded', undefined);
    const again = await runCli(['merge-reports', s1, unrecorded, '--out', join(dir, 'merged-unrecorded')]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(`${unrecorded}: no version recorded (written before odin-bulk recorded it)`);
  });
});
