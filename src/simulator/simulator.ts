import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ApiBehaviour } from './api-routes.js';
import { ServiceAssignment } from './assignment.js';
import { BROADWORKS_ENDPOINTS, LATEST_RELEASE, OLDEST_RELEASE, type SimFields } from './broadworks-rules.js';
import { DIALECTS, type Dialect } from './dialect.js';
import { Faults } from './faults.js';
import { createRequestHandler } from './handle-request.js';
import { Delays } from './http-io.js';
import { RequestLog } from './request-log.js';
import { ScriptQueue } from './script.js';
import { DEFAULT_SEED } from './seed.js';
import { SimState } from './state.js';
import { TokenService } from './tokens.js';
import type {
  FaultSettings,
  RecordedRequest,
  ScriptOptions,
  ScriptStep,
  SimGroup,
  Simulator,
  SimulatorOptions,
  SimulatorStats,
} from './types.js';

export type * from './types.js';
export type { SimEndpoint, SimField, SimFields, SimRule, SimValue } from './broadworks-rules.js';
export type { Dialect } from './dialect.js';
export { BROADWORKS_ENDPOINTS, LATEST_RELEASE, OLDEST_RELEASE } from './broadworks-rules.js';
export { DIALECTS, serviceNotAssigned } from './dialect.js';
export { parseUnassigned } from './assignment.js';
export { seededUser, seededUserFields, seededGroupFields, simUserId, SIM_SERVICE_PROVIDER, DEFAULT_SEED } from './seed.js';

/** Starts the simulator on 127.0.0.1 (port 0 = any free port) and resolves once it is listening. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { users = 100, groupSize = 50, seed = DEFAULT_SEED, port = 0 } = options;
  checkInteger('users', users, 0);
  checkInteger('groupSize', groupSize, 1);
  checkInteger('seed', seed, -(2 ** 31));
  checkInteger('port', port, 0, 65535);
  const { dialect = 'odin', release = LATEST_RELEASE } = options;
  if (!DIALECTS.includes(dialect)) throw new TypeError(`Expected \`dialect\` to be one of ${DIALECTS.join(', ')}, got \`${String(dialect)}\``);
  checkInteger('release', release, OLDEST_RELEASE, LATEST_RELEASE);

  const now = options.now ?? Date.now;
  const faults = new Faults(options, seed);
  const endpoints = options.endpoints ?? BROADWORKS_ENDPOINTS;
  const state = new SimState(endpoints, { users, groupSize, seed });
  const behaviour: ApiBehaviour = { shape: { dialect, release }, assignment: new ServiceAssignment(options.unassigned ?? {}, endpoints, seed) };
  const log = new RequestLog(options.record ?? true);
  const issuedTokens: string[] = [];
  const tokens = new TokenService(now, () => faults.settings.tokenLifetimeSeconds, (token) => {
    if (log.record) issuedTokens.push(token);
  });
  const scripts = new ScriptQueue();
  const delays = new Delays();
  const credentials = { username: options.username ?? 'admin', password: options.password ?? 'simulator' };

  const handler = createRequestHandler({ state, tokens, credentials, behaviour, faults, scripts, log, now, delays });
  const server: Server = options.tls
    ? createHttpsServer({ noDelay: true, key: options.tls.key, cert: options.tls.cert }, handler)
    : createServer({ noDelay: true }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const scheme = options.tls ? 'https' : 'http';
  return new RunningSimulator(server, actualPort, credentials, { state, behaviour, faults, log, scripts, delays, issuedTokens }, scheme);
}

type Parts = {
  state: SimState;
  behaviour: ApiBehaviour;
  faults: Faults;
  log: RequestLog;
  scripts: ScriptQueue;
  delays: Delays;
  issuedTokens: string[];
};

class RunningSimulator implements Simulator {
  readonly url: string;
  private closed: Promise<void> | undefined;

  constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly credentials: { username: string; password: string },
    private readonly parts: Parts,
    scheme: 'http' | 'https' = 'http',
  ) {
    this.url = `${scheme}://127.0.0.1:${port}/api/v2`;
  }

  get username(): string {
    return this.credentials.username;
  }
  get password(): string {
    return this.credentials.password;
  }
  get requests(): readonly RecordedRequest[] {
    return this.parts.log.requests;
  }
  get issuedTokens(): readonly string[] {
    return this.parts.issuedTokens;
  }
  get record(): boolean {
    return this.parts.log.record;
  }
  set record(on: boolean) {
    this.parts.log.record = on;
  }
  get stats(): SimulatorStats {
    return this.parts.log.stats();
  }
  get faults(): Readonly<FaultSettings> {
    return { ...this.parts.faults.settings };
  }
  get dialect(): Dialect {
    return this.parts.behaviour.shape.dialect;
  }
  get release(): number {
    return this.parts.behaviour.shape.release;
  }

  setFaults(partial: Partial<FaultSettings>): void {
    this.parts.faults.update(partial);
  }
  script(method: string, path: string, steps: readonly ScriptStep[], opts?: ScriptOptions): void {
    this.parts.scripts.add(method, path, steps, opts);
  }
  pendingScripts(): number {
    return this.parts.scripts.pending();
  }
  clearScripts(): void {
    this.parts.scripts.clear();
  }
  clearRequests(): void {
    this.parts.log.clearRequests();
  }
  count(method: string, path: string, key?: string): number {
    return this.parts.log.countOf(method, path, key);
  }
  resetStats(): void {
    this.parts.log.resetStats();
  }

  getFields(opName: string, key: string): SimFields | undefined {
    const fields = this.parts.state.fields(this.endpoint(opName), key);
    return fields && { ...fields };
  }
  setFields(opName: string, key: string, fields: SimFields): void {
    this.parts.state.set(opName, key, { ...fields });
  }
  hasService(opName: string, userId: string): boolean {
    return this.parts.behaviour.assignment.has(this.endpoint(opName), this.parts.state.userIndex(userId));
  }
  private endpoint(opName: string) {
    const endpoint = this.parts.state.endpointByName(opName);
    if (!endpoint) throw new TypeError(`Unknown operation \`${opName}\``);
    return endpoint;
  }
  userIds(groupFilter?: string): string[] {
    return this.parts.state.userIds(groupFilter);
  }
  groups(): SimGroup[] {
    return this.parts.state.groups();
  }

  /** Stops listening and destroys every connection, hanging ones included. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.parts.delays.close();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closed;
  }
}

function checkInteger(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new TypeError(`Expected \`${name}\` to be an integer from ${min} to ${max}, got \`${String(value)}\` (${typeof value})`);
  }
}
