import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { callLimitsManifest, runCli, tempDir, withSimulator } from '../../kit/index.js';

describe('odin-bulk run --concurrency auto (built binary, capacity-limited simulator)', () => {
  const sim = withSimulator({ users: 200, capacity: 4, latencyMs: 15, record: false });

  it('completes every row and never has more requests in flight than --max-concurrency', async () => {
    const dir = await tempDir();
    const manifest = await callLimitsManifest(dir, 120, 4321);
    sim.resetStats();
    const out = join(dir, 'report');
    // Progress lines (every 5 s off a terminal) would show up on a slow machine: only warnings are looked for here.
    const res = await runCli(['run', '--manifest', manifest, '--concurrency', 'auto', '--max-concurrency', '6', '--rate', '0', '--progress-interval', '3600', '--out', out], { sim, cwd: dir });

    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ total: 120, updated: 120, failed: 0 });
    expect(sim.stats.maxInFlight).toBeLessThanOrEqual(6);
    expect(sim.stats.maxInFlight).toBeGreaterThan(1); // it did raise from its start of 2
    const log = await readFile(join(out, 'run.log'), 'utf8');
    expect(log).toMatch(/concurrency auto \(max 6 requests in flight\): ended at \d+, peak [2-6]\b/);
    expect(log).not.toMatch(/→ (7|8|9|\d\d) \(/);
  });

  it('takes "concurrency": "auto" from the job file, and refuses a bad value with exit 2', async () => {
    const dir = await tempDir();
    const manifest = await callLimitsManifest(dir, 10, 4322);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(dir, 'job.json'), JSON.stringify({ name: 'auto', manifest, concurrency: 'auto', maxConcurrency: 3, rate: 0 }));
    const out = join(dir, 'report');
    const ok = await runCli(['run', join(dir, 'job.json'), '--out', out], { sim, cwd: dir });
    expect(ok.code).toBe(0);
    expect(await readFile(join(out, 'run.log'), 'utf8')).toMatch(/concurrency auto \(max 3 requests in flight\)/);

    await writeFile(join(dir, 'bad.json'), JSON.stringify({ manifest, concurrency: 'fast' }));
    const bad = await runCli(['run', join(dir, 'bad.json'), '--out', join(dir, 'bad')], { sim, cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('concurrency: must be a whole number from 1 to 256 or "auto", got "fast"');
  });
});
