import type { SimEndpoint, SimFields } from './broadworks-rules.js';
import type { BulkMode } from './api-routes.js';
import type { Dialect } from './dialect.js';

/** Fault injection and knobs; all can be changed while running with `sim.setFaults(partial)`. */
export type FaultSettings = {
  /** Delay before answering a faultable route. @default 0 */
  latencyMs: number;
  /** Random extra delay, 0..latencyJitterMs, drawn from the seeded PRNG. @default 0 */
  latencyJitterMs: number;
  /** Share of faultable requests answered 500 or 503. @default 0 */
  errorRate: number;
  /** Share of faultable requests answered 429 with `Retry-After`. @default 0 */
  throttleRate: number;
  /** Value of `Retry-After` on 429 answers (throttle and capacity). @default 1 */
  retryAfterSeconds: number;
  /** Share of faultable requests never answered (the socket stays open). @default 0 */
  hangRate: number;
  /** Max requests in flight; beyond it: latencyMs extra, then 429. 0 = unlimited. @default 0 */
  capacity: number;
  /** Apply the faults to /auth routes too. @default false */
  faultAuth: boolean;
  /** Lifetime of tokens issued from now on. @default 86400 */
  tokenLifetimeSeconds: number;
  /**
   * Share (0–1) of accepted PUTs undone after `revertDelayMs`: the fields go back to their values from before the
   * PUT, as a server-side job resetting them would; the PUT answers normally. @default 0
   */
  revertShare: number;
  /** Milliseconds after an accepted PUT before it is undone (`revertShare`). @default 0 */
  revertDelayMs: number;
};

export type SimulatorOptions = Partial<FaultSettings> & {
  /** Seeded users. @default 100 */
  users?: number;
  /** Users per group. @default 50 */
  groupSize?: number;
  /** Seed of the initial state and of the fault PRNG. @default 1 */
  seed?: number;
  /** @default 'admin' */
  username?: string;
  /** @default 'simulator' */
  password?: string;
  /** Keep `sim.requests`. @default true */
  record?: boolean;
  /** Clock in milliseconds, for token expiry and `at`. @default Date.now */
  now?: () => number;
  /** Port on 127.0.0.1; 0 = any free port. @default 0 */
  port?: number;
  /** Endpoints served, with their BroadWorks rules. @default BROADWORKS_ENDPOINTS (src/simulator/broadworks-rules.ts) */
  endpoints?: readonly SimEndpoint[];
  /**
   * The shape of the answers: `odin` leaves unset values out and sends all-digit numbers as JSON numbers, as Odin's
   * documented answers do; `nulls` sends every field, unset ones as null. @default 'odin'
   */
  dialect?: Dialect;
  /**
   * The BroadWorks release (major, 22 to 25) the simulated server runs: fields added later are left out of its
   * answers, and a PUT naming one is refused as an unknown field. @default 25 (every field)
   */
  release?: number;
  /**
   * Share (0–1) of seeded users that do not have a service assigned at first, by endpoint feature, e.g.
   * `{ 'call-recording': 0.1 }`; deterministic by seed. Their GET and PUT of its settings answer 400 naming the
   * service, and `GET /users/services` lists it with `assigned: false`, until it is assigned.
   */
  unassigned?: Readonly<Record<string, number>>;
  /**
   * Each group's authorisation and quantity of a service or service pack, by its name (`'Call Recording'`), its
   * endpoint feature (`'call-recording'`) or, for one group, `'sp/group:NAME'`: -1 = unlimited, 0 = not authorised
   * (nobody in the group holds it), N = at most N users (the first seeded holders of each group hold it at first).
   * @default every service and pack authorised, unlimited
   */
  licences?: Readonly<Record<string, number>>;
  /**
   * How `GET <path>/bulk?serviceProviderId=&groupId=` answers: `answer` (as Odin), `missing` (404, as a server
   * without it) or `forbidden` (403). @default 'answer'
   */
  bulk?: BulkMode;
  /** Serve HTTPS with this key and certificate (PEM); `url` then starts with https://. @default plain HTTP */
  tls?: { key: string | Buffer; cert: string | Buffer };
};

/**
 * A forced answer for one request: a status (2xx = handle normally, others = the standard JSON error body)
 * or an object. `body` is sent raw (the request is not handled, unless `apply`); `hang` never answers;
 * `reset` destroys the socket.
 */
export type ScriptStep =
  | number
  | {
      status?: number;
      body?: string;
      headers?: Record<string, string>;
      hang?: true;
      reset?: true;
      delayMs?: number;
      /** Handle the request normally (a PUT changes the state), then answer with `status`/`body` instead, or not at all with `hang`/`reset`. */
      apply?: true;
      /**
       * Hold the answer until this settles (in-process use only): a test releases it when something else has
       * happened, which makes an order certain rather than likely (e.g. this user's row finishes after all others).
       */
      until?: PromiseLike<unknown>;
    };

export type ScriptOptions = {
  /** Only requests for this target: the userId, or `serviceProviderId/groupId`. */
  key?: string;
};

export type RecordedRequest = {
  method: string;
  /** Without the `/api/v2` prefix. */
  path: string;
  query: Record<string, string>;
  /** The target: userId, or `serviceProviderId/groupId`; undefined when the route has none or it is missing. */
  key: string | undefined;
  /** Parsed JSON, or the raw text when it is not JSON, or undefined when empty. Passwords are masked. */
  body: unknown;
  /** 0 when no answer was sent (hang or reset). */
  status: number;
  /** `now()` when the answer was decided. */
  at: number;
};

export type SimulatorStats = {
  total: number;
  inFlight: number;
  maxInFlight: number;
  /** Keyed `'GET /users/call-processing-policy'`. */
  byRoute: Record<string, number>;
};

export type SimGroup = { serviceProviderId: string; groupId: string; userCount: number };

export type SimUser = {
  userId: string;
  firstName: string;
  lastName: string;
  serviceProviderId: string;
  groupId: string;
  extension: string;
  phoneNumber: string;
};

export interface Simulator {
  /** `http://127.0.0.1:<port>/api/v2` (https:// with the `tls` option) */
  readonly url: string;
  /** Accepted PUTs undone so far (`revertShare`). */
  readonly reverted: number;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  /** Recorded requests (when `record` is on), oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** Every token issued by login or refresh while `record` is on, oldest first. */
  readonly issuedTokens: readonly string[];
  record: boolean;
  readonly stats: SimulatorStats;
  readonly faults: Readonly<FaultSettings>;
  setFaults(partial: Partial<FaultSettings>): void;
  script(method: string, path: string, steps: readonly ScriptStep[], opts?: ScriptOptions): void;
  /** Steps not used yet. */
  pendingScripts(): number;
  clearScripts(): void;
  clearRequests(): void;
  /** Requests received for a route (and target), counted even when `record` is off. */
  count(method: string, path: string, key?: string): number;
  resetStats(): void;
  /** The answers' shape and release. */
  readonly dialect: Dialect;
  readonly release: number;
  /**
   * A copy of a target's stored fields (unset values as null, whatever the dialect), or undefined when the target
   * does not exist or the user does not hold the endpoint's service (its settings are gone).
   */
  getFields(opName: string, key: string): SimFields | undefined;
  /** Merges fields into a target's state; creates the target if it did not exist. */
  setFields(opName: string, key: string, fields: SimFields): void;
  /**
   * False when the user does not hold the endpoint's service (`unassigned`, `licences`, or unassigned since by
   * `PUT /users/services`); true for endpoints without a service and for users that are not seeded.
   */
  hasService(opName: string, userId: string): boolean;
  /**
   * The services and service packs assigned to a seeded user by name (a pack's services are not listed), or
   * undefined for a user that is not seeded.
   */
  assignedServices(userId: string): { services: string[]; packs: string[] } | undefined;
  /** Seeded user ids, optionally of one group (`'grp-01'` or `'sim-sp/grp-01'`). */
  userIds(groupFilter?: string): string[];
  groups(): SimGroup[];
  close(): Promise<void>;
}
