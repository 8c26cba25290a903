import type { RunInfo } from './run-info.js';
import type { Problem } from '../manifest/types.js';
import { isField } from '../operations/field-lookup.js';
import { resolveOperation } from '../operations/steps-operation.js';
import type { OperationDef } from '../operations/types.js';
import { checkSetting, TIMEOUT_MS } from '../settings/check-setting.js';

export const PLAN_FILE = 'plan.json';
/** Bump when the shape changes; apply refuses versions it does not know. */
export const PLAN_VERSION = 1;

/** Everything in plan.json except its rows: what the plan was made from. */
export type PlanHeader = {
  version: typeof PLAN_VERSION;
  /** The odin-bulk that made the plan; absent from plans made before it was recorded. */
  odinBulkVersion?: string;
  createdAt: string;
  job: string;
  operation: string;
  /** The API root the plan read (run.json's `server`); absent from plans made before it was recorded. */
  server?: string;
  keyFields: string[];
  /** Fields the manifest set, in the operation's order: the report columns of an apply. */
  fieldsUsed: string[];
  /** The manifest; absent when the plan targeted a group. */
  manifest?: string;
  /** sha256 of the manifest's bytes. */
  manifestHash?: string;
  /** The group the plan targeted instead of a manifest, and the hash of its user list. */
  target?: RunInfo['target'];
  userListHash?: string;
  /** The plan run's settings; apply uses them unless flags override. */
  settings: RunInfo['settings'];
};

export function planHeaderFor(info: RunInfo): PlanHeader {
  return {
    version: PLAN_VERSION,
    ...(info.odinBulkVersion === undefined ? {} : { odinBulkVersion: info.odinBulkVersion }),
    createdAt: info.startedAt,
    job: info.job,
    operation: info.operation,
    ...(info.server === undefined ? {} : { server: info.server }),
    keyFields: info.keyFields,
    fieldsUsed: info.fieldsUsed,
    ...(info.target ? { target: info.target, userListHash: info.userListHash } : { manifest: info.manifest, manifestHash: info.manifestHash }),
    settings: info.settings,
  };
}

/**
 * The text of plan.json before its rows. Rows follow one per line, so a reviewer's diff shows one line per
 * user and apply can stream a 200,000-row plan instead of parsing it whole.
 */
export function planHead(header: PlanHeader): string {
  const lines = Object.entries(header).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  return `{\n${lines.join('\n')}\n  "rows": [`;
}

export const PLAN_TAIL = '\n  ]\n}\n';

/** Checks plan.json's header. Pure. Returns the header and its operation, or the problems. */
export function checkPlanHeader(raw: unknown, file: string): { header: PlanHeader; op: OperationDef } | { problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (field: string, message: string) => problems.push({ file, field, message });
  if (!isObject(raw)) return { problems: [{ file, message: 'not a plan: expected a JSON object with "version" and "rows"' }] };
  if (raw.version !== PLAN_VERSION) {
    const v = raw.version === undefined ? 'no version' : `version ${JSON.stringify(raw.version)}`;
    return { problems: [{ file, field: 'version', message: `${v} is not a plan version this odin-bulk can apply (it reads version ${PLAN_VERSION}); make the plan again with this odin-bulk` }] };
  }
  const resolved = typeof raw.operation === 'string' ? resolveOperation(raw.operation) : undefined;
  const op = resolved && 'op' in resolved ? resolved.op : undefined;
  if (!op) bad('operation', resolved && 'problem' in resolved ? resolved.problem : `unknown operation ${JSON.stringify(raw.operation)}`);
  for (const key of ['createdAt', 'job'] as const) {
    if (typeof raw[key] !== 'string') bad(key, 'must be text');
  }
  for (const key of ['odinBulkVersion', 'server', 'manifest', 'manifestHash'] as const) {
    if (raw[key] !== undefined && typeof raw[key] !== 'string') bad(key, 'must be text');
  }
  const list = (key: string) => (Array.isArray(raw[key]) && (raw[key] as unknown[]).every((s) => typeof s === 'string') ? (raw[key] as string[]) : undefined);
  const keyFields = list('keyFields');
  const fieldsUsed = list('fieldsUsed');
  if (!keyFields) bad('keyFields', 'must be a list of column names');
  if (!fieldsUsed) bad('fieldsUsed', 'must be a list of field names');
  if (op && keyFields && keyFields.join() !== op.keyFields.join()) bad('keyFields', `must be ${op.keyFields.join(', ')} for ${op.name}`);
  const unknown = op && fieldsUsed ? fieldsUsed.filter((f) => !isField(op, f)) : [];
  if (unknown.length) bad('fieldsUsed', `unknown field ${unknown.map((f) => `"${f}"`).join(', ')} for ${op!.name}`);
  if (!isObject(raw.settings)) bad('settings', 'must be an object');
  else for (const [key, problem] of settingsProblems(raw.settings)) bad(`settings.${key}`, problem);
  if (problems.length) return { problems };
  return { header: raw as unknown as PlanHeader, op: op! };
}

/**
 * The plan run's settings, which apply uses where no flag overrides them: checked as a job file's are (a hand-edited
 * `"concurrency": -5`, or one left out, was an internal error once the apply had started).
 */
function settingsProblems(settings: Record<string, unknown>): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  for (const name of ['concurrency', 'rate', 'retries', 'timeoutMs'] as const) {
    if (settings[name] === undefined) problems.push([name, 'missing: a plan records the settings of its run, which apply uses where no flag overrides them']);
  }
  for (const name of ['concurrency', 'rate', 'retries'] as const) {
    if (settings[name] === undefined) continue;
    const checked = checkSetting(name, settings[name], 'job');
    if ('problem' in checked) problems.push([name, checked.problem]);
  }
  const ms = settings.timeoutMs;
  if (ms !== undefined && !TIMEOUT_MS.holds(ms)) {
    problems.push(['timeoutMs', `must be a whole number of milliseconds from ${TIMEOUT_MS.min} to ${TIMEOUT_MS.max}, got ${JSON.stringify(ms)}`]);
  }
  return problems;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
