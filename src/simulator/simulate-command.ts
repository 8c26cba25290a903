import { shellQuote } from '../util/shell-quote.js';
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
  io.stdout.write(
    `Odin simulator listening on ${sim.url} (${users} users in ${groups} ${groups === 1 ? 'group' : 'groups'})\n` +
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


