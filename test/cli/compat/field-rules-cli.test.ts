import { beforeEach, describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, tempDir } from '../../kit/index.js';

let cwd: string;
beforeEach(async () => {
  cwd = await tempDir();
});

/** The BroadWorks rules of docs/odin-compatibility.md, as an operator meets them: `operations NAME` and `validate`. */
describe('field rules from the OCI-P schema, through the built binary', () => {
  it('`operations NAME` shows each rule, the schema it comes from, the service and the release', async () => {
    const cfna = await runCli(['operations', 'user-call-forwarding-no-answer'], { cwd, env: {} });
    expect(cfna.code).toBe(0);
    expect(cfna.stdout).toMatch(/^ {2}rules: OCI-P UserCallForwardingNoAnswerModifyRequest; needs the Call Forwarding No Answer service assigned to the user$/m);
    expect(cfna.stdout).toMatch(/^ {4}numberOfRings +integer 0 or 2 to 20 {2}\[needs isActive\]$/m);
    expect(cfna.stdout).not.toContain('user-call-forwarding-always');

    const vm = await runCli(['operations', 'user-voice-messaging'], { cwd, env: {} });
    expect(vm.stdout).toMatch(/^ {4}transferPhoneNumber +phone number or extension \(no SIP URI\), 1–30 chars/m);

    const policy = await runCli(['operations', 'user-call-processing-policy'], { cwd, env: {} });
    expect(policy.stdout).toMatch(/^ {4}allowUserSelectionOfExternalCLIDPolicy +true \| false {2}\[BroadWorks R24 or later\] {2}\[needs useUserCLIDSetting\]$/m);
    expect(policy.stdout).toMatch(/^ {4}clidPolicy +'Use DN' \| 'Use Configurable CLID' \| 'Use Group CLID' {2}\[needs useUserCLIDSetting\]$/m);
  });

  it('numberOfRings 1 is refused at validation: exit 2, file, line and field named, nothing sent (no ODIN_* at all)', async () => {
    await writeFile(join(cwd, 'rings.csv'), 'userId,isActive,numberOfRings\nuser00001@sim.odin.test,true,2\nuser00002@sim.odin.test,true,1\n');
    const { code, stderr } = await runCli(['validate', '--manifest', 'rings.csv', '--operation', 'user-call-forwarding-no-answer'], { cwd, env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain('rings.csv:3 numberOfRings: 1 is not allowed: expected 0 or 2 to 20');
  });

  it('a transferPhoneNumber of 31 characters is refused at validation', async () => {
    await writeFile(join(cwd, 'vm.csv'), `userId,transferPhoneNumber\nuser00001@sim.odin.test,${'5'.repeat(31)}\n`);
    const { code, stderr } = await runCli(['validate', '--manifest', 'vm.csv', '--operation', 'user-voice-messaging'], { cwd, env: {} });
    expect(code).toBe(2);
    expect(stderr).toContain('vm.csv:2 transferPhoneNumber: expected 1 to 30 characters, got 31');
  });
});
