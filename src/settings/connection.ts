import { readFileSync } from 'node:fs';
import { JobError } from '../model/errors.js';

export type Connection = {
  baseUrl: string;
  username: string;
  password: string;
  /** PEM text of extra trusted CAs (--ca-file). */
  ca?: string;
  insecure?: boolean;
};

/**
 * Credentials come only from the environment (never a flag: flags end up in shell history and CI logs).
 * Missing ones are an input error (exit 2) that says how to set them.
 */
export function connectionFromEnv(env: NodeJS.ProcessEnv, tls: { caFile?: string; insecure?: boolean } = {}): Connection {
  const missing = ['ODIN_BASE_URL', 'ODIN_USERNAME', 'ODIN_PASSWORD'].filter((name) => !env[name]);
  if (missing.length) {
    throw new JobError('EINPUT', `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set`, [
      'Set ODIN_BASE_URL (the API root, e.g. https://odin.example.com/api/v2), ODIN_USERNAME and ODIN_PASSWORD.',
      'To rehearse, start the simulator (odin-bulk simulate) and export the three lines it prints.',
    ]);
  }
  const raw = env.ODIN_BASE_URL!;
  // Not shown: a value with white space around it may hold more than a URL. URL() would drop it, the requests not.
  if (raw.trim() !== raw) {
    throw new JobError('EINPUT', 'ODIN_BASE_URL has white space (a space or a line break) before or after the URL', [
      'Set it to the API root alone, e.g. https://odin.example.com/api/v2 (a CI secret pasted with its line break?).',
    ]);
  }
  const baseUrl = raw.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new JobError('EINPUT', `ODIN_BASE_URL is not a URL: "${baseUrl}"`, ['Example: https://odin.example.com/api/v2']);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new JobError('EINPUT', `ODIN_BASE_URL must start with https:// (or http:// for a local simulator), got "${url.protocol}"`);
  }
  if (url.username || url.password) {
    throw new JobError('EINPUT', 'ODIN_BASE_URL must not contain credentials: use ODIN_USERNAME and ODIN_PASSWORD');
  }
  if (url.search || url.hash || baseUrl.includes('?') || baseUrl.includes('#')) {
    // Every path is appended to the root: https://odin/api/v2?x=1 would send POST https://odin/api/v2?x=1/auth/token.
    throw new JobError('EINPUT', 'ODIN_BASE_URL must be the API root, without a query (?…) or a fragment (#…)', ['Example: https://odin.example.com/api/v2']);
  }
  let ca: string | undefined;
  if (tls.caFile !== undefined && tls.caFile.trim() === '') {
    // Not "no CA file": a pipeline's `--ca-file "$CA_FILE"` with the variable unset would otherwise trust only the defaults.
    throw new JobError('EINPUT', '--ca-file is empty: give the PEM file of the CA to trust (an unset variable?), or leave --ca-file off');
  }
  if (tls.caFile) {
    try {
      ca = readFileSync(tls.caFile, 'utf8');
    } catch {
      throw new JobError('EINPUT', `--ca-file ${tls.caFile} cannot be read`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new JobError('EINPUT', `--ca-file ${tls.caFile} holds no PEM certificate`, ['Give the CA certificate in PEM form (text starting with -----BEGIN CERTIFICATE-----).']);
    }
  }
  return { baseUrl, username: env.ODIN_USERNAME!, password: env.ODIN_PASSWORD!, ca, insecure: tls.insecure };
}
