import { resolveOperation, unknownOperation } from '../operations/steps-operation.js';
import type { OperationDef } from '../operations/types.js';
import { checkDelimiter } from './delimiter.js';
import { checkGroupTarget, parseGroupFlag, type GroupTarget } from './group-target.js';
import { parseFailureBudget, type FailureBudget } from './max-failures.js';
import { SETTINGS, type Command, type SettingName, type SettingSpec } from './settings-table.js';
import { parseShard, type Shard } from './shard.js';
import type { WaveSize } from '../model/waves.js';
import { parseWaveList, parseWaveSize } from './wave-sizes.js';
import { decimalNumber } from '../util/decimal.js';

/** A setting's value once checked, in the internal unit: times in milliseconds. */
export type CheckedValues = {
  job: string;
  manifest: string;
  group: GroupTarget;
  operation: OperationDef;
  delimiter: string;
  all: boolean;
  user: string;
  fields: string;
  shard: Shard;
  canary: WaveSize;
  waves: WaveSize[];
  /** Milliseconds. */
  settle: number;
  waveMaxFailures: number;
  waveOrder: 'manifest' | 'spread';
  confirm: boolean;
  show: number;
  dryRun: boolean;
  strictGates: boolean;
  allowPartial: boolean;
  maxFailures: FailureBudget;
  resume: string;
  retryFailed: boolean;
  failOnChanges: boolean;
  force: boolean;
  concurrency: number | 'auto';
  maxConcurrency: number;
  rate: number;
  out: string;
  overwrite: boolean;
  name: string;
  json: boolean;
  quiet: boolean;
  /** Milliseconds. */
  progressInterval: number;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  retries: number;
  /** Milliseconds. */
  timeout: number;
  caFile: string;
  insecure: boolean;
};

/** Where a value came from: the command line (or a library option named like the flag), or a job file. */
export type From = 'flag' | 'job';

export type Checked<N extends SettingName> = { value: CheckedValues[N] } | { problem: string };

/**
 * Checks one value of setting `name` by the table's kind and limits, and turns it into the internal unit. Pure.
 * The message says what is allowed and what was given, without saying where (the caller names the flag or key).
 */
export function checkSetting<N extends SettingName>(name: N, value: unknown, from: From, command?: Command): Checked<N> {
  const spec: SettingSpec = SETTINGS[name];
  const special = SPECIAL[name];
  const checked = special ? special(value, from) : checkKind(spec, value, from, command);
  return checked as Checked<N>;
}

/** A value as a message shows it: text quoted (as typed), numbers as they are. */
/**
 * `timeoutMs`, the timeout in milliseconds (a job file's older key, plan.json's recorded settings): the limits of
 * `timeout` (seconds) in milliseconds, and whether a value is a whole number within them.
 */
export const TIMEOUT_MS = {
  min: SETTINGS.timeout.min * 1000,
  max: SETTINGS.timeout.max * 1000,
  holds: (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= TIMEOUT_MS.min && value <= TIMEOUT_MS.max,
};

export function shown(value: unknown): string {
  // A number flag given a word reaches here as NaN (yargs): say what it was.
  if (typeof value === 'number' && Number.isNaN(value)) return 'text that is not a number';
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function checkKind(spec: SettingSpec, value: unknown, from: From, command: Command | undefined): { value: unknown } | { problem: string } {
  const { min = -Infinity, max = Infinity } = spec;
  const number = (whole: boolean, unit = ''): { value: number } | { problem: string } => {
    // A flag arrives as text, a plain decimal or no number at all: an empty one (`--rate ""`, `--rate "$UNSET"`) is
    // not 0, `0x10` or `1e1` is not 16 or 10. A job file gives a number.
    const n = typeof value === 'number' ? value : from === 'flag' && typeof value === 'string' ? decimalNumber(value) : NaN;
    if (!Number.isFinite(n) || (whole && !Number.isInteger(n)) || n < min || n > max) {
      // A flag as typed: `-1` and `1.5` plainly, an empty value as "", a word as text that is not a number.
      const typed = from === 'flag' && typeof value === 'string' && value.trim() !== '';
      const got = !typed ? shown(value) : Number.isNaN(n) ? shown(NaN) : value.trim();
      return { problem: unit ? `must be from ${min} to ${max} ${unit}, got ${got}` : `must be ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${got}` };
    }
    return { value: n };
  };
  switch (spec.kind) {
    case 'switch':
      return typeof value === 'boolean' ? { value } : { problem: 'must be true or false' };
    case 'whole':
      return number(true);
    case 'number':
      return number(false);
    case 'seconds': {
      const checked = number(false, 'seconds');
      return 'value' in checked ? { value: Math.round(checked.value * 1000) } : checked;
    }
    case 'concurrency': {
      const noAuto = command !== undefined && spec.commands[command]?.noAuto === true;
      if (value === 'auto' && !noAuto) return { value };
      // A flag arrives as text (it may be auto); a job file or a library option gives a number.
      const n = typeof value === 'string' ? decimalNumber(value) : typeof value === 'number' ? value : NaN;
      if (Number.isInteger(n) && n >= min && n <= max) return { value: n };
      const or = noAuto ? '' : from === 'job' ? ' or "auto"' : ' or auto';
      return { problem: `must be a whole number from ${min} to ${max}${or}, got ${shown(value)}` };
    }
    case 'budget': {
      const budget = parseFailureBudget(value);
      return 'problem' in budget ? budget : { value: budget };
    }
    case 'choice':
      return typeof value === 'string' && spec.choices?.includes(value) ? { value } : { problem: `must be one of ${spec.choices?.join(', ')}, got ${shown(value)}` };
    case 'text':
    case 'path':
      return typeof value === 'string' && value.trim() !== '' ? { value } : { problem: 'must be a non-empty string' };
  }
}

/** Settings whose values have their own form: a group, a delimiter, a shard, an operation's name. */
const SPECIAL: Partial<Record<SettingName, (value: unknown, from: From) => { value: unknown } | { problem: string }>> = {
  group: (value, from) => {
    const checked = from === 'job' ? checkGroupTarget(value) : typeof value === 'string' ? parseGroupFlag(value) : { problem: 'must be text: SP/GROUP' };
    return 'problem' in checked ? checked : { value: checked.target };
  },
  delimiter: (value) => {
    const checked = typeof value === 'string' ? checkDelimiter(value) : { problem: `must be text, e.g. ";", got ${JSON.stringify(value)}` };
    return 'problem' in checked ? checked : { value: checked.delimiter };
  },
  shard: (value) => {
    const checked = typeof value === 'string' ? parseShard(value) : { problem: `expected K/N, e.g. 2/3 (shard 2 of 3), got ${shown(value)}` };
    return 'problem' in checked ? checked : { value: checked };
  },
  canary: (value) => {
    const size = parseWaveSize(value);
    return 'problem' in size ? size : { value: size };
  },
  waves: (value) => {
    const sizes = parseWaveList(value);
    return 'problem' in sizes ? sizes : { value: sizes };
  },
  operation: (value) => {
    if (typeof value !== 'string') return { problem: unknownOperation(value) };
    const resolved = resolveOperation(value);
    return 'op' in resolved ? { value: resolved.op } : resolved;
  },
};
