/**
 * The one table of settings: each setting once, with its flag, its job-file key, its unit, default, limits and
 * help text, and the commands that take it. Everything else is derived from it: the yargs options and their --help
 * (commands/cli-options.ts), the job-file checks (load-job-file.ts), the checks of flags and library options
 * (check-setting.ts, api/job-settings.ts) and the resolved options (resolve-job.ts). Data only.
 *
 * Units: what a user types is in seconds (timeout, progress interval) and requests per second (rate); inside, time
 * is in milliseconds (`timeoutMs`, `progressIntervalMs`). A job file may still say `timeoutMs` (milliseconds), as
 * job files written before the table did.
 */

/** The commands that take settings from this table. */
export type Command = 'run' | 'plan' | 'apply' | 'validate' | 'export' | 'demo' | 'doctor' | 'show';

/** How --help groups the options. */
export const GROUPS = { input: 'Input:', safety: 'Safety:', waves: 'Canary and waves:', speed: 'Speed:', output: 'Output:', connection: 'Connection:' } as const;

/** What a setting's value is, and so how it is checked and shown. */
export type Kind =
  | 'text' // non-empty text
  | 'path' // a file or folder
  | 'switch' // true or false
  | 'whole' // a whole number from min to max
  | 'number' // a number from min to max
  | 'seconds' // a number of seconds from min to max; milliseconds inside
  | 'concurrency' // a whole number from min to max, or auto
  | 'budget' // a count of rows (25) or a share of finished rows (10%)
  | 'choice'; // one of `choices`

/** How one command shows a setting, where it differs from the setting's own. */
export type PerCommand = {
  help?: string;
  /** The default as --help shows it. */
  shown?: string;
  /** `concurrency`: auto is not offered (apply runs the plan's fixed concurrency). */
  noAuto?: boolean;
  /** Only this command's CLI takes it; its library function does not (run's --fail-on-changes goes with --dry-run). */
  cliOnly?: boolean;
};

export type SettingSpec = {
  /** The flag, without `--`; undefined for a positional argument or a job-file-only setting. */
  flag?: string;
  alias?: string;
  /** Its key in a job file; undefined when only the command line (or the library) sets it. */
  jobKey?: string;
  kind: Kind;
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** The default in the user's unit (undefined: none, or decided elsewhere). */
  default?: string | number | boolean;
  /** The default as --help shows it, when the value alone would not say it. */
  shown?: string;
  help: string;
  group?: (typeof GROUPS)[keyof typeof GROUPS];
  /** The commands that take it, with what they show differently. */
  commands: Partial<Record<Command, PerCommand>>;
  /** Only the CLI has it (console and TLS switches); the library functions take no such option. */
  cliOnly?: boolean;
};

/** The commands that talk to an Odin. */
const ALL_ODIN = { run: {}, plan: {}, apply: {}, export: {}, doctor: {} } as const;

/** Every setting, by the name the library options and the parsed flags use (camelCase of the flag). */
export const SETTINGS = {
  job: {
    kind: 'path', help: 'Job file (jobs/*.json)',
    commands: { run: {}, plan: {}, validate: {}, export: { help: 'Job file: its operation and its manifest or target' }, doctor: { help: 'Job file: its operation, and its manifest or target names the user to read' } },
  },
  manifest: {
    flag: 'manifest', alias: 'm', jobKey: 'manifest', kind: 'path', group: GROUPS.input,
    help: 'Manifest file (.csv or .json); overrides the job file',
    commands: {
      run: {}, plan: {}, validate: {},
      export: { help: 'Export the targets this manifest names (only its key columns are read)' },
      doctor: { help: "Manifest whose first row names the user to read; overrides the job file's" },
    },
  },
  group: {
    flag: 'group', jobKey: 'target', kind: 'text', group: GROUPS.input,
    help: 'SP/GROUP: apply the job defaults to every user of the group, instead of a manifest',
    commands: {
      run: {}, plan: {}, validate: {},
      export: { help: 'SP/GROUP: export every user of the group (or the group, for a group operation)' },
      doctor: { help: "SP/GROUP: the group to read (group operations) and whose first user to read", shown: "the job's target" },
    },
  },
  operation: {
    flag: 'operation', jobKey: 'operation', kind: 'text', group: GROUPS.input, default: 'user-call-processing-policy',
    help: 'What to change (see `odin-bulk operations`); several joined with + (a+b) run as steps, in that order',
    commands: {
      run: {}, plan: {}, validate: {},
      export: { help: 'What to read (see `odin-bulk operations`)' },
      doctor: { help: 'Check only this operation', shown: "the job's; without a job, all nine" },
    },
  },
  delimiter: {
    flag: 'delimiter', jobKey: 'delimiter', kind: 'text', group: GROUPS.input, default: ',',
    help: "Cell separator of a CSV manifest: one character, e.g. ';', or tab",
    commands: { run: {}, plan: {}, validate: {}, export: {}, doctor: {} },
  },
  all: {
    flag: 'all', kind: 'switch', group: GROUPS.input, cliOnly: true,
    help: 'Check all nine operations (with a job: its own decides the exit code)', commands: { doctor: {} },
  },
  user: {
    flag: 'user', kind: 'text', group: GROUPS.input, cliOnly: true, shown: "the manifest's first row, or the first user of --group",
    help: 'The user to read', commands: { doctor: {} },
  },
  fields: {
    flag: 'fields', kind: 'text', group: GROUPS.input, shown: 'all fields of the operation',
    help: 'Comma-separated fields to export', commands: { export: {} },
  },
  shard: {
    flag: 'shard', kind: 'text', group: GROUPS.input,
    help: 'K/N: run only shard K of N (rows split by a hash of the userId), for CI matrix jobs', commands: { run: {}, plan: {} },
  },
  dryRun: { flag: 'dry-run', kind: 'switch', group: GROUPS.safety, help: 'Read and compare only (same as `plan`)', commands: { run: {} }, cliOnly: true },
  strictGates: {
    flag: 'strict-gates', jobKey: 'strictGates', kind: 'switch', group: GROUPS.safety, default: false,
    help: 'Refuse changes that a gate flag left false (useUser...Setting, isActive...) makes ineffective', commands: { run: {}, plan: {}, validate: {} },
  },
  allowPartial: {
    flag: 'allow-partial', jobKey: 'allowPartial', kind: 'switch', group: GROUPS.safety, default: false,
    help: 'user-services: when a group would run out of licences, write up to the limit and skip the rest (instead of writing nothing in that group)',
    commands: { run: {}, plan: {}, apply: {} },
  },
  maxFailures: {
    flag: 'max-failures', jobKey: 'maxFailures', kind: 'budget', group: GROUPS.safety, default: '10%', shown: '10% once 20 rows are done',
    help: 'Stop when more rows fail: a count (25) or a share of finished rows (10%)',
    commands: { run: {}, plan: {}, apply: {}, export: { help: 'Stop when more targets cannot be read: a count (25) or a share of finished targets (10%)' } },
  },
  resume: {
    flag: 'resume', kind: 'path', group: GROUPS.safety,
    help: 'Continue the interrupted run in this report folder: rows its journal finished are not sent again', commands: { run: {}, plan: {} },
  },
  retryFailed: {
    flag: 'retry-failed', kind: 'switch', group: GROUPS.safety, help: 'With --resume: redo the rows that failed in the earlier attempt too', commands: { run: {}, plan: {} },
  },
  failOnChanges: {
    flag: 'fail-on-changes', kind: 'switch', group: GROUPS.safety, help: 'With plan / --dry-run: exit 5 when any row would change (drift check)', commands: { run: { cliOnly: true }, plan: {} },
  },
  force: { flag: 'force', kind: 'switch', group: GROUPS.safety, help: 'Write rows even when a planned field changed since the plan', commands: { apply: {} } },
  canary: {
    flag: 'canary', kind: 'text', group: GROUPS.waves,
    help: 'Write only the first N rows that need a change (N, or N% of the rows); the rest wait for `--resume DIR`',
    commands: { run: {}, apply: { help: 'Write only the first N planned rows (N, or N% of the rows); the rest wait for the next apply' } },
  },
  waves: {
    flag: 'waves', kind: 'text', group: GROUPS.waves,
    help: 'Write in cumulative waves, e.g. 1%,10%,100% or 20,200,100%: after each wave, wait --settle, read its users again, stop if they do not hold',
    commands: { run: {}, apply: {} },
  },
  settle: {
    flag: 'settle', kind: 'seconds', min: 0, max: 3600, default: 5, group: GROUPS.waves,
    help: 'Seconds to wait after a wave (or the canary) before its users are read again and checked', commands: { run: {}, apply: {} },
  },
  waveMaxFailures: {
    flag: 'wave-max-failures', kind: 'whole', min: 0, max: 1_000_000, default: 0, group: GROUPS.waves,
    help: 'Failed or reverted users a wave may have; one more stops the run (exit 4), the rest waiting', commands: { run: {}, apply: {} },
  },
  waveOrder: {
    flag: 'wave-order', kind: 'choice', choices: ['manifest', 'spread'], default: 'manifest', group: GROUPS.waves,
    help: 'Which rows go first: in manifest order, or spread evenly across groups (serviceProviderId,groupId columns)', commands: { run: {}, apply: {} },
  },
  confirm: {
    flag: 'confirm', kind: 'switch', group: GROUPS.waves, cliOnly: true,
    help: 'On a terminal, ask before each next wave: y (go on), n (stop, the rest waiting), show (the wave so far)', commands: { run: {}, apply: {} },
  },
  concurrency: {
    flag: 'concurrency', alias: 'c', jobKey: 'concurrency', kind: 'concurrency', min: 1, max: 256, default: 4, group: GROUPS.speed,
    help: 'Rows in flight at once ({range}), or auto: adapt to the server',
    commands: {
      run: {}, plan: {}, demo: {},
      apply: { help: 'Rows in flight at once ({range})', shown: "the plan's", noAuto: true },
      export: { help: 'Targets in flight at once ({range}), or auto: adapt to the server' },
    },
  },
  maxConcurrency: {
    flag: 'max-concurrency', jobKey: 'maxConcurrency', kind: 'whole', min: 1, max: 256, default: 64, group: GROUPS.speed,
    help: 'Ceiling for --concurrency auto', commands: { run: {}, plan: {}, export: {} },
  },
  rate: {
    flag: 'rate', jobKey: 'rate', kind: 'number', min: 0, max: 10_000, default: 5, group: GROUPS.speed,
    help: 'Requests per second for the whole run, 0 = uncapped', commands: { run: {}, plan: {}, demo: {}, export: {}, apply: { shown: "the plan's" } },
  },
  out: {
    flag: 'out', alias: 'o', kind: 'path', group: GROUPS.output, shown: 'reports/<job>-<UTC time>/',
    help: 'Report folder, new or empty',
    commands: {
      run: {}, plan: {},
      apply: { shown: '<plan folder>/apply-<UTC time>/' },
      demo: { shown: 'reports/demo-<UTC time>/' },
      export: { help: 'File to write: .csv or .json (a manifest `run` accepts as is)', shown: '' },
    },
  },
  overwrite: { flag: 'overwrite', kind: 'switch', group: GROUPS.output, help: 'Replace --out if it exists', commands: { export: {} } },
  name: {
    flag: 'name', jobKey: 'name', kind: 'text', group: GROUPS.output, shown: "the job file's, else the manifest's file name",
    help: 'Job name, used in the report folder name', commands: { run: {}, plan: {} },
  },
  json: {
    flag: 'json', kind: 'switch', group: GROUPS.output, cliOnly: true,
    help: 'Print summary.json on stdout and nothing else there (for scripts)',
    commands: {
      run: {}, plan: {}, apply: {}, demo: {},
      export: { help: "Print the export's summary as JSON on stdout and nothing else there (for scripts)" },
      doctor: { help: 'Print the result as JSON on stdout and nothing else there (the table goes to stderr)' },
    },
  },
  quiet: {
    flag: 'quiet', alias: 'q', kind: 'switch', group: GROUPS.output, cliOnly: true,
    help: 'No progress and no per-row warnings on the console; errors still print', commands: { run: {}, plan: {}, apply: {}, demo: {}, export: {} },
  },
  show: {
    flag: 'show', kind: 'whole', min: 0, max: 100_000, default: 10, group: GROUPS.output, cliOnly: true,
    help: "Users whose changes the plan review lists one by one (the value transitions count them all)",
    commands: { plan: {}, run: { help: 'With --dry-run: users whose changes the plan review lists one by one' }, show: {} },
  },
  progressInterval: {
    flag: 'progress-interval', kind: 'seconds', min: 0.01, max: 3600, default: 5, group: GROUPS.output, cliOnly: true,
    help: 'Seconds between progress lines when stderr is not a terminal', commands: { run: {}, plan: {}, apply: {}, demo: {}, export: {} },
  },
  logLevel: {
    flag: 'log-level', kind: 'choice', choices: ['error', 'warn', 'info', 'debug'], default: 'info', group: GROUPS.output, cliOnly: true,
    help: 'Console detail (run.log always has everything)',
    commands: { run: {}, plan: {}, apply: {}, export: { help: 'Console detail', shown: 'warn' } },
  },
  retries: {
    flag: 'retries', jobKey: 'retries', kind: 'whole', min: 0, max: 20, default: 4, group: GROUPS.connection,
    help: 'Retries per request on network errors, timeouts, 429 and 5xx', commands: { run: {}, plan: {}, export: {}, doctor: {}, apply: { shown: "the plan's" } },
  },
  timeout: {
    flag: 'timeout', jobKey: 'timeout', kind: 'seconds', min: 0.1, max: 3600, default: 30, group: GROUPS.connection,
    help: 'Seconds to wait for each request', commands: { run: {}, plan: {}, export: {}, doctor: {}, apply: { shown: "the plan's" } },
  },
  caFile: {
    flag: 'ca-file', kind: 'path', group: GROUPS.connection, cliOnly: true,
    help: 'PEM file of extra CA certificates to trust (a private CA)', commands: ALL_ODIN,
  },
  insecure: {
    flag: 'insecure', kind: 'switch', group: GROUPS.connection, cliOnly: true,
    help: 'Do not verify TLS certificates (warns loudly on every run; prefer --ca-file)', commands: ALL_ODIN,
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

/** Job-file keys that are not settings of a command: what the job is (its values, its targets). */
export const JOB_FILE_ONLY = {
  defaults: 'the field values every row gets',
  steps: 'several operations per target, in order: [{"operation": NAME, "defaults": {…}}, …] (docs/baselines.md)',
} as const;

/** A job file written before the table may give the timeout in milliseconds under this key. */
export const LEGACY_TIMEOUT_MS_KEY = 'timeoutMs';

type ValueOfKind<K extends Kind> = K extends 'switch'
  ? boolean
  : K extends 'whole' | 'number' | 'seconds'
    ? number
    : K extends 'concurrency' | 'budget'
      ? number | string
      : string;

/** Settings as given (flags, library options): any subset, in the user's units. */
export type GivenSettings = { [N in SettingName]?: ValueOfKind<(typeof SETTINGS)[N]['kind']> };

/** The settings a command takes, in the table's order. */
export function settingsOf(command: Command): SettingName[] {
  return (Object.keys(SETTINGS) as SettingName[]).filter((name) => (SETTINGS[name].commands as Partial<Record<Command, PerCommand>>)[command] !== undefined);
}

/** How `command` shows setting `name` (its help and default), with the table's own where the command says nothing else. */
export function shownFor(name: SettingName, command: Command): { help: string; shown?: string; noAuto: boolean } {
  const spec: SettingSpec = SETTINGS[name];
  const own = spec.commands[command] ?? {};
  // Plain ASCII: a command's help is laid out at every start (yargs), and other text costs more to measure.
  const range = spec.min !== undefined ? `${spec.min} to ${spec.max}` : '';
  const help = (own.help ?? spec.help).replace('{range}', range);
  const shown = own.shown ?? spec.shown ?? (spec.default === undefined || spec.default === false ? undefined : String(spec.default));
  return { help, shown: shown === '' ? undefined : shown, noAuto: own.noAuto === true };
}
