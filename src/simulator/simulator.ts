import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { BULK_MODES, type ApiBehaviour } from './api-routes.js';
import { ServiceModel } from './assignment.js';
import { BROADWORKS_ENDPOINTS, LATEST_RELEASE, OLDEST_RELEASE, type SimFields } from './broadworks-rules.js';
import { DIALECTS, type Dialect } from './dialect.js';
import { Faults } from './faults.js';
import { Reverter } from './revert.js';
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
export { parseLicence, parseUnassigned } from './assignment.js';
export { BULK_MODES, type BulkMode } from './api-routes.js';
export { SERVICE_PACKS, USER_SERVICES, type ServicePack } from './broadworks-services.js';
export { bulkReadRefused, serviceLimitReached, serviceNotAuthorized, unknownService } from './odin-texts.js';
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
  const { bulk = 'answer' } = options;
  if (!BULK_MODES.includes(bulk)) throw new TypeError(`Expected \`bulk\` to be one of ${BULK_MODES.join(', ')}, got \`${String(bulk)}\``);

  const now = options.now ?? Date.now;
  const faults = new Faults(options, seed);
  const endpoints = options.endpoints ?? BROADWORKS_ENDPOINTS;
  const state = new SimState(endpoints, { users, groupSize, seed });
  const services = new ServiceModel({ unassigned: options.unassigned, licences: options.licences }, endpoints, seed, state);
  const behaviour: ApiBehaviour = { shape: { dialect, release }, services, bulk };
  const log = new RequestLog(options.record ?? true);
  const issuedTokens: string[] = [];
  const tokens = new TokenService(now, () => faults.settings.tokenLifetimeSeconds, (token) => {
    if (log.record) issuedTokens.push(token);
  });
  const scripts = new ScriptQueue();
  const delays = new Delays();
  const credentials = { username: options.username ?? 'admin', password: options.password ?? 'simulator' };

  const reverter = new Reverter(seed, () => faults.settings, delays);
  const handler = createRequestHandler({ state, tokens, credentials, behaviour, faults, scripts, log, now, delays, reverter });
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
  return new RunningSimulator(server, actualPort, credentials, { state, behaviour, faults, log, scripts, delays, issuedTokens, reverter }, scheme);
}

type Parts = {
  state: SimState;
  behaviour: ApiBehaviour;
  faults: Faults;
  log: RequestLog;
  scripts: ScriptQueue;
  delays: Delays;
  issuedTokens: string[];
  reverter: Reverter;
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
  get reverted(): number {
    return this.parts.reverter.reverted;
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
    const endpoint = this.endpoint(opName);
    if (!this.parts.behaviour.services.has(endpoint, this.parts.state.userIndex(key))) return undefined;
    const fields = this.parts.state.fields(endpoint, key);
    return fields && { ...fields };
  }
  setFields(opName: string, key: string, fields: SimFields): void {
    this.parts.state.set(opName, key, { ...fields });
  }
  hasService(opName: string, userId: string): boolean {
    return this.parts.behaviour.services.has(this.endpoint(opName), this.parts.state.userIndex(userId));
  }
  assignedServices(userId: string): { services: string[]; packs: string[] } | undefined {
    const index = this.parts.state.userIndex(userId);
    if (index === undefined) return undefined;
    const { services: model } = this.parts.behaviour;
    const { services, packs } = model.catalogue();
    return { services: services.filter((s) => model.assigned(index, s)), packs: packs.map((p) => p.name).filter((p) => model.assigned(index, p)) };
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
    const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new TypeError(`Expected \`${name}\` to be an integer ${range}, got \`${String(value)}\` (${typeof value})`);
  }
}
