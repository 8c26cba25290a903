import { JobError } from '../model/errors.js';
import { decimalNumber } from '../util/decimal.js';
import { shellQuote } from '../util/shell-quote.js';
import { BULK_MODES, type BulkMode } from './api-routes.js';
import { parseLicence, parseUnassigned } from './assignment.js';
import { BROADWORKS_ENDPOINTS, LATEST_RELEASE, OLDEST_RELEASE, serviceFeature } from './broadworks-rules.js';
import { SERVICE_PACKS, USER_SERVICES } from './broadworks-services.js';
import { closestName } from './check-value.js';
import { DIALECTS, type Dialect } from './dialect.js';
import { parseRevert } from './revert.js';
import { startSimulator } from './simulator.js';
import type { SimulatorOptions } from './types.js';

export type SimulateIo = { stdout: NodeJS.WritableStream; signal?: AbortSignal };

/**
 * `odin-bulk simulate`: runs the simulator in the foreground, prints how to point the tool at it, and resolves
 * once SIGINT/SIGTERM (or `io.signal`) has stopped it. Requests are not recorded: a long run must not grow.
 */
export async function runSimulateCommand(options: SimulatorOptions & { port?: number }, io: SimulateIo): Promise<void> {
  if (io.signal?.aborted) return;
  const sim = await startSimulator({ ...options, record: options.record ?? false }).catch((error: unknown) => {
    // The options were given as flags here: a value startSimulator refuses (a --licences name) is bad input.
    if (error instanceof TypeError) throw new JobError('EINPUT', 'invalid simulator settings', [asFlagProblem(error.message)]);
    throw error;
  });
  const groups = sim.groups().length;
  const users = sim.userIds().length;
  const lacking = Object.entries(options.unassigned ?? {}).map(([feature, share]) => `${feature} ${Math.round(share * 100)}%`);
  const licences = Object.entries(options.licences ?? {}).map(([name, n]) => `${name}=${n === -1 ? 'unlimited' : n}`);
  const mode = [
    `dialect ${sim.dialect}`,
    `BroadWorks R${sim.release}`,
    ...(lacking.length ? [`users without the service: ${lacking.join(', ')}`] : []),
    ...(licences.length ? [`licences: ${licences.join(', ')}`] : []),
    ...(options.bulk && options.bulk !== 'answer' ? [`bulk reads ${options.bulk}`] : []),
    ...(options.revertShare ? [`reverts ${Math.round(options.revertShare * 100)}% of accepted PUTs after ${options.revertDelayMs ?? 0} ms`] : []),
  ];
  // Ctrl-C is handled from before the lines that say the simulator is up: one sent on reading them must not kill it.
  const stopped = untilStopped(io.signal);
  io.stdout.write(
    `Odin simulator listening on ${sim.url} (${users} users in ${groups} ${groups === 1 ? 'group' : 'groups'})\n` +
      `${mode.join(', ')}\n` +
      `export ODIN_BASE_URL=${shellQuote(sim.url)}\n` +
      `export ODIN_USERNAME=${shellQuote(sim.username)}\n` +
      `export ODIN_PASSWORD=${shellQuote(sim.password)}\n`,
  );
  await stopped;
  await sim.close();
}

/** Each number flag of `simulate` (yargs' camel-case key) and the simulator option it sets: the one table of both. */
const NUMBER_FLAGS = {
  port: 'port',
  users: 'users',
  groupSize: 'groupSize',
  seed: 'seed',
  tokenLifetime: 'tokenLifetimeSeconds',
  latency: 'latencyMs',
  errorRate: 'errorRate',
  throttleRate: 'throttleRate',
  retryAfter: 'retryAfterSeconds',
  hangRate: 'hangRate',
  capacity: 'capacity',
} as const satisfies Record<string, keyof SimulatorOptions>;

type NumberOptions = Partial<Pick<SimulatorOptions, (typeof NUMBER_FLAGS)[keyof typeof NUMBER_FLAGS]>>;

/**
 * The simulator options the number flags given set (`--latency 50` → `latencyMs: 50`). The flags arrive as text
 * (yargs would read `--users ""` as 0): an empty one is an input error (exit 2); text that is not a plain decimal
 * (`abc`, `0x10`, `1e3`) goes on as NaN, which the simulator refuses naming what the flag takes.
 */
export function numberOptions(args: Readonly<Record<string, unknown>>): NumberOptions {
  const options: Record<string, number> = {};
  const problems: string[] = [];
  for (const [key, option] of Object.entries(NUMBER_FLAGS)) {
    const n = flagNumber(FLAG_OF[option]!, args[key], problems);
    if (n !== undefined) options[option] = n;
  }
  if (problems.length) throw new JobError('EINPUT', 'invalid simulator settings', problems);
  return options as NumberOptions;
}

/**
 * A number flag's value: a number (a default), or text read as a plain decimal (NaN when it is not one); undefined
 * when the flag is not given, or empty (then `problems` says so).
 */
function flagNumber(flag: string, value: unknown, problems: string[]): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  const text = String(value);
  if (text.trim() !== '') return decimalNumber(text);
  problems.push(`--${flag}: is empty: give a number (an unset variable?), or leave --${flag} off`);
  return undefined;
}

/** A simulator option's flag, as typed on the command line (`latencyMs` → `latency`, `groupSize` → `group-size`). */
const FLAG_OF: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(NUMBER_FLAGS).map(([flag, option]) => [option, flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)]),
);

/**
 * A value startSimulator refuses, said of the flag that gave it: "Expected `latencyMs` to be an integer of 0 or
 * more, got `-5` (number)" becomes "--latency: must be an integer of 0 or more, got -5". A flag of numbers given a
 * word reaches here as NaN: said as such. Other messages keep their words, quoted.
 */
export function asFlagProblem(message: string): string {
  const m = /^Expected `(\w+)` to be (.+), got `(.*)`(?: \(\w+\))?$/.exec(message);
  const flag = m ? FLAG_OF[m[1]!] : undefined;
  if (!m || !flag) return message.replace(/`/g, '"');
  return `--${flag}: must be ${m[2]!}, got ${m[3] === 'NaN' ? 'text that is not a number' : m[3]!}`;
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



/** `--revert SHARE[:DELAY_MS]` as simulator options; a bad value is an input error (exit 2). */
export function revertOptions(text: string | undefined): Pick<SimulatorOptions, 'revertShare' | 'revertDelayMs'> {
  if (text === undefined) return {};
  const parsed = parseRevert(text);
  if ('problem' in parsed) throw new JobError('EINPUT', 'invalid simulator settings', [parsed.problem]);
  return parsed;
}

/** `call-recording`, …: the endpoints' features `--unassigned` and `--licences` name. */
const features = (): string[] => BROADWORKS_ENDPOINTS.map(serviceFeature).filter((f) => f !== undefined);

/**
 * The flags `simulate` adds for the Odin it plays; bad values are input errors (exit 2). `bulk` is false for
 * `--no-bulk`.
 */
export type DialectFlags = { dialect?: string; release?: number | string; unassigned?: readonly string[]; licences?: readonly string[]; bulk?: string | boolean };

export function dialectOptions(flags: DialectFlags): Pick<SimulatorOptions, 'dialect' | 'release' | 'unassigned' | 'licences' | 'bulk'> {
  const problems: string[] = [];
  if (flags.dialect !== undefined && !DIALECTS.includes(flags.dialect as Dialect)) {
    problems.push(`--dialect: one of ${DIALECTS.join(', ')}, got "${flags.dialect}"`);
  }
  const release = flagNumber('release', flags.release, problems);
  if (release !== undefined && !(Number.isInteger(release) && release >= OLDEST_RELEASE && release <= LATEST_RELEASE)) {
    const got = Number.isNaN(release) ? JSON.stringify(flags.release) : String(release);
    problems.push(`--release: a BroadWorks release from ${OLDEST_RELEASE} to ${LATEST_RELEASE}, e.g. 22, got ${got}`);
  }
  const unassigned: Record<string, number> = {};
  for (const spec of flags.unassigned ?? []) {
    try {
      const [feature, share] = parseUnassigned(spec);
      if (features().includes(feature)) unassigned[feature] = share;
      else problems.push(`--unassigned: "${feature}" is not a service's endpoint; one of ${features().join(', ')}`);
    } catch (error) {
      problems.push(`--unassigned: ${(error as Error).message.replace(/`/g, '"')}`);
    }
  }
  const licences: Record<string, number> = {};
  for (const spec of flags.licences ?? []) {
    try {
      const [name, quantity] = parseLicence(spec);
      const service = name.slice(name.lastIndexOf(':') + 1);
      const known = [...features(), ...USER_SERVICES, ...SERVICE_PACKS.map((p) => p.name)];
      if (known.some((k) => k.toLowerCase() === service.trim().toLowerCase())) licences[name] = quantity;
      else {
        const hint = closestName(service, known);
        problems.push(`--licences: "${service}" is not a service, a service pack or a service's endpoint${hint ? ` (did you mean ${hint}?)` : ''}`);
      }
    } catch (error) {
      problems.push(`--licences: ${(error as Error).message.replace(/`/g, '"')}`);
    }
  }
  const bulk = flags.bulk === false ? 'missing' : flags.bulk === true ? 'answer' : flags.bulk;
  if (bulk !== undefined && !BULK_MODES.includes(bulk as BulkMode)) problems.push(`--bulk: one of ${BULK_MODES.join(', ')}, got "${bulk}"`);
  if (problems.length) throw new JobError('EINPUT', 'invalid simulator settings', problems);
  return {
    ...(flags.dialect !== undefined ? { dialect: flags.dialect as Dialect } : {}),
    ...(release !== undefined ? { release } : {}),
    ...(Object.keys(unassigned).length ? { unassigned } : {}),
    ...(Object.keys(licences).length ? { licences } : {}),
    ...(bulk !== undefined ? { bulk: bulk as BulkMode } : {}),
  };
}
