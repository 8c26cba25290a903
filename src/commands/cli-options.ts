import type { Argv, Options } from 'yargs';

// The options of every command, grouped as --help shows them, with each command's examples and the environment it
// reads. Data only: cli.ts wires it into yargs; the unknown-flag suggestion reads the names from here.

/** Group title → option name → yargs definition. */
type OptionGroups = Record<string, Record<string, Options>>;

const INPUT = 'Input:';
const SAFETY = 'Safety:';
const SPEED = 'Speed:';
const OUTPUT = 'Output:';
const CONNECTION = 'Connection:';

const manifest: Options = { alias: 'm', type: 'string', describe: 'Manifest file (.csv or .json); overrides the job file' };
const group: Options = { type: 'string', describe: 'SP/GROUP: apply the job defaults to every user of the group, instead of a manifest' };
const operation: Options = { type: 'string', describe: 'What to change (see `odin-bulk operations`) [default: user-call-processing-policy]' };
const delimiter: Options = { type: 'string', describe: "Cell separator of a CSV manifest: one character, e.g. ';', or tab [default: ,]" };
const strictGates: Options = { type: 'boolean', describe: 'Refuse changes that a gate flag left false (useUser…Setting, isActive…) makes ineffective' };

/** Request pacing, shared by every command that talks to Odin; `from` names where unset values come from. */
const speed = (what: string, from: { concurrency: string; rate: string } = { concurrency: '4', rate: '5' }, auto = true): Record<string, Options> => ({
  concurrency: auto
    ? { alias: 'c', type: 'string', describe: `${what} in flight at once (1–256), or auto: adapt to the server [default: ${from.concurrency}]` }
    : { alias: 'c', type: 'number', describe: `${what} in flight at once (1–256) [default: ${from.concurrency}]` },
  rate: { type: 'number', describe: `Requests per second for the whole run, 0 = uncapped [default: ${from.rate}]` },
});
const connection = (from?: string): Record<string, Options> => ({
  retries: { type: 'number', describe: `Retries per request on network errors, timeouts, 429 and 5xx [default: ${from ?? '4'}]` },
  timeout: { type: 'number', describe: `Seconds to wait for each request [default: ${from ?? '30'}]` },
  'ca-file': { type: 'string', describe: 'PEM file of extra CA certificates to trust (a private CA)' },
  insecure: { type: 'boolean', describe: 'Do not verify TLS certificates (warns loudly on every run; prefer --ca-file)' },
});
const logLevel: Options = { choices: ['error', 'warn', 'info', 'debug'], describe: 'Console detail (run.log always has everything) [default: info]' };
const json: Options = { type: 'boolean', describe: 'Print summary.json on stdout and nothing else there (for scripts)' };
const quiet: Options = { alias: 'q', type: 'boolean', describe: 'No progress and no per-row warnings on the console; errors still print' };
const progressInterval: Options = { type: 'number', describe: 'Seconds between progress lines when stderr is not a terminal [default: 5]' };

const runOptions = (dryRunFlag: boolean): OptionGroups => ({
  [INPUT]: { manifest, group, operation, delimiter, shard: { type: 'string', describe: 'K/N: run only shard K of N (rows split by a hash of the userId), for CI matrix jobs' } },
  [SAFETY]: {
    ...(dryRunFlag ? { 'dry-run': { type: 'boolean', describe: 'Read and compare only (same as `plan`)' } as Options } : {}),
    'strict-gates': strictGates,
    'max-failures': { type: 'string', describe: 'Stop when more rows fail: a count (25) or a share of finished rows (10%) [default: 10% once 20 rows are done]' },
    resume: { type: 'string', describe: 'Continue the interrupted run in this report folder: rows its journal finished are not sent again' },
    'retry-failed': { type: 'boolean', describe: 'With --resume: redo the rows that failed in the earlier attempt too' },
    'fail-on-changes': { type: 'boolean', describe: 'With plan / --dry-run: exit 5 when any row would change (drift check)' },
  },
  [SPEED]: { ...speed('Rows'), 'max-concurrency': { type: 'number', describe: 'Ceiling for --concurrency auto [default: 64]' } },
  [OUTPUT]: {
    out: { alias: 'o', type: 'string', describe: 'Report folder, new or empty [default: reports/<job>-<UTC time>/]' },
    name: { type: 'string', describe: 'Job name, used in the report folder name [default: the job file\'s, else the manifest\'s file name]' },
    json,
    quiet,
    'progress-interval': progressInterval,
    'log-level': logLevel,
  },
  [CONNECTION]: connection(),
});

export const COMMAND_OPTIONS: Readonly<Record<string, OptionGroups>> = {
  run: runOptions(true),
  plan: runOptions(false),
  apply: {
    [SAFETY]: { force: { type: 'boolean', describe: 'Write rows even when a planned field changed since the plan' } },
    [SPEED]: speed('Rows', { concurrency: "the plan's", rate: "the plan's" }, false),
    [OUTPUT]: {
      out: { alias: 'o', type: 'string', describe: 'Report folder, new or empty [default: <plan folder>/apply-<UTC time>/]' },
      json,
      quiet,
      'progress-interval': progressInterval,
      'log-level': logLevel,
    },
    [CONNECTION]: connection("the plan's"),
  },
  validate: {
    [INPUT]: { manifest, group, operation, delimiter },
    [SAFETY]: { 'strict-gates': strictGates },
  },
  export: {
    [INPUT]: {
      operation: { type: 'string', describe: 'What to read (see `odin-bulk operations`) [default: user-call-processing-policy]' },
      group: { type: 'string', describe: 'SP/GROUP: export every user of the group (or the group, for a group operation)' },
      manifest: { alias: 'm', type: 'string', describe: 'Export the targets this manifest names (only its key columns are read)' },
      delimiter,
      fields: { type: 'string', describe: 'Comma-separated fields to export [default: all fields of the operation]' },
    },
    [SPEED]: speed('Targets'),
    [OUTPUT]: {
      out: { alias: 'o', type: 'string', describe: 'File to write: .csv or .json (a manifest `run` accepts as is)' },
      overwrite: { type: 'boolean', describe: 'Replace --out if it exists' },
      'log-level': { ...logLevel, describe: 'Console detail [default: warn]' },
    },
    [CONNECTION]: connection(),
  },
  doctor: {
    [INPUT]: {
      manifest,
      delimiter,
      operation: { type: 'string', describe: "Check only this operation [default: the job's; without a job, all nine]" },
      all: { type: 'boolean', describe: 'Check all nine operations (with a job: its own decides the exit code)' },
      user: { type: 'string', describe: "The user to read [default: the manifest's first row, or the first user of --group]" },
      group: { type: 'string', describe: "SP/GROUP: the group to read (group operations) and whose first user to read [default: the job's target]" },
    },
    [OUTPUT]: { json: { type: 'boolean', describe: 'Print the result as JSON on stdout and nothing else there (the table goes to stderr)' } },
    [CONNECTION]: connection(),
  },
  demo: {
    [SPEED]: speed('Rows'),
    [OUTPUT]: {
      out: { alias: 'o', type: 'string', describe: 'Report folder, new or empty [default: reports/demo-<UTC time>/]' },
      json,
      quiet,
      'progress-interval': progressInterval,
    },
  },
  'merge-reports': {
    [OUTPUT]: { out: { alias: 'o', type: 'string', demandOption: true, describe: 'New folder for the merged report' } },
  },
  operations: {},
  simulate: {
    'Simulator:': {
      port: { type: 'number', default: 0, describe: 'Port on 127.0.0.1 (0 = any free port)' },
      users: { type: 'number', default: 100, describe: 'Seeded users' },
      'group-size': { type: 'number', describe: 'Users per group [default: 50]' },
      seed: { type: 'number', describe: "Seed for the users' varied settings and for faults" },
      username: { type: 'string', default: 'admin', describe: 'Login the simulator accepts' },
      password: { type: 'string', default: 'simulator', describe: 'Password the simulator accepts (a rehearsal value, not a real one)' },
      'token-lifetime': { type: 'number', describe: 'Token lifetime in seconds [default: 86400]' },
    },
    'Odin it plays:': {
      dialect: { type: 'string', describe: 'Answer shape: odin (unset values left out, all-digit numbers as JSON numbers) or nulls [default: odin]' },
      release: { type: 'number', describe: 'BroadWorks release the server runs (22–25): later fields are left out and refused [default: 25]' },
      unassigned: { type: 'string', array: true, describe: 'SERVICE:SHARE, e.g. call-recording:0.1: that share of users lacks the service (repeatable)' },
      licences: { type: 'string', array: true, describe: "[SP/GROUP:]SERVICE=N, e.g. call-recording=10: each group's quantity of a service or pack; 0 = not authorised, unlimited (repeatable)" },
      bulk: { type: 'string', describe: 'How GET …/bulk (a whole group in one read) answers: answer, missing (404) or forbidden (403); --no-bulk = missing [default: answer]' },
    },
    'Faults:': {
      latency: { type: 'number', describe: 'Milliseconds added to each API answer' },
      'error-rate': { type: 'number', describe: 'Share of API requests answered 500/503 (0–1)' },
      'throttle-rate': { type: 'number', describe: 'Share answered 429 with Retry-After (0–1)' },
      'retry-after': { type: 'number', describe: 'Retry-After seconds on 429 [default: 1]' },
      'hang-rate': { type: 'number', describe: 'Share of requests never answered (0–1)' },
      capacity: { type: 'number', describe: 'Requests in flight before it slows down and answers 429' },
    },
  },
};

const ODIN_ENV = 'Environment: ODIN_BASE_URL (the API root), ODIN_USERNAME and ODIN_PASSWORD (only ever from the environment, never a flag)';
const STEP_SUMMARY = 'GITHUB_STEP_SUMMARY, when set, gets summary.md appended';

/** Each command's examples (command line, what it does) and the environment it reads, for --help. */
export const COMMAND_HELP: Readonly<Record<string, { examples: Array<[string, string]>; environment: string }>> = {
  run: {
    examples: [
      ['$0 run jobs/clid-migration.json', 'validate, read every user, write what differs, write the reports'],
      ['$0 run --manifest samples/call-limits.csv --concurrency 8 --rate 10', 'a manifest without a job file'],
    ],
    environment: `${ODIN_ENV}. ${STEP_SUMMARY}. A job file may use \${VAR} from the environment.`,
  },
  plan: {
    examples: [
      ['$0 plan jobs/clid-migration.json --out plans/clid', 'read and compare only; writes plans/clid/plan.json for `apply`'],
      ['$0 plan jobs/clid-migration.json --fail-on-changes', 'a drift check: exit 5 when a user no longer matches'],
    ],
    environment: `${ODIN_ENV}. ${STEP_SUMMARY}. A job file may use \${VAR} from the environment.`,
  },
  apply: {
    examples: [['$0 apply plans/clid', 'PUT exactly what plans/clid/plan.json says, refusing rows changed since']],
    environment: `${ODIN_ENV}. ${STEP_SUMMARY}.`,
  },
  validate: {
    examples: [
      ['$0 validate jobs/clid-migration.json', 'check the job file and its manifest offline'],
      ['$0 validate --manifest samples/call-limits.csv', 'check a manifest alone'],
    ],
    environment: 'Environment: reads no ODIN_* variable and sends nothing. A job file may use ${VAR} from the environment.',
  },
  export: {
    examples: [
      ['$0 export --group sim-sp/grp-01 --out grp-01.csv', "every user's call processing policy, as a manifest"],
      ['$0 export jobs/clid-migration.json --out before.csv', "the values the job's manifest would change, before it runs"],
    ],
    environment: `${ODIN_ENV}.`,
  },
  doctor: {
    examples: [
      ['$0 doctor jobs/clid-migration.json', "read the job's first user once: is every endpoint and field it needs there?"],
      ['$0 doctor --all --group sim-sp/grp-01', "all nine operations, with the group and its first user"],
    ],
    environment: `${ODIN_ENV}. Sends no write.`,
  },
  demo: {
    examples: [['$0 demo', 'runs jobs/demo.json against a throw-away simulator and prints the report folder']],
    environment: 'Environment: reads no ODIN_* variable: it starts its own simulator on 127.0.0.1 and never touches a real Odin.',
  },
  'merge-reports': {
    examples: [['$0 merge-reports reports/clid-1 reports/clid-2 reports/clid-3 --out reports/clid', 'one report of a job run as --shard 1/3, 2/3 and 3/3']],
    environment: `Environment: reads no ODIN_* variable. ${STEP_SUMMARY}.`,
  },
  operations: {
    examples: [
      ['$0 operations', 'every operation with its fields, types, ranges and gates'],
      ['$0 operations user-call-forwarding-always', 'one operation'],
    ],
    environment: 'Environment: reads no ODIN_* variable.',
  },
  simulate: {
    examples: [['$0 simulate --users 5000 --latency 40 --error-rate 0.02', 'a rehearsal target; paste the three export lines it prints into another terminal']],
    environment: 'Environment: reads no ODIN_* variable; it prints the three ODIN_* export lines that point at it.',
  },
};

/** Adds a command's options, grouped, with its examples and environment note. */
export function withOptions<T>(y: Argv<T>, command: string): Argv<T> {
  for (const [title, options] of Object.entries(COMMAND_OPTIONS[command] ?? {})) {
    for (const [name, definition] of Object.entries(options)) y.option(name, definition);
    y.group(Object.keys(options), title);
  }
  const help = COMMAND_HELP[command];
  if (help) {
    for (const [line, what] of help.examples) y.example(line, what);
    y.epilog(help.environment);
  }
  return y;
}

/** Every flag a command accepts, as typed (`--concurrency`, `-c`), for "did you mean". */
export function flagNames(command: string | undefined): string[] {
  const names = ['--help', '-h', '--version'];
  for (const options of Object.values(COMMAND_OPTIONS[command ?? ''] ?? {})) {
    for (const [name, definition] of Object.entries(options)) {
      names.push(`--${name}`);
      const aliases = definition.alias === undefined ? [] : Array.isArray(definition.alias) ? definition.alias : [definition.alias];
      for (const alias of aliases) names.push(alias.length === 1 ? `-${alias}` : `--${alias}`);
    }
  }
  return names;
}
