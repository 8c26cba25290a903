import type { JobErrorCode } from '../model/errors.js';
import type { DoctorJob } from './doctor-input.js';

/** How an operation's endpoint answered the one read doctor sent. */
export type EndpointState =
  /** 2xx with the settings (a JSON object holding at least one of the operation's fields). */
  | 'answers'
  /** the user lacks the operation's service: the endpoint is there and says so (NOT_ASSIGNED). */
  | 'not-assigned'
  /** no such endpoint: a 404 that names no target, 405, 501, or an HTML page (ENDPOINT_MISSING). */
  | 'missing'
  /** anything else that is not the settings: 5xx after retries, 403, another 4xx, no answer, a body that is not them. */
  | 'unreadable'
  /** the user or group read does not exist (a 404 naming it). */
  | 'target-not-found'
  /** not read: no user or group to read it with. */
  | 'not-checked';

/** `ok`: nothing to say; `note`: the job can run, but read the notes; `fail`: the job cannot run as written. */
export type Verdict = 'ok' | 'note' | 'fail' | 'not-checked';

export type OperationCheck = {
  operation: string;
  /** `GET /users/call-recording?userId=…`: what was sent. */
  request: string;
  /** The user or group read (`userId`, or `sp/group`); undefined when none could be. */
  target?: string;
  endpoint: EndpointState;
  httpStatus?: number;
  /** Why the endpoint state is not `answers`, in the client's words. */
  message?: string;
  /** Fields of the operation that may not be null and that the answer did not have (an older release?). */
  notReturned: Array<{ field: string; release?: string }>;
  /** Fields that may be cleared and that the answer did not have: unset, or unknown to this server (doctor cannot tell). */
  absent: string[];
  /** Keys of the answer that are not the operation's fields nor its key: the tool does not know them. */
  unknownFields: string[];
  /** The operation's service and whether `GET /users/services` lists it as assigned (null: could not be read). */
  service?: { name: string; assigned: boolean | null; note?: string };
  /** The fields the job sets that the answer did not have and that may not be null: the rows would fail. */
  jobFieldsNotReturned: string[];
  verdict: Verdict;
  notes: string[];
};

export type LoginCheck =
  | { ok: true; loginType?: string; userId?: string; version?: string; softwareVersion?: string; tokenExpiresAt?: string }
  | { ok: false; code: JobErrorCode; error: string; details: readonly string[] };

/**
 * Where the user (or group) doctor reads came from, and which it is once known; `error` when the group's users
 * could not be listed (`not-found`: no such group, or it has no users).
 */
export type SampleTarget = { id?: string; from: string; error?: { kind: 'not-found' | 'unreadable'; message: string } };

/** What `odin-bulk doctor` found; what `--json` prints. */
export type DoctorResult = {
  /** The shape of this object; bumped on an incompatible change. */
  version: 1;
  baseUrl: string;
  login: LoginCheck;
  /** The job checked: its operation, its input, the fields it sets. Undefined without a job or manifest. */
  job?: DoctorJob;
  user?: SampleTarget;
  group?: SampleTarget;
  operations: OperationCheck[];
  /** Requests sent, all of them reads (the login's POST included). */
  requests: number;
  /** 0: the job can run as written (or every endpoint checked answers); 2: a target to read does not exist; 3: see `result`. */
  exitCode: 0 | 2 | 3;
  /** One sentence: the verdict. */
  result: string;
};
