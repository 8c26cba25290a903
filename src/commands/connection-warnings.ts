import type { Connection } from '../settings/connection.js';

const LOOPBACK = /^(127(\.\d{1,3}){3}|localhost|\[::1\])$/i;

/**
 * What is unsafe about how this run connects: TLS verification switched off, or a password sent in clear
 * text to another machine. Pure; the commands print each line to stderr on every run, whatever the log level.
 */
export function connectionWarnings(conn: Pick<Connection, 'baseUrl' | 'insecure'>): string[] {
  const out: string[] = [];
  const url = new URL(conn.baseUrl);
  if (conn.insecure && url.protocol === 'https:') {
    out.push(
      'WARNING: TLS CERTIFICATE VERIFICATION IS OFF (--insecure): anyone on the network path can read the password ' +
        'and change this run. Trust the server\'s CA with --ca-file instead.',
    );
  }
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    out.push(`WARNING: ODIN_BASE_URL uses http:// to ${url.hostname}: the password and token cross the network unencrypted. Use https://.`);
  }
  return out;
}

export function printConnectionWarnings(conn: Pick<Connection, 'baseUrl' | 'insecure'>, stderr: NodeJS.WritableStream): void {
  for (const line of connectionWarnings(conn)) stderr.write(`${line}\n`);
}
