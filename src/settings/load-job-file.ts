import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { shellQuote } from '../util/shell-quote.js';
import { suggest } from '../operations/coerce-value.js';
import type { Problem } from '../manifest/types.js';
import { parseFailureBudget, type FailureBudget } from './max-failures.js';
import { expandEnv, type Env } from './expand-env.js';
import { checkGroupTarget, type GroupTarget } from './group-target.js';
import { LIMITS } from './job-options.js';
import { checkDelimiter } from './delimiter.js';

function delimiter_(value: unknown, bad: (message: string) => void): string | undefined {
  if (value === undefined) return undefined;
  const checked = typeof value === 'string' ? checkDelimiter(value) : { problem: `must be text, e.g. ";", got ${JSON.stringify(value)}` };
  if ('problem' in checked) bad(checked.problem);
  return 'delimiter' in checked ? checked.delimiter : undefined;
}

/** A job file's settings, as written (paths already resolved against the job file's folder). */
export type JobFile = {
  file: string;
  name?: string;
  manifest?: string;
  /** A whole group instead of a manifest: its users (or, for a group operation, the group) get `defaults`. */
  target?: GroupTarget;
  operation?: string;
  /** The manifest's cell separator, when it is not a comma. */
  delimiter?: string;
  defaults: Record<string, unknown>;
  concurrency?: number | 'auto';
  maxConcurrency?: number;
  rate?: number;
  retries?: number;
  timeoutMs?: number;
  strictGates?: boolean;
  maxFailures?: FailureBudget;
};

const KEYS = ['name', 'manifest', 'delimiter', 'target', 'operation', 'defaults', 'concurrency', 'maxConcurrency', 'rate', 'retries', 'timeoutMs', 'strictGates', 'maxFailures'];

/**
 * Reads and checks a job file (jobs/*.json). Problems are returned, each naming the key.
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
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { problems: [{ file, message: 'a job file is a JSON object: {"name": …, "manifest": …, "defaults": {…}}' }] };
  }
  const raw = data as Record<string, unknown>;
  const problems: Problem[] = [];
  const bad = (field: string, message: string) => problems.push({ file, field, message });

  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) {
      const hint = suggest(key, KEYS);
      bad(key, `unknown setting "${key}"${hint ? `: did you mean "${hint}"?` : ''} (allowed: ${KEYS.join(', ')})`);
    }
  }
  const text_ = (key: string) => {
    const v = raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') bad(key, 'must be a non-empty string');
    return typeof v === 'string' ? v : undefined;
  };
  const number_ = (key: keyof typeof LIMITS, integer = true, or = '') => {
    const v = raw[key];
    if (v === undefined) return undefined;
    const { min, max } = LIMITS[key];
    if (typeof v !== 'number' || (integer && !Number.isInteger(v)) || v < min || v > max) {
      bad(key, `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}${or}, got ${JSON.stringify(v)}`);
      return undefined;
    }
    return v;
  };
  const defaults = raw.defaults ?? {};
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) bad('defaults', 'must be an object of field values');
  if (raw.strictGates !== undefined && typeof raw.strictGates !== 'boolean') bad('strictGates', 'must be true or false');
  const budget = raw.maxFailures === undefined ? undefined : parseFailureBudget(raw.maxFailures);
  if (budget && 'problem' in budget) bad('maxFailures', budget.problem);

  const manifest = text_('manifest');
  const target = raw.target === undefined ? undefined : checkGroupTarget(raw.target);
  if (target && 'problem' in target) bad('target', target.problem);
  if (manifest && target) bad('target', 'give either "manifest" or "target", not both');
  const job: JobFile = {
    file,
    name: text_('name'),
    manifest: manifest ? resolve(dirname(file), manifest) : undefined,
    target: target && 'target' in target ? target.target : undefined,
    operation: text_('operation'),
    delimiter: delimiter_(raw.delimiter, (message) => bad('delimiter', message)),
    defaults: (defaults ?? {}) as Record<string, unknown>,
    concurrency: raw.concurrency === 'auto' ? 'auto' : number_('concurrency', true, ' or "auto"'),
    maxConcurrency: number_('maxConcurrency'),
    rate: number_('rate', false),
    retries: number_('retries'),
    timeoutMs: number_('timeoutMs'),
    strictGates: raw.strictGates as boolean | undefined,
    maxFailures: budget && !('problem' in budget) ? budget : undefined,
  };
  return problems.length ? { problems } : { job, problems };
}

/** `odin-bulk run samples/x.csv`: a manifest where the job file goes. */
function notAJobFile(file: string): string {
  return `this looks like a manifest, not a job file: use --manifest ${shellQuote(file)} (a job file is a JSON object with "manifest", "operation", "defaults"…)`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
