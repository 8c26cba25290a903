#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import { processIo, type CliIo } from './commands/cli-io.js';
import { withOptions as withOptionsOf } from './commands/cli-options.js';
import { errorText, usageError } from './commands/report-error.js';
import type { RunFlags } from './settings/resolve-job.js';
import { SETTINGS, shownFor, type SettingName } from './settings/settings-table.js';
import { EXIT, exitCodeFor, type ExitCode } from './model/errors.js';
import { VERSION } from './version.js';

// The CLI only parses arguments and calls the library; the options live in commands/cli-options.ts, exit codes in
// model/errors.ts. Each command's code is imported when that command runs: `--version` loads nothing else, `--help`
// and `validate` never load the HTTP client, the HTML report or the simulator (start-up is most of a short command).
type Parsed = Record<string, unknown>;

const job = (y: Argv) => y.positional('job', { type: 'string', describe: shownFor('job', 'run').help });

/** The table's settings among the parsed arguments (yargs gives each flag in camelCase too): what the commands take. */
function given(a: Parsed): RunFlags {
  return Object.fromEntries((Object.keys(SETTINGS) as SettingName[]).filter((k) => a[k] !== undefined).map((k) => [k, a[k]])) as RunFlags;
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
  // What yargs would print, without loading it (a fifth of a second).
  if (argv.length === 1 && argv[0] === '--version') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const { default: yargs } = await import('yargs');
  const forHelp = argv.includes('--help') || argv.includes('-h');
  const withOptions = <T>(y: Argv<T>, command: string) => withOptionsOf(y, command, forHelp);
  let result: Promise<ExitCode> = Promise.resolve(EXIT.ok);
  let command: string | undefined;
  const run = (name: string, start: () => Promise<ExitCode>) => {
    command = name;
    result = start();
  };
  try {
    await yargs(argv)
      .scriptName('odin-bulk')
      .usage('$0 <command> [options]\n\nBulk-update Odin (BroadWorks) settings: validate, read, compare, write what differs, report.')
      .command('run [job]', 'Run a job: read each target, write what differs, write reports', (y) => withOptions(job(y), 'run'), (a) =>
        run('run', async () => (await import('./commands/run-command.js')).runCommand({ ...given(a), commandLine: argv }, io)),
      )
      .command('plan [job]', 'Read and compare only: what `run` would change; no PUT is sent', (y) => withOptions(job(y), 'plan'), (a) =>
        run('plan', async () => (await import('./commands/run-command.js')).runCommand({ ...given(a), dryRun: true, commandLine: argv }, io)),
      )
      .command(
        'apply <plan>',
        'Execute a reviewed plan: re-read each user, PUT exactly the planned values, refuse rows changed since',
        (y) => withOptions(y.positional('plan', { type: 'string', demandOption: true, describe: 'Plan folder (from `odin-bulk plan --out DIR`) or its plan.json' }), 'apply'),
        (a) =>
          run('apply', async () => (await import('./commands/apply-command.js')).applyCommand({ ...given(a), plan: a.plan as string }, io)),
      )
      .command('validate [job]', 'Check a manifest offline; sends nothing', (y) => withOptions(job(y), 'validate'), (a) =>
        run('validate', async () => (await import('./commands/validate-command.js')).validateCommand(given(a), io)),
      )
      .command(
        'merge-reports <dirs..>',
        'Join the report folders of sharded runs (--shard K/N) into one',
        (y) => withOptions(y.positional('dirs', { type: 'string', array: true, describe: 'Report folders of one manifest, one per shard' }), 'merge-reports'),
        (a) => run('merge-reports', async () => (await import('./commands/merge-reports-command.js')).mergeReportsCommand({ dirs: a.dirs as string[], out: a.out as string }, io)),
      )
      .command('export [job]', "Write the current values of a group or a manifest's targets as a manifest `run` accepts", (y) =>
        withOptions(y.positional('job', { type: 'string', describe: shownFor('job', 'export').help }), 'export'), (a) =>
        run('export', async () => (await import('./commands/export-command.js')).exportCommand({ ...given(a), commandLine: argv }, io)),
      )
      .command('operations [name]', 'List the operations and their fields', (y) =>
        withOptions(y.positional('name', { type: 'string', describe: 'Show only this operation' }), 'operations'), (a) =>
        run('operations', async () => (await import('./commands/operations-command.js')).operationsCommand(io, a.name as string | undefined)),
      )
      .command('demo', 'Run jobs/demo.json against a throw-away embedded simulator', (y) => withOptions(y, 'demo'), (a) =>
        run('demo', async () => (await import('./commands/demo-command.js')).demoCommand(given(a), io)),
      )
      .command('simulate', 'Start the Odin simulator for rehearsals (Ctrl-C stops it)', (y) => withOptions(y, 'simulate'), (a) =>
        run('simulate', async () => {
          const { dialectOptions, runSimulateCommand } = await import('./simulator/simulate-command.js');
          return runSimulateCommand(
            {
              ...dialectOptions({ dialect: a.dialect as string | undefined, release: a.release as number | undefined, unassigned: a.unassigned as string[] | undefined }),
              port: a.port as number,
              users: a.users as number,
              groupSize: a.groupSize as number | undefined,
              seed: a.seed as number | undefined,
              username: a.username as string,
              password: a.password as string,
              latencyMs: a.latency as number | undefined,
              errorRate: a.errorRate as number | undefined,
              throttleRate: a.throttleRate as number | undefined,
              retryAfterSeconds: a.retryAfter as number | undefined,
              hangRate: a.hangRate as number | undefined,
              capacity: a.capacity as number | undefined,
              tokenLifetimeSeconds: a.tokenLifetime as number | undefined,
            },
            { stdout: io.stdout },
          ).then(() => EXIT.ok);
        }),
      )
      .epilog('Run odin-bulk <command> --help for its options, examples and the environment it reads. run, plan, apply and export read ODIN_BASE_URL, ODIN_USERNAME and ODIN_PASSWORD.')
      .demandCommand(1, 'Name a command: run, plan, apply, validate, export, merge-reports, operations, simulate or demo.')
      .strict()
      .help()
      .alias('help', 'h')
      .version(VERSION)
      .fail((message, error) => {
        throw error ?? usageError(message, argv);
      })
      .parseAsync();
    return await result;
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
