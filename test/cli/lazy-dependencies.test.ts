import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { clidManifest, FAST, range, runCli, tempDir, withSimulator } from '../kit/index.js';

// scripts/bundle-cli.mjs gives some dependencies a stand-in that loads them only when they are used. What a user can
// ask of them must still work.
describe('dependencies the command loads only when they are used', () => {
  const sim = withSimulator({ users: 5, record: false });

  it("DEBUG=winston:* still prints winston's own debugging lines (its @dabh/diagnostics is loaded then)", async () => {
    const dir = await tempDir({ 'users.csv': clidManifest(range(1, 1)) });
    const r = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'plan'), ...FAST], { sim, env: { DEBUG: 'winston:*' } });
    expect(r.code).toBe(0);
    // On stderr since bcb822d (they broke --json on stdout).
    expect(r.stderr).toContain('winston:create-logger: Define prototype method for "info"');
    expect(r.stdout).not.toContain('winston:');
  });
});
