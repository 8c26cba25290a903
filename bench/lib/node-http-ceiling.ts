import { Agent, request } from 'node:http';
import { simUser } from './manifests.js';
import { loginToken, runFor } from './request-loop.js';

/**
 * Bare GETs through node:http itself (keep-alive agent, body read as text, JSON.parse): what a Node client gets
 * with no HTTP library on top. Next to the got figure, it shows where a Node client's time goes on this machine.
 */
export async function nodeHttpCeiling(url: string, env: Record<string, string>, connections: number, seconds: number): Promise<number> {
  const agent = new Agent({ keepAlive: true });
  const base = new URL(url);
  const path = `${base.pathname.replace(/\/$/, '')}/users/call-processing-policy?userId=${encodeURIComponent(simUser(1))}`;
  try {
    const headers = { authorization: `Bearer ${await loginToken(url, env)}` };
    const get = () =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: base.hostname, port: base.port, path, agent, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`the simulator answered HTTP ${res.statusCode}`));
            JSON.parse(body);
            resolve(1);
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    return await runFor(connections, seconds, get);
  } finally {
    agent.destroy();
  }
}
