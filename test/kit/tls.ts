import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * A throw-away CA and a server certificate it signs for 127.0.0.1, made with the openssl CLI.
 * Returns the PEM texts and the CA file's path (for --ca-file).
 */
export async function makeCertificates(dir: string): Promise<{ caFile: string; ca: string; key: string; cert: string }> {
  const at = (name: string) => join(dir, name);
  const ssl = (...args: string[]) =>
    exec('openssl', args, { cwd: dir }).catch((error: Error) => {
      throw new Error(`the TLS tests need the openssl CLI (apt-get install openssl): ${error.message}`);
    });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  await ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=odin-bulk test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  await ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(at('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  await ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  const [ca, key, cert] = await Promise.all(['ca.pem', 'server.key', 'server.pem'].map((f) => readFile(at(f), 'utf8')));
  return { caFile: at('ca.pem'), ca: ca!, key: key!, cert: cert! };
}
