#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import { processIo, type CliIo } from './commands/cli-io.js';
import { withOptions } from './commands/cli-options.js';
import { errorText, usageError } from './commands/report-error.js';
import { refuseRepeatedOptions } from './commands/repeated-flags.js';
import type { RunFlags } from './settings/resolve-job.js';
import { SETTINGS, shownFor, type SettingName } from './settings/settings-table.js';
import { EXIT, exitCodeFor, type ExitCode } from './model/errors.js';
import { VERSION } from './version.js';

// The CLI only parses arguments and calls the library; the options live in commands/cli-options.ts, exit codes in
// model/errors.ts. Each command's code is imported when that command runs: `--version` loads nothing else, `--help`
// and `validate` never load the HTTP client, the HTML report or the simulator (start-up is most of a short command).
type Parsed = Record<string, unknown>;


/** The table's settings among the parsed arguments (yargs gives each flag in camelCase too): what the commands take. */
function given(a: Parsed): RunFlags {
  return Object.fromEntries((Object.keys(SETTINGS) as SettingName[]).filter((k) => a[k] !== undefined).map((k) => [k, a[k]])) as RunFlags;
}

/** A command of the CLI: how yargs shows and parses it, and what runs it (its code is imported only then). */
type CommandSpec = {
  /** As yargs takes it: the name and its positionals, e.g. `run [job]`. */
  usage: string;
  describe: string;
  positionals?: (y: Argv) => Argv;
  start(a: Parsed, io: CliIo, argv: string[]): Promise<ExitCode>;
};

const job = (command: 'run' | 'export' | 'doctor') => (y: Argv) => y.positional('job', { type: 'string', describe: shownFor('job', command).help });

const COMMANDS: Record<string, CommandSpec> = {
  run: {
    usage: 'run [job]',
    describe: 'Run a job: read each target, write what differs, write reports',
    positionals: job('run'),
    start: async (a, io, argv) => (await import('./commands/run-command.js')).runCommand({ ...given(a), commandLine: argv }, io),
  },
  plan: {
    usage: 'plan [job]',
    describe: 'Read and compare only: what `run` would change; no PUT is sent',
    positionals: job('run'),
    start: async (a, io, argv) => (await import('./commands/run-command.js')).runCommand({ ...given(a), dryRun: true, commandLine: argv }, io),
  },
  apply: {
    usage: 'apply <plan>',
    describe: 'Execute a reviewed plan: re-read each user, PUT exactly the planned values, refuse rows changed since',
    positionals: (y) => y.positional('plan', { type: 'string', demandOption: true, describe: 'Plan folder (from `odin-bulk plan --out DIR`) or its plan.json' }),
    start: async (a, io) => (await import('./commands/apply-command.js')).applyCommand({ ...given(a), plan: a.plan as string }, io),
  },
  validate: {
    usage: 'validate [job]',
    describe: 'Check a manifest offline; sends nothing',
    positionals: job('run'),
    start: async (a, io) => (await import('./commands/validate-command.js')).validateCommand(given(a), io),
  },
  'merge-reports': {
    usage: 'merge-reports <dirs..>',
    describe: 'Join the report folders of sharded runs (--shard K/N) into one',
    positionals: (y) => y.positional('dirs', { type: 'string', array: true, describe: 'Report folders of one manifest, one per shard' }),
    start: async (a, io) => (await import('./commands/merge-reports-command.js')).mergeReportsCommand({ dirs: a.dirs as string[], out: a.out as string }, io),
  },
  export: {
    usage: 'export [job]',
    describe: "Write the current values of a group or a manifest's targets as a manifest `run` accepts",
    positionals: job('export'),
    start: async (a, io, argv) => (await import('./commands/export-command.js')).exportCommand({ ...given(a), commandLine: argv }, io),
  },
  doctor: {
    usage: 'doctor [job]',
    describe: 'Check, reading only, that this Odin answers what a job (or every operation) needs',
    positionals: job('doctor'),
    start: async (a, io) => (await import('./commands/doctor-command.js')).doctorCommand(given(a), io),
  },
  operations: {
    usage: 'operations [name]',
    describe: 'List the operations and their fields',
    positionals: (y) => y.positional('name', { type: 'string', describe: 'Show only this operation' }),
    start: async (a, io) => (await import('./commands/operations-command.js')).operationsCommand(io, a.name as string | undefined),
  },
  demo: {
    usage: 'demo',
    describe: 'Run jobs/demo.json against a throw-away embedded simulator',
    start: async (a, io) => (await import('./commands/demo-command.js')).demoCommand(given(a), io),
  },
  simulate: {
    usage: 'simulate',
    describe: 'Start the Odin simulator for rehearsals (Ctrl-C stops it)',
    async start(a, io) {
      const { dialectOptions, numberOptions, revertOptions, runSimulateCommand } = await import('./simulator/simulate-command.js');
      await runSimulateCommand(
        {
          ...revertOptions(a.revert as string | undefined),
          ...dialectOptions({ dialect: a.dialect as string | undefined, release: a.release as string | undefined, unassigned: a.unassigned as string[] | undefined, licences: a.licences as string[] | undefined, bulk: a.bulk as string | boolean | undefined }),
          ...numberOptions(a),
          username: a.username as string,
          password: a.password as string,
        },
        { stdout: io.stdout },
      );
      return EXIT.ok;
    },
  },
  show: {
    usage: 'show <dir>',
    describe: 'Print the review of a plan or run folder: value transitions per field, gate warnings, the first users\' changes',
    positionals: (y) => y.positional('dir', { type: 'string', demandOption: true, describe: 'A report folder of plan, run or apply' }),
    start: async (a, io) => (await import('./commands/show-command.js')).showCommand({ ...given(a), dir: a.dir as string }, io),
  },
};

export async function main(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
  // What yargs would print, without loading it (a fifth of a second). The installed command's launcher
  // (scripts/cli-launcher.mjs) answers `odin-bulk --version` itself, before loading this bundle.
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const { default: yargs } = await import('yargs');
  const forHelp = argv.includes('--help') || argv.includes('-h');
  let command: string | undefined;
  try {
    let parser = yargs(argv)
      .scriptName('odin-bulk')
      .usage('$0 <command> [options]\n\nBulk-update Odin (BroadWorks) settings: validate, read, compare, write what differs, report.');
    // No yargs handler: the command runs after the parse (yargs lays out the whole help text before calling one).
    for (const [name, spec] of Object.entries(COMMANDS)) {
      parser = parser.command(spec.usage, spec.describe, (y) => {
        command = name;
        return withOptions(spec.positionals ? spec.positionals(y) : y, name, forHelp);
      });
    }
    const parsed = await parser
      .epilog('Run odin-bulk <command> --help for its options, examples and the environment it reads. run, plan, apply, doctor and export read ODIN_BASE_URL, ODIN_USERNAME and ODIN_PASSWORD.')
      .demandCommand(1, 'Name a command: run, plan, apply, show, validate, doctor, export, merge-reports, operations, simulate or demo.')
      .strict()
      .help()
      .alias('help', 'h')
      .version(VERSION)
      .fail((message, error) => {
        throw error ?? usageError(message, argv);
      })
      .parseAsync();
    if (!command) return EXIT.ok;
    refuseRepeatedOptions(parsed as Parsed, command);
    return await COMMANDS[command]!.start(parsed as Parsed, io, argv);
  } catch (error) {
    io.stderr.write(errorText(error, command));
    return exitCodeFor(error);
  }
}

// Run only as the program (the bin link resolves to this file), not when imported by a test.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
