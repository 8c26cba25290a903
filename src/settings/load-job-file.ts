import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { shellQuote } from '../util/shell-quote.js';
import { suggest } from '../operations/coerce-value.js';
import type { Problem } from '../manifest/types.js';
import { checkSetting, type CheckedValues } from './check-setting.js';
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { problems: [{ file, message: `not valid JSON: ${(error as Error).message}` }] };
  }
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
      const { min, max } = SETTINGS.timeout;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min * 1000 || value > max * 1000) {
        bad(key, `must be a whole number from ${min * 1000} to ${max * 1000} (milliseconds; or give "timeout" in seconds), got ${JSON.stringify(value)}`);
      } else if (data.timeout !== undefined) bad(key, 'give either "timeout" (seconds) or "timeoutMs" (milliseconds), not both');
      else settings.timeout = value;
    } else if (!(key in JOB_FILE_ONLY)) {
      const hint = suggest(key, [...KEYS, LEGACY_TIMEOUT_MS_KEY]);
      bad(key, `unknown setting "${key}"${hint ? `: did you mean "${hint}"?` : ''} (allowed: ${KEYS.join(', ')})`);
    }
  }
  const defaults = data.defaults ?? {};
  if (!isObject(defaults)) bad('defaults', 'must be an object of field values');
  if (settings.manifest !== undefined) settings.manifest = resolve(dirname(file), settings.manifest);
  if (settings.manifest !== undefined && settings.group !== undefined) bad('target', 'give either "manifest" or "target", not both');
  return problems.length ? { problems } : { job: { file, defaults: isObject(defaults) ? defaults : {}, settings }, problems };
}

/** `odin-bulk run samples/x.csv`: a manifest where the job file goes. */
function notAJobFile(file: string): string {
  return `this looks like a manifest, not a job file: use --manifest ${shellQuote(file)} (a job file is a JSON object with "manifest", "operation", "defaults"…)`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
