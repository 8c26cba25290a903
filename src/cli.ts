#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { processIo, type CliIo } from './commands/cli-io.js';
import { withOptions } from './commands/cli-options.js';
import { applyCommand } from './commands/apply-command.js';
import { demoCommand } from './commands/demo-command.js';
import { doctorCommand } from './commands/doctor-command.js';
import { mergeReportsCommand } from './commands/merge-reports-command.js';
import { exportCommand, type ExportCommandFlags } from './commands/export-command.js';
import { operationsCommand } from './commands/operations-command.js';
import { errorText, usageError } from './commands/report-error.js';
import { runCommand, type RunCommandFlags } from './commands/run-command.js';
import { validateCommand } from './commands/validate-command.js';
import { EXIT, exitCodeFor, type ExitCode } from './errors.js';
import { dialectOptions, runSimulateCommand } from './simulator/simulate-command.js';
import { VERSION } from './version.js';

// The CLI only parses arguments and calls the library; the options live in commands/cli-options.ts, exit codes in errors.ts.

type Parsed = Record<string, unknown>;

const job = (y: Argv) => y.positional('job', { type: 'string', describe: 'Job file (jobs/*.json)' });

function toRunFlags(a: Parsed, dryRun: boolean, commandLine?: readonly string[]): RunCommandFlags {
  const text = (key: string) => a[key] as string | undefined;
  const number = (key: string) => a[key] as number | undefined;
  const flag = (key: string) => a[key] as boolean | undefined;
  return {
    job: text('job'),
    manifest: text('manifest'),
    group: text('group'),
    operation: text('operation'),
    delimiter: text('delimiter'),
    name: text('name'),
    concurrency: text('concurrency'),
    maxConcurrency: number('maxConcurrency'),
    rate: number('rate'),
    retries: number('retries'),
    timeout: number('timeout'),
    out: text('out'),
    strictGates: flag('strictGates'),
    caFile: text('caFile'),
    insecure: flag('insecure'),
    logLevel: a.logLevel as RunCommandFlags['logLevel'],
    dryRun: dryRun || flag('dryRun'),
    resume: text('resume'),
    retryFailed: flag('retryFailed'),
    maxFailures: a.maxFailures === undefined ? undefined : String(a.maxFailures),
    commandLine,
    shard: text('shard'),
    failOnChanges: flag('failOnChanges'),
    json: flag('json'),
    quiet: flag('quiet'),
    progressInterval: number('progressInterval'),
  };
}

function toExportFlags(a: Parsed): ExportCommandFlags {
  const { dryRun: _dryRun, out: _out, ...common } = toRunFlags(a, true);
  return { ...common, fields: a.fields as string | undefined, out: a.out as string | undefined, overwrite: a.overwrite as boolean | undefined };
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
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
        run('run', () => runCommand(toRunFlags(a, false, argv), io)),
      )
      .command('plan [job]', 'Read and compare only: what `run` would change; no PUT is sent', (y) => withOptions(job(y), 'plan'), (a) =>
        run('plan', () => runCommand(toRunFlags(a, true, argv), io)),
      )
      .command(
        'apply <plan>',
        'Execute a reviewed plan: re-read each user, PUT exactly the planned values, refuse rows changed since',
        (y) => withOptions(y.positional('plan', { type: 'string', demandOption: true, describe: 'Plan folder (from `odin-bulk plan --out DIR`) or its plan.json' }), 'apply'),
        (a) =>
          run('apply', () =>
            applyCommand(
              {
                plan: a.plan as string,
                out: a.out as string | undefined,
                force: a.force as boolean | undefined,
                concurrency: a.concurrency as number | undefined,
                rate: a.rate as number | undefined,
                retries: a.retries as number | undefined,
                timeout: a.timeout as number | undefined,
                caFile: a.caFile as string | undefined,
                insecure: a.insecure as boolean | undefined,
                logLevel: a.logLevel as RunCommandFlags['logLevel'],
                json: a.json as boolean | undefined,
                quiet: a.quiet as boolean | undefined,
                progressInterval: a.progressInterval as number | undefined,
              },
              io,
            ),
          ),
      )
      .command('validate [job]', 'Check a manifest offline; sends nothing', (y) => withOptions(job(y), 'validate'), (a) =>
        run('validate', () => validateCommand(toRunFlags(a, true), io)),
      )
      .command(
        'merge-reports <dirs..>',
        'Join the report folders of sharded runs (--shard K/N) into one',
        (y) => withOptions(y.positional('dirs', { type: 'string', array: true, describe: 'Report folders of one manifest, one per shard' }), 'merge-reports'),
        (a) => run('merge-reports', () => mergeReportsCommand({ dirs: a.dirs as string[], out: a.out as string }, io)),
      )
      .command('export [job]', "Write the current values of a group or a manifest's targets as a manifest `run` accepts", (y) =>
        withOptions(y.positional('job', { type: 'string', describe: 'Job file: its operation and its manifest or target' }), 'export'), (a) =>
        run('export', () => exportCommand(toExportFlags(a), io)),
      )
      .command('doctor [job]', 'Check, reading only, that this Odin answers what a job (or every operation) needs', (y) => withOptions(job(y), 'doctor'), (a) =>
        run('doctor', () =>
          doctorCommand(
            {
              job: a.job as string | undefined,
              manifest: a.manifest as string | undefined,
              delimiter: a.delimiter as string | undefined,
              operation: a.operation as string | undefined,
              all: a.all as boolean | undefined,
              user: a.user as string | undefined,
              group: a.group as string | undefined,
              retries: a.retries as number | undefined,
              timeout: a.timeout as number | undefined,
              caFile: a.caFile as string | undefined,
              insecure: a.insecure as boolean | undefined,
              json: a.json as boolean | undefined,
            },
            io,
          ),
        ),
      )
      .command('operations [name]', 'List the operations and their fields', (y) =>
        withOptions(y.positional('name', { type: 'string', describe: 'Show only this operation' }), 'operations'), (a) =>
        run('operations', async () => operationsCommand(io, a.name as string | undefined)),
      )
      .command('demo', 'Run jobs/demo.json against a throw-away embedded simulator', (y) => withOptions(y, 'demo'), (a) =>
        run('demo', () => demoCommand(toRunFlags(a, false), io)),
      )
      .command('simulate', 'Start the Odin simulator for rehearsals (Ctrl-C stops it)', (y) => withOptions(y, 'simulate'), (a) =>
        run('simulate', async () =>
          runSimulateCommand(
            {
              ...dialectOptions({
                dialect: a.dialect as string | undefined,
                release: a.release as number | undefined,
                unassigned: a.unassigned as string[] | undefined,
                licences: a.licences as string[] | undefined,
                bulk: a.bulk as string | boolean | undefined,
              }),
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
          ).then(() => EXIT.ok),
        ),
      )
      .epilog('Run odin-bulk <command> --help for its options, examples and the environment it reads. run, plan, apply, doctor and export read ODIN_BASE_URL, ODIN_USERNAME and ODIN_PASSWORD.')
      .demandCommand(1, 'Name a command: run, plan, apply, validate, doctor, export, merge-reports, operations, simulate or demo.')
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
  main(hideBin(process.argv)).then((code) => {
    process.exitCode = code;
  });
}
