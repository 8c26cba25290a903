import { JobError } from '../model/errors.js';
import { shellQuote } from '../util/shell-quote.js';
import { parseUnassigned } from './assignment.js';
import { BROADWORKS_ENDPOINTS, LATEST_RELEASE, OLDEST_RELEASE, serviceFeature } from './broadworks-rules.js';
import { DIALECTS, type Dialect } from './dialect.js';
import { startSimulator } from './simulator.js';
import type { SimulatorOptions } from './types.js';

export type SimulateIo = { stdout: NodeJS.WritableStream; signal?: AbortSignal };

/**
 * `odin-bulk simulate`: runs the simulator in the foreground, prints how to point the tool at it, and resolves
 * once SIGINT/SIGTERM (or `io.signal`) has stopped it. Requests are not recorded: a long run must not grow.
 */
export async function runSimulateCommand(options: SimulatorOptions & { port?: number }, io: SimulateIo): Promise<void> {
  if (io.signal?.aborted) return;
  const sim = await startSimulator({ ...options, record: options.record ?? false });
  const groups = sim.groups().length;
  const users = sim.userIds().length;
  const lacking = Object.entries(options.unassigned ?? {}).map(([feature, share]) => `${feature} ${Math.round(share * 100)}%`);
  io.stdout.write(
    `Odin simulator listening on ${sim.url} (${users} users in ${groups} ${groups === 1 ? 'group' : 'groups'})\n` +
      `dialect ${sim.dialect}, BroadWorks R${sim.release}${lacking.length ? `, users without the service: ${lacking.join(', ')}` : ''}\n` +
      `export ODIN_BASE_URL=${shellQuote(sim.url)}\n` +
      `export ODIN_USERNAME=${shellQuote(sim.username)}\n` +
      `export ODIN_PASSWORD=${shellQuote(sim.password)}\n`,
  );
  await untilStopped(io.signal);
  await sim.close();
}

function untilStopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
  });
}



/** The flags `simulate` adds for the server's dialect; bad values are input errors (exit 2). */
export type DialectFlags = { dialect?: string; release?: number; unassigned?: readonly string[] };

export function dialectOptions(flags: DialectFlags): Pick<SimulatorOptions, 'dialect' | 'release' | 'unassigned'> {
  const problems: string[] = [];
  if (flags.dialect !== undefined && !DIALECTS.includes(flags.dialect as Dialect)) {
    problems.push(`--dialect: one of ${DIALECTS.join(', ')}, got "${flags.dialect}"`);
  }
  const release = flags.release;
  if (release !== undefined && !(Number.isInteger(release) && release >= OLDEST_RELEASE && release <= LATEST_RELEASE)) {
    problems.push(`--release: a BroadWorks release from ${OLDEST_RELEASE} to ${LATEST_RELEASE}, e.g. 22, got ${String(release)}`);
  }
  const unassigned: Record<string, number> = {};
  for (const spec of flags.unassigned ?? []) {
    try {
      const [feature, share] = parseUnassigned(spec);
      const features = BROADWORKS_ENDPOINTS.map(serviceFeature).filter((f) => f !== undefined);
      if (features.includes(feature)) unassigned[feature] = share;
      else problems.push(`--unassigned: "${feature}" is not a service's endpoint; one of ${features.join(', ')}`);
    } catch (error) {
      problems.push(`--unassigned: ${(error as Error).message.replace(/`/g, '"')}`);
    }
  }
  if (problems.length) throw new JobError('EINPUT', 'invalid simulator settings', problems);
  return {
    ...(flags.dialect !== undefined ? { dialect: flags.dialect as Dialect } : {}),
    ...(release !== undefined ? { release } : {}),
    ...(Object.keys(unassigned).length ? { unassigned } : {}),
  };
}
