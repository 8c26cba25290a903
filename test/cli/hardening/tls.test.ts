import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeCertificates, OP, runCli, tempDir, withSimulator } from '../../kit/index.js';

const U1 = 'user00001@sim.odin.test';
const INSECURE_WARNING = 'WARNING: TLS CERTIFICATE VERIFICATION IS OFF (--insecure)';

/** A real HTTPS simulator with a certificate from a throw-away private CA. */
describe('TLS', () => {
  let dir: string;
  let caFile: string;
  let otherCaFile: string;
  const sim = withSimulator(async () => {
    dir = await tempDir();
    await mkdir(join(dir, 'other'));
    const certs = await makeCertificates(dir);
    caFile = certs.caFile;
    otherCaFile = (await makeCertificates(join(dir, 'other'))).caFile;
    await writeFile(join(dir, 'users.csv'), `userId,clidPolicy\n${U1},Use Group CLID\n`);
    await writeFile(join(dir, 'not-a-cert.pem'), 'hello\n');
    return { users: 5, tls: { key: certs.key, cert: certs.cert } };
  });
  let n = 0;
  const run = (...flags: string[]) =>
    runCli(['run', '--manifest', join(dir, 'users.csv'), '--out', join(dir, `out-${++n}`), '--retries', '0', ...flags], { sim });

  it('serves https', () => {
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/v2$/);
  });

  it('without --ca-file the run does not start: exit 3 and a clear certificate message', async () => {
    sim.resetStats();
    const res = await run();
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^ETLS: cannot log in at https:\/\/127\.0\.0\.1:\d+\/api\/v2\/auth\/token: TLS certificate not accepted: .*\((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)\n/);
    expect(res.stderr).toContain('--ca-file ca.pem');
    expect(sim.stats.total).toBe(0); // the handshake failed: no HTTP request, so no password, reached the server
    expect(existsSync(join(dir, `out-${n}`))).toBe(false);
  });

  it('a CA file of another CA is no better: exit 3', async () => {
    const res = await run('--ca-file', otherCaFile);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^ETLS: .*TLS certificate not accepted/);
  });

  it('with --ca-file of the private CA the run works, without any warning', async () => {
    sim.setFields(OP, U1, { clidPolicy: 'Use DN' });
    const res = await run('--ca-file', caFile);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(sim.getFields(OP, U1)!.clidPolicy).toBe('Use Group CLID');
  });

  it('with --insecure the run works and warns loudly, whatever the log level', async () => {
    sim.setFields(OP, U1, { clidPolicy: 'Use DN' });
    const res = await run('--insecure', '--log-level', 'error');
    expect(res.code).toBe(0);
    expect(res.stderr).toContain(INSECURE_WARNING);
    expect(sim.getFields(OP, U1)!.clidPolicy).toBe('Use Group CLID');
    const plan = await runCli(['plan', '--manifest', join(dir, 'users.csv'), '--out', join(dir, 'plan'), '--insecure'], { sim });
    expect([plan.code, plan.stderr]).toEqual([0, expect.stringContaining(INSECURE_WARNING)]);
  });

  it('a --ca-file that holds no certificate is an input error: exit 2', async () => {
    const res = await run('--ca-file', join(dir, 'not-a-cert.pem'));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('not-a-cert.pem holds no PEM certificate');
  });
});
