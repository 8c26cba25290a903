import type { Argv, Options } from 'yargs';
import { GROUPS, SETTINGS, settingsOf, shownFor, type Command, type SettingSpec } from '../settings/settings-table.js';

// The options of every command, grouped as --help shows them, with each command's examples and the environment it
// reads. The settings of run, plan, apply, validate, export and demo come from the settings table
// (settings/settings-table.ts); cli.ts wires them into yargs; the unknown-flag suggestion reads the names from here.

/** Group title → option name → yargs definition. */
type OptionGroups = Record<string, Record<string, Options>>;

/** A command's options from the settings table, grouped in the table's order of groups. */
function fromTable(command: Command): OptionGroups {
  const groups: OptionGroups = {};
  for (const title of Object.values(GROUPS)) groups[title] = {};
  for (const name of settingsOf(command)) {
    const spec: SettingSpec = SETTINGS[name];
    if (!spec.flag || !spec.group) continue;
    const { help, shown } = shownFor(name, command);
    groups[spec.group]![spec.flag] = {
      ...(spec.alias ? { alias: spec.alias } : {}),
      ...yargsType(spec),
      describe: shown === undefined ? help : `${help} [default: ${shown}]`,
    };
  }
  for (const title of Object.keys(groups)) if (Object.keys(groups[title]!).length === 0) delete groups[title];
  return groups;
}

/**
 * How yargs reads a kind: switches as booleans, everything else as text. Numbers too: yargs reads an empty value
 * (`--rate ""`) as 0, which would mean "uncapped"; settings/check-setting.ts turns the text into a number.
 */
function yargsType(spec: SettingSpec): Options {
  switch (spec.kind) {
    case 'switch':
      return { type: 'boolean' };
    case 'choice':
      return { choices: spec.choices };
    default:
      return { type: 'string' };
  }
}

export const COMMAND_OPTIONS: Readonly<Record<string, OptionGroups>> = {
  run: fromTable('run'),
  plan: fromTable('plan'),
  apply: fromTable('apply'),
  validate: fromTable('validate'),
  export: fromTable('export'),
  doctor: fromTable('doctor'),
  demo: fromTable('demo'),
  show: fromTable('show'),
  'merge-reports': {
    [GROUPS.output]: { out: { alias: 'o', type: 'string', demandOption: true, describe: 'New folder for the merged report' } },
  },
  operations: {},
  // Its number flags are text too (yargs reads `--users ""` as 0): simulator/simulate-command.ts reads them.
  simulate: {
    'Simulator:': {
      port: { type: 'string', default: 0, describe: 'Port on 127.0.0.1 (0 = any free port)' },
      users: { type: 'string', default: 100, describe: 'Seeded users' },
      'group-size': { type: 'string', describe: 'Users per group [default: 50]' },
      seed: { type: 'string', describe: "Seed for the users' varied settings and for faults" },
      username: { type: 'string', default: 'admin', describe: 'Login the simulator accepts' },
      password: { type: 'string', default: 'simulator', describe: 'Password the simulator accepts (a rehearsal value, not a real one)' },
      'token-lifetime': { type: 'string', describe: 'Token lifetime in seconds [default: 86400]' },
    },
    'Odin it plays:': {
      dialect: { type: 'string', describe: 'Answer shape: odin (unset values left out, all-digit numbers as JSON numbers) or nulls [default: odin]' },
      release: { type: 'string', describe: 'BroadWorks release the server runs (22–25): later fields are left out and refused [default: 25]' },
      unassigned: { type: 'string', array: true, describe: 'SERVICE:SHARE, e.g. call-recording:0.1: that share of users lacks the service (repeatable)' },
      licences: { type: 'string', array: true, describe: "[SP/GROUP:]SERVICE=N, e.g. call-recording=10: each group's quantity of a service or pack; 0 = not authorised, unlimited (repeatable)" },
      bulk: { type: 'string', describe: 'How GET …/bulk (a whole group in one read) answers: answer, missing (404) or forbidden (403); --no-bulk = missing [default: answer]' },
    },
    'Faults:': {
      latency: { type: 'string', describe: 'Milliseconds added to each API answer' },
      'error-rate': { type: 'string', describe: 'Share of API requests answered 500/503 (0–1)' },
      'throttle-rate': { type: 'string', describe: 'Share answered 429 with Retry-After (0–1)' },
      'retry-after': { type: 'string', describe: 'Retry-After seconds on 429 [default: 1]' },
      'hang-rate': { type: 'string', describe: 'Share of requests never answered (0–1)' },
      capacity: { type: 'string', describe: 'Requests in flight before it slows down and answers 429' },
      revert: { type: 'string', describe: 'SHARE[:DELAY_MS], e.g. 0.2:1000: that share of accepted PUTs is undone after DELAY_MS (for rehearsing --waves)' },
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
  show: {
    examples: [['$0 show reports/clid-20261130T101500Z', 'value transitions per field, gate warnings and the first users\' changes']],
    environment: 'Environment: reads no ODIN_* variable: it reads the folder only.',
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

/**
 * Adds a command's options, grouped, with its examples and environment note. `forHelp` false leaves out what only
 * --help shows (descriptions, groups, examples) and hides the options from the help text: yargs lays out the whole
 * help text on every command it runs, which was a good part of a short command's start-up.
 */
export function withOptions<T>(y: Argv<T>, command: string, forHelp = true): Argv<T> {
  for (const [title, options] of Object.entries(COMMAND_OPTIONS[command] ?? {})) {
    for (const [name, definition] of Object.entries(options)) {
      if (forHelp) y.option(name, definition);
      else {
        const { describe: _shownInHelpOnly, ...parsing } = definition;
        y.option(name, { ...parsing, hidden: true });
      }
    }
    if (forHelp) y.group(Object.keys(options), title);
  }
  const help = COMMAND_HELP[command];
  if (help && forHelp) {
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
