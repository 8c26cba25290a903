import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { jsonSyntaxError } from '../util/json-syntax.js';
import { shellQuote } from '../util/shell-quote.js';
import { suggest } from '../operations/coerce-value.js';
import { resolveOperation, stepField, stepsOperation, STEP_JOIN, unknownOperation, type StepsOperation } from '../operations/steps-operation.js';
import type { OperationDef } from '../operations/types.js';
import { checkDefaults } from '../manifest/check-row.js';
import { JsonRowLocator, type NamedTwice } from '../manifest/json-row-lines.js';
import type { Problem } from '../manifest/types.js';
import { checkSetting, TIMEOUT_MS, type CheckedValues } from './check-setting.js';
import { expandEnv, type Env } from './expand-env.js';
import { JOB_FILE_ONLY, LEGACY_TIMEOUT_MS_KEY, SETTINGS, type SettingName, type SettingSpec } from './settings-table.js';

/** A job file's settings, checked and in the internal units (paths already resolved against the job file's folder). */
export type JobFile = {
  file: string;
  /** The field values every row gets (checked against the operation with the manifest). */
  defaults: Record<string, unknown>;
  settings: Partial<CheckedValues>;
};

/** Job-file key → setting, from the table. */
const BY_JOB_KEY = new Map(
  (Object.keys(SETTINGS) as SettingName[]).flatMap((name) => {
    const key = (SETTINGS[name] as SettingSpec).jobKey;
    return key ? [[key, name] as const] : [];
  }),
);
const KEYS = [...BY_JOB_KEY.keys(), ...Object.keys(JOB_FILE_ONLY)];

/**
 * Reads and checks a job file (jobs/*.json) against the settings table. Problems are returned, each naming the key.
 * `${VAR}` in string values is taken from `env` first (see expand-env.ts).
 */
export async function loadJobFile(file: string, env: Env = {}): Promise<{ job?: JobFile; problems: Problem[] }> {
  if (extname(file).toLowerCase() === '.csv') return { problems: [{ file, message: notAJobFile(file) }] };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { problems: [{ file, message: 'cannot read the job file: it does not exist or is not readable' }] };
  }
  // A BOM (Windows Notepad's "UTF-8") is no part of the JSON, as in a manifest.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problems: [{ file, ...jsonSyntaxError(text, (error as Error).message) }] };
  }
  const twice = keysNamedTwice(file, text);
  if (twice.length) return { problems: twice };
  const { value: data, problems: envProblems } = expandEnv(parsed, env, file);
  if (envProblems.length) return { problems: envProblems };
  if (Array.isArray(data) || (isObject(data) && Object.hasOwn(data, 'rows'))) return { problems: [{ file, message: notAJobFile(file) }] };
  if (!isObject(data)) {
    return { problems: [{ file, message: 'a job file is a JSON object: {"name": …, "manifest": …, "defaults": {…}}' }] };
  }
  const problems: Problem[] = [];
  const bad = (field: string, message: string) => problems.push({ file, field, message });
  const settings: Partial<CheckedValues> = {};
  for (const [key, value] of Object.entries(data)) {
    const name = BY_JOB_KEY.get(key);
    if (name) {
      const checked = checkSetting(name, value, 'job');
      if ('problem' in checked) bad(key, checked.problem);
      else (settings as Record<string, unknown>)[name] = checked.value;
    } else if (key === LEGACY_TIMEOUT_MS_KEY) {
      if (!TIMEOUT_MS.holds(value)) {
        bad(key, `must be a whole number from ${TIMEOUT_MS.min} to ${TIMEOUT_MS.max} (milliseconds; or give "timeout" in seconds), got ${JSON.stringify(value)}`);
      } else if (data.timeout !== undefined) bad(key, 'give either "timeout" (seconds) or "timeoutMs" (milliseconds), not both');
      else settings.timeout = value;
    } else if (!(key in JOB_FILE_ONLY)) {
      const hint = suggest(key, [...KEYS, LEGACY_TIMEOUT_MS_KEY]);
      bad(key, `unknown setting "${key}"${hint ? `: did you mean "${hint}"?` : ''} (allowed: ${KEYS.join(', ')})`);
    }
  }
  let defaults = data.defaults ?? {};
  if (!isObject(defaults)) bad('defaults', 'must be an object of field values');
  if (data.steps !== undefined) {
    const steps = checkSteps(data.steps, file);
    problems.push(...steps.problems);
    if (data.operation !== undefined) bad('operation', 'give either "operation" or "steps", not both (each step names its operation)');
    if (data.defaults !== undefined) bad('defaults', 'a job of "steps" gives each step its own "defaults"');
    if (steps.op) {
      settings.operation = steps.op;
      defaults = steps.defaults;
    }
  }
  if (settings.manifest !== undefined) settings.manifest = resolve(dirname(file), settings.manifest);
  if (settings.manifest !== undefined && settings.group !== undefined) bad('target', 'give either "manifest" or "target", not both');
  return problems.length ? { problems } : { job: { file, defaults: isObject(defaults) ? defaults : {}, settings }, problems };
}

/**
 * A job file's `steps`: `[{"operation": NAME, "defaults": {…}}, …]`, each checked where it stands
 * (`steps[1].operation`, `steps[0].defaults.numberOfRings`). Returns the operation of the steps and their defaults
 * named as the manifest's columns are (`OPERATION.FIELD`).
 */
function checkSteps(value: unknown, file: string): { op?: StepsOperation; defaults: Record<string, unknown>; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (field: string, message: string) => problems.push({ file, field, message });
  const defaults: Record<string, unknown> = {};
  if (!Array.isArray(value)) {
    bad('steps', 'must be a list of steps: [{"operation": "user-do-not-disturb", "defaults": {"isActive": false}}, …]');
    return { defaults, problems };
  }
  const ops: OperationDef[] = [];
  value.forEach((step: unknown, i) => {
    const at = `steps[${i}]`;
    if (!isObject(step)) return bad(at, 'must be an object: {"operation": NAME, "defaults": {…}}');
    for (const key of Object.keys(step).filter((k) => k !== 'operation' && k !== 'defaults')) {
      const hint = suggest(key, ['operation', 'defaults']);
      bad(`${at}.${key}`, `unknown key "${key}"${hint ? `: did you mean "${hint}"?` : ''} (a step has "operation" and "defaults")`);
    }
    const resolved = typeof step.operation === 'string' && !step.operation.includes(STEP_JOIN) ? resolveOperation(step.operation) : undefined;
    if (!resolved || 'problem' in resolved) return bad(`${at}.operation`, step.operation === undefined ? 'missing: name the operation of this step' : unknownOperation(step.operation));
    const op = resolved.op;
    ops.push(op);
    const own = step.defaults ?? {};
    if (!isObject(own)) return bad(`${at}.defaults`, 'must be an object of field values');
    const checked = checkDefaults(own, op, file);
    for (const p of checked.problems) problems.push({ ...p, field: `${at}.${p.field}` });
    for (const [name, v] of Object.entries(own)) defaults[stepField(op, name)] = v;
  });
  if (problems.length) return { defaults, problems };
  const made = stepsOperation(ops);
  if ('problem' in made) {
    bad('steps', made.problem);
    return { defaults, problems };
  }
  return { op: made.op, defaults, problems };
}

/**
 * A key named twice at the top level, in "defaults", or in a step or its "defaults" (`"manifest"` twice, a field
 * twice): JSON.parse keeps the last one without a word, so which the author meant is unknown; refused, as in a JSON
 * manifest. Named as the other problems name them: `manifest`, `defaults.clidPolicy`, `steps[1].defaults.isActive`.
 */
function keysNamedTwice(file: string, text: string): Problem[] {
  const locator = new JsonRowLocator();
  locator.feed(text);
  const fieldOf = (d: NamedTwice): string =>
    d.where === 'top' ? d.key : d.where === 'defaults' ? `defaults.${d.key}` : d.where === 'step' ? `steps[${d.step}].${d.key}` : `steps[${d.step}].defaults.${d.key}`;
  return locator.duplicates.map((d) => ({
    file,
    line: d.line,
    field: fieldOf(d),
    message: `named twice${d.firstLine === d.line ? '' : ` (lines ${d.firstLine} and ${d.line})`}: JSON keeps only the last one, so the job file is refused; remove one of them`,
  }));
}

/** `odin-bulk run samples/x.csv`: a manifest where the job file goes. */
function notAJobFile(file: string): string {
  return `this looks like a manifest, not a job file: use --manifest ${shellQuote(file)} (a job file is a JSON object with "manifest", "operation", "defaults"…)`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
