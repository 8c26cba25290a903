import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Secrets } from '../../../src/logging/secrets.js';
import type { RunObserver } from '../../../src/model/run-observer.js';
import { mergeReports } from '../../../src/merge/merge-reports.js';
import { readRunInfo } from '../../../src/records/run-info.js';
import { rebuildArtefacts } from '../../kit/artefacts.js';
import { baselineManifest, onWrites, POLICY, readResultsJson, runAgainst, tempDir, withSimulator } from '../../kit/index.js';

const PASSWORD = 'Echoed-Pa55word-4711';
const ARTEFACTS = ['junit.xml', 'report.html', 'summary.md'] as const;
type Artefacts = Record<(typeof ARTEFACTS)[number], string>;

/**
 * A follower of the run that the engine calls after the report writer has written results.json and before the report
 * folder builds its artefacts: it takes results.json away, so a run that still read it back at the end would fail.
 */
function hideResults(out: string): RunObserver {
  return { finish: () => rename(join(out, 'results.json'), join(out, 'results.json.hidden')) };
}

const restoreResults = (out: string) => rename(join(out, 'results.json.hidden'), join(out, 'results.json'));

async function artefactsOf(dir: string): Promise<Artefacts> {
  const texts = await Promise.all(ARTEFACTS.map((f) => readFile(join(dir, f), 'utf8')));
  return Object.fromEntries(ARTEFACTS.map((f, i) => [f, texts[i]])) as Artefacts;
}

/** The same three files built again from the folder's results.json and summary.json, as for a folder given after the fact. */
async function rebuiltFromFolder(dir: string): Promise<Artefacts> {
  await rebuildArtefacts(dir, (await readRunInfo(dir))!);
  return artefactsOf(dir);
}

/** The test cases of junit.xml, by name, in file order. */
const junitNames = (xml: string) => [...xml.matchAll(/<testcase classname="[^"]*" name="([^"]+)"/g)].map((m) => m[1]);

/** The rows report.html carries in its data block. */
function htmlRows(html: string): Array<{ id: string; status: string; error: string | null }> {
  const data = /<script type="application\/json" id="odin-bulk-data">([\s\S]*?)<\/script>/.exec(html);
  return (JSON.parse(data![1]!) as { rows: Array<{ id: string; status: string; error: string | null }> }).rows;
}

describe('junit.xml, report.html and summary.md are built from the rows as they pass', () => {
  const sim = withSimulator({ users: 120, password: PASSWORD });

  it('a run builds them without reading results.json back, with every row in manifest order, secrets redacted', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 30);
    // One row fails with an answer that echoes the password: results.json has it redacted, and so must the artefacts.
    sim.script('PUT', POLICY, [{ status: 400, body: JSON.stringify({ status: 400, error: 'Bad Request', details: `echo ${PASSWORD}` }) }], { key: users[4] });
    const secrets = new Secrets();
    secrets.add(PASSWORD);
    const outcome = await runAgainst(sim, { manifest, out, concurrency: 8 }, { observers: [hideResults(out)], secrets });
    expect(outcome.summary).toMatchObject({ total: 30, updated: 29, failed: 1 });
    expect(await readdir(out)).not.toContain('results.json');
    expect((await readdir(out)).filter((f) => f.endsWith('.partial'))).toEqual([]);

    const built = await artefactsOf(out);
    expect(junitNames(built['junit.xml'])).toEqual(users);
    const rows = htmlRows(built['report.html']);
    expect(rows.map((r) => r.id)).toEqual(users);
    expect(rows[4]).toMatchObject({ status: 'failed', error: expect.stringContaining('echo ***') });
    expect(built['summary.md']).toContain('| failed | 1 |');
    for (const text of Object.values(built)) expect(text).not.toContain(PASSWORD);

    await restoreResults(out);
    expect((await readResultsJson(out))[4]!.error).toContain('echo ***');
    expect(await rebuiltFromFolder(out)).toEqual(built);
  });

  it('--resume: the rows kept from the first attempt (replayed, not run again) are in them too', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    const { manifest, users } = await baselineManifest(sim, dir, 30);
    const first = await runAgainst(sim, { manifest, out, concurrency: 4 }, { wrap: onWrites((count, _key, stop) => count === 8 && stop.stop('test interrupt')) });
    expect(first.summary.skipped).toBeGreaterThan(0);

    const second = await runAgainst(sim, { manifest, resume: out, concurrency: 4 }, { observers: [hideResults(out)] });
    expect(second.kept).toBe(first.summary.updated);
    expect(second.summary).toMatchObject({ total: 30, updated: 30 });
    const built = await artefactsOf(out);
    expect(junitNames(built['junit.xml'])).toEqual(users);
    expect(htmlRows(built['report.html']).map((r) => [r.id, r.status])).toEqual(users.map((u) => [u, 'updated']));
    expect(built['summary.md']).toContain('| updated | 30 |');

    await restoreResults(out);
    expect(await rebuiltFromFolder(out)).toEqual(built);
  });

  it('merge-reports builds them in the same pass as the merged results, naming the --out folder', async () => {
    const dir = await tempDir();
    const { manifest, users } = await baselineManifest(sim, dir, 24);
    const parts = [join(dir, 'shard-1'), join(dir, 'shard-2')];
    await runAgainst(sim, { manifest, out: parts[0], shard: '1/2' });
    await runAgainst(sim, { manifest, out: parts[1], shard: '2/2' });
    const out = join(dir, 'merged');
    await mergeReports(parts, out, { now: () => new Date() });

    const built = await artefactsOf(out);
    expect(junitNames(built['junit.xml'])).toEqual(users);
    expect(htmlRows(built['report.html']).map((r) => r.id)).toEqual(users);
    expect(built['summary.md']).toContain(`Report folder: \`${out}\``);
    expect((await readdir(out)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    expect(await rebuiltFromFolder(out)).toEqual(built);
  });
});
