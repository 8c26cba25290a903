import { beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { OP, POLICY, readCsvRecords, runCli, tempDir, withSimulator } from '../../kit/index.js';

const [U1, U2, U3] = ['user00001@sim.odin.test', 'user00002@sim.odin.test', 'user00003@sim.odin.test'];
const GATE_COUNT = /^(\d+) rows? changes? a value that its gate flag \(e\.g\. useUserCLIDSetting, isActive\), being false, leaves without effect; --strict-gates refuses them$/m;

/** BroadWorks ignores a value while its useUser…Setting gate is false. */
describe('gate flags', () => {
  const sim = withSimulator({ users: 5 });
  let dir: string;
  let n = 0;
  const out = () => join(dir, `out-${++n}`);

  beforeAll(async () => {
    dir = await tempDir({
      // Line 2 turns the gate off itself while setting a field it controls; line 3 depends on the live gate.
      'self-gated.csv': `userId,useUserCLIDSetting,clidPolicy\n${U1},false,Use Group CLID\n${U2},,Use Group CLID\n`,
      'live-gated.csv': `userId,clidPolicy\n${U1},Use Group CLID\n${U2},Use Group CLID\n${U3},Use Group CLID\n`,
      // Turning forwarding off and clearing its number: the clear takes effect whatever isActive says.
      'clear-gated.csv': `userId,isActive,forwardToPhoneNumber\n${U1},false,null\n`,
    });
  });
  beforeEach(() => {
    for (const u of [U1, U2, U3]) sim.setFields(OP, u, { useUserCLIDSetting: true, clidPolicy: 'Use DN' });
    sim.resetStats();
  });

  describe('at validation time, a row that itself sets a gate false while setting a gated field', () => {
    it('gets a warning naming file, line and field; the manifest stays valid', async () => {
      const res = await runCli(['validate', '--manifest', 'self-gated.csv'], { sim, cwd: dir });
      expect(res.code).toBe(0);
      expect(res.stdout.split('\n').slice(1, 3)).toEqual([
        'self-gated.csv: 1 warning (--strict-gates refuses these)',
        '  self-gated.csv:2 clidPolicy: clidPolicy has no effect while useUserCLIDSetting is false, and this row sets useUserCLIDSetting to false',
      ]);
    });

    it('is not given for a row that clears (null) the field its gate turns off', async () => {
      const res = await runCli(['validate', '--manifest', 'clear-gated.csv', '--operation', 'user-call-forwarding-always', '--strict-gates'], { sim, cwd: dir });
      expect(res.code).toBe(0);
      expect(res.stdout).toBe('clear-gated.csv: 1 row valid for user-call-forwarding-always; fields: isActive, forwardToPhoneNumber\n');
    });

    it('is a validation problem with --strict-gates: exit 2, nothing sent, for validate and run alike', async () => {
      const validate = await runCli(['validate', '--manifest', 'self-gated.csv', '--strict-gates'], { sim, cwd: dir });
      const run = await runCli(['run', '--manifest', 'self-gated.csv', '--strict-gates', '--out', out()], { sim, cwd: dir });
      for (const res of [validate, run]) {
        expect(res.code).toBe(2);
        expect(res.stderr).toBe(
          'EMANIFEST_INVALID: self-gated.csv has 1 problem; nothing was sent\n' +
            '  self-gated.csv:2 clidPolicy: clidPolicy has no effect while useUserCLIDSetting is false, and this row sets useUserCLIDSetting to false (refused: --strict-gates)\n',
        );
      }
      expect(sim.stats.total).toBe(0);
    });

    it('is printed before a run without --strict-gates, which then writes the row with a warning', async () => {
      const dest = out();
      const res = await runCli(['run', '--manifest', 'self-gated.csv', '--out', dest, '--rate', '0'], { sim, cwd: dir });
      expect(res.code).toBe(0);
      expect(res.stderr).toContain('warn:   self-gated.csv:2 clidPolicy: clidPolicy has no effect while useUserCLIDSetting is false');
      expect(sim.getFields(OP, U1)).toMatchObject({ useUserCLIDSetting: false, clidPolicy: 'Use Group CLID' });
      const rows = await readCsvRecords(join(dest, 'results.csv'));
      expect(rows[0]!.warnings).toBe('clidPolicy has no effect while useUserCLIDSetting is false (set by this row)');
      expect(rows[1]!.warnings).toBe('');
      expect(GATE_COUNT.exec(res.stdout)?.[1]).toBe('1');
    });
  });

  describe('at run time, a change the live gate leaves without effect', () => {
    it('is written with a row warning (report column) and counted in the console summary', async () => {
      sim.setFields(OP, U1, { useUserCLIDSetting: false });
      sim.setFields(OP, U3, { useUserCLIDSetting: false });
      const dest = out();
      const res = await runCli(['run', '--manifest', 'live-gated.csv', '--out', dest, '--rate', '0'], { sim, cwd: dir });
      expect(res.code).toBe(0);
      expect(GATE_COUNT.exec(res.stdout)?.[1]).toBe('2');
      expect(res.stdout).toMatch(/^2 rows have warnings \(see the warnings column of results\.csv\)$/m);
      const rows = await readCsvRecords(join(dest, 'results.csv'));
      expect(rows.map((r) => [r.userId, r.status, r.warnings])).toEqual([
        [U1, 'updated', 'clidPolicy has no effect while useUserCLIDSetting is false'],
        [U2, 'updated', ''],
        [U3, 'updated', 'clidPolicy has no effect while useUserCLIDSetting is false'],
      ]);
    });

    it('makes the row invalid with --strict-gates: not written, exit 1', async () => {
      sim.setFields(OP, U1, { useUserCLIDSetting: false });
      const dest = out();
      const res = await runCli(['run', '--manifest', 'live-gated.csv', '--strict-gates', '--out', dest, '--rate', '0'], { sim, cwd: dir });
      expect(res.code).toBe(1);
      expect(sim.count('PUT', POLICY, U1)).toBe(0);
      expect(sim.getFields(OP, U1)!.clidPolicy).toBe('Use DN');
      const rows = await readCsvRecords(join(dest, 'results.csv'));
      expect(rows.map((r) => [r.userId, r.status])).toEqual([[U1, 'invalid'], [U2, 'updated'], [U3, 'updated']]);
      expect(rows[0]!.error).toBe('not written (--strict-gates): clidPolicy has no effect while useUserCLIDSetting is false');
    });
  });
});
