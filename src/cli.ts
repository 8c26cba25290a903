#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { processIo, type CliIo } from './commands/cli-io.js';
import { applyCommand } from './commands/apply-command.js';
import { demoCommand } from './commands/demo-command.js';
import { mergeReportsCommand } from './commands/merge-reports-command.js';
import { exportCommand, type ExportCommandFlags } from './commands/export-command.js';
import { operationsCommand } from './commands/operations-command.js';
import { runCommand, type RunCommandFlags } from './commands/run-command.js';
import { validateCommand } from './commands/validate-command.js';
import { EXIT, JobError, exitCodeFor, type ExitCode } from './errors.js';
import { dialectOptions, runSimulateCommand } from './simulator/simulate-command.js';
import { VERSION } from './version.js';

// The CLI only parses arguments and calls the library; exit codes come from errors.ts.

const jobFlags = (y: Argv) =>
  y
    .positional('job', { type: 'string', describe: 'Job file (jobs/*.json)' })
    .option('manifest', { alias: 'm', type: 'string', describe: 'Manifest file (.csv or .json); overrides the job file' })
    .option('group', { type: 'string', describe: 'SP/GROUP: apply the job defaults to every user of the group, instead of a manifest' })
    .option('operation', { type: 'string', describe: 'What to change (see `odin-bulk operations`) [default: user-call-processing-policy]' })
    .option('name', { type: 'string', describe: 'Job name, used in the report folder name' })
    .option('strict-gates', { type: 'boolean', describe: 'Refuse changes that a gate flag left false (useUser…Setting, isActive…) makes ineffective' });

/** Options every command that talks to Odin shares: the request pacing, TLS and console detail. */
const clientFlags = (y: Argv, defaults: { rate: string; retries: string; timeout: string }) =>
  y
    .option('rate', { type: 'number', describe: `Requests per second for the whole run, 0 = uncapped [default: ${defaults.rate}]` })
    .option('retries', { type: 'number', describe: `Retries per request on network errors, timeouts, 429 and 5xx [default: ${defaults.retries}]` })
    .option('timeout', { type: 'number', describe: `Seconds to wait for each request [default: ${defaults.timeout}]` })
    .option('ca-file', { type: 'string', describe: 'PEM file of extra CA certificates to trust (private CA)' })
    .option('insecure', { type: 'boolean', describe: 'Do not verify TLS certificates (warns loudly on every run)' })
    .option('log-level', { choices: ['error', 'warn', 'info', 'debug'] as const, describe: 'Console detail (run.log always has everything)' });

const BUILT_IN = { rate: '5', retries: '4', timeout: '30' };

const runFlags = (y: Argv) =>
  clientFlags(jobFlags(y), BUILT_IN)
    .option('concurrency', { alias: 'c', type: 'string', describe: 'Rows in flight at once, or auto: adapt to the server (AIMD) [default: 4]' })
    .option('max-concurrency', { type: 'number', describe: 'Ceiling for --concurrency auto [default: 64]' })
    .option('out', { alias: 'o', type: 'string', describe: 'Report folder [default: reports/<job>-<UTC time>/]' })
    .option('resume', { type: 'string', describe: 'Continue the interrupted run in this report folder: rows its journal finished are not sent again' })
    .option('retry-failed', { type: 'boolean', describe: 'With --resume: redo the rows that failed in the earlier attempt too' })
    .option('max-failures', { type: 'string', describe: 'Stop when more rows fail: a count (25) or a share of finished rows (10%) [default: 10% once 20 rows are done]' })
    .option('shard', { type: 'string', describe: 'K/N: run only shard K of N (rows split by a hash of the userId), for CI matrix jobs' })
    .option('fail-on-changes', { type: 'boolean', describe: 'With plan / --dry-run: exit 5 when any row would change (drift check)' })
    .option('json', { type: 'boolean', describe: 'Print summary.json on stdout and nothing else there (for scripts)' })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'No progress and no per-row warnings on the console; errors still print' })
    .option('progress-interval', { type: 'number', describe: 'Seconds between progress lines when stderr is not a terminal [default: 5]' });

const exportFlags = (y: Argv) =>
  clientFlags(y, BUILT_IN)
    .positional('job', { type: 'string', describe: 'Job file: its operation and its manifest or target' })
    .option('operation', { type: 'string', describe: 'What to read (see `odin-bulk operations`) [default: user-call-processing-policy]' })
    .option('group', { type: 'string', describe: 'SP/GROUP: export every user of the group (or the group, for a group operation)' })
    .option('manifest', { alias: 'm', type: 'string', describe: 'Export the targets this manifest names (only its key columns are read)' })
    .option('fields', { type: 'string', describe: 'Comma-separated fields to export [default: all fields of the operation]' })
    .option('out', { alias: 'o', type: 'string', describe: 'File to write: .csv or .json (a manifest `run` accepts as is)' })
    .option('overwrite', { type: 'boolean', describe: 'Replace --out if it exists' })
    .option('concurrency', { alias: 'c', type: 'string', describe: 'Targets read at once, or auto [default: 4]' });

const applyFlags = (y: Argv) =>
  clientFlags(y, { rate: "the plan's", retries: "the plan's", timeout: "the plan's" })
    .positional('plan', { type: 'string', demandOption: true, describe: 'Plan folder (from `odin-bulk plan --out DIR`) or its plan.json' })
    .option('force', { type: 'boolean', describe: 'Write rows even when a planned field changed since the plan' })
    .option('concurrency', { alias: 'c', type: 'number', describe: 'Rows in flight at once [default: the plan\'s]' })
    .option('out', { alias: 'o', type: 'string', describe: 'Report folder [default: <plan folder>/apply-<UTC time>/]' });

type Parsed = Record<string, unknown>;

function toExportFlags(a: Parsed): ExportCommandFlags {
  const { dryRun: _dryRun, out: _out, ...common } = toRunFlags(a, true);
  return { ...common, fields: a.fields as string | undefined, out: a.out as string | undefined, overwrite: a.overwrite as boolean | undefined };
}

function toRunFlags(a: Parsed, dryRun: boolean, commandLine?: readonly string[]): RunCommandFlags {
  return {
    job: a.job as string | undefined,
    manifest: a.manifest as string | undefined,
    group: a.group as string | undefined,
    operation: a.operation as string | undefined,
    name: a.name as string | undefined,
    concurrency: a.concurrency as string | undefined,
    maxConcurrency: a.maxConcurrency as number | undefined,
    rate: a.rate as number | undefined,
    retries: a.retries as number | undefined,
    timeout: a.timeout as number | undefined,
    out: a.out as string | undefined,
    strictGates: a.strictGates as boolean | undefined,
    caFile: a.caFile as string | undefined,
    insecure: a.insecure as boolean | undefined,
    logLevel: a.logLevel as RunCommandFlags['logLevel'],
    dryRun: dryRun || (a.dryRun as boolean | undefined),
    resume: a.resume as string | undefined,
    retryFailed: a.retryFailed as boolean | undefined,
    maxFailures: a.maxFailures === undefined ? undefined : String(a.maxFailures),
    commandLine,
    shard: a.shard as string | undefined,
    failOnChanges: a.failOnChanges as boolean | undefined,
    json: a.json as boolean | undefined,
    quiet: a.quiet as boolean | undefined,
    progressInterval: a.progressInterval as number | undefined,
  };
}

export async function main(argv: string[], io: CliIo = processIo()): Promise<ExitCode> {
  let result: Promise<ExitCode> = Promise.resolve(EXIT.ok);
  try {
    await yargs(argv)
      .scriptName('odin-bulk')
      .usage('$0 <command> [options]\n\nBulk-update Odin (BroadWorks) settings: validate, read, compare, write what differs, report.')
      .command('run [job]', 'Run a job: read each target, write what differs, write reports', (y) =>
        runFlags(y).option('dry-run', { type: 'boolean', describe: 'Read and compare only (same as `plan`)' }), (a) => {
        result = runCommand(toRunFlags(a, false, argv), io);
      })
      .command('plan [job]', 'Read and compare only: what `run` would change; no PUT is sent', runFlags, (a) => {
        result = runCommand(toRunFlags(a, true, argv), io);
      })
      .command('apply <plan>', 'Execute a reviewed plan: re-read each user, PUT exactly the planned values, refuse rows changed since', applyFlags, (a) => {
        result = applyCommand(
          {
            plan: a.plan as string,
            out: a.out,
            force: a.force,
            concurrency: a.concurrency,
            rate: a.rate,
            retries: a.retries,
            timeout: a.timeout,
            caFile: a.caFile,
            insecure: a.insecure,
            logLevel: a.logLevel,
          },
          io,
        );
      })
      .command('validate [job]', 'Check a manifest offline; sends nothing', jobFlags, (a) => {
        result = validateCommand(toRunFlags(a, true), io);
      })
      .command('merge-reports <dirs..>', 'Join the report folders of sharded runs (--shard K/N) into one', (y) =>
        y
          .positional('dirs', { type: 'string', array: true, describe: 'Report folders of one manifest, one per shard' })
          .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'New folder for the merged report' }), (a) => {
        result = mergeReportsCommand({ dirs: a.dirs as string[], out: a.out as string }, io);
      })
      .command('export [job]', 'Write the current values of a group or a manifest\'s targets as a manifest `run` accepts', exportFlags, (a) => {
        result = exportCommand(toExportFlags(a), io);
      })
      .command('operations [name]', 'List the operations and their fields', (y) =>
        y.positional('name', { type: 'string', describe: 'Show only this operation' }), (a) => {
        result = (async () => operationsCommand(io, a.name as string | undefined))();
      })
      .command('demo', 'Run jobs/demo.json against a throw-away embedded simulator', runFlags, (a) => {
        result = demoCommand(toRunFlags(a, false), io);
      })
      .command('simulate', 'Start the Odin simulator for rehearsals (Ctrl-C stops it)', (y) =>
        y
          .option('port', { type: 'number', default: 0, describe: 'Port on 127.0.0.1 (0 = any free port)' })
          .option('users', { type: 'number', default: 100, describe: 'Seeded users' })
          .option('group-size', { type: 'number', describe: 'Users per group [default: 50]' })
          .option('seed', { type: 'number', describe: 'Seed for the users\' varied settings and for faults' })
          .option('username', { type: 'string', default: 'admin', describe: 'Login the simulator accepts' })
          .option('password', { type: 'string', default: 'simulator', describe: 'Password the simulator accepts (a rehearsal value, not a real one)' })
          .option('latency', { type: 'number', describe: 'Milliseconds added to each API answer' })
          .option('error-rate', { type: 'number', describe: 'Share of API requests answered 500/503 (0–1)' })
          .option('throttle-rate', { type: 'number', describe: 'Share answered 429 with Retry-After (0–1)' })
          .option('retry-after', { type: 'number', describe: 'Retry-After seconds on 429 [default: 1]' })
          .option('hang-rate', { type: 'number', describe: 'Share of requests never answered (0–1)' })
          .option('capacity', { type: 'number', describe: 'Requests in flight before it slows down and answers 429' })
          .option('token-lifetime', { type: 'number', describe: 'Token lifetime in seconds [default: 86400]' })
          .option('dialect', { type: 'string', describe: "Answer shape: odin (unset values left out, all-digit numbers as JSON numbers) or nulls [default: odin]" })
          .option('release', { type: 'number', describe: 'BroadWorks release the server runs (22–25): later fields are left out and refused [default: 25]' })
          .option('unassigned', { type: 'string', array: true, describe: 'SERVICE:SHARE, e.g. call-recording:0.1: that share of users lacks the service (repeatable)' }), (a) => {
        result = (async () => runSimulateCommand(
          {
            ...dialectOptions({ dialect: a.dialect, release: a.release, unassigned: a.unassigned }),
            port: a.port,
            users: a.users,
            groupSize: a.groupSize,
            seed: a.seed,
            username: a.username,
            password: a.password,
            latencyMs: a.latency,
            errorRate: a.errorRate,
            throttleRate: a.throttleRate,
            retryAfterSeconds: a.retryAfter,
            hangRate: a.hangRate,
            capacity: a.capacity,
            tokenLifetimeSeconds: a.tokenLifetime,
          },
          { stdout: io.stdout },
        ).then(() => EXIT.ok))();
      })
      .demandCommand(1, 'Name a command: run, plan, apply, validate, export, merge-reports, operations, simulate or demo.')
      .strict()
      .help()
      .version(VERSION)
      .fail((message, error) => {
        throw error ?? new JobError('EINPUT', message, ['Run odin-bulk --help for the commands and options.']);
      })
      .parseAsync();
    return await result;
  } catch (error) {
    return report(error, io);
  }
}

/** The one place an error becomes text and an exit code. */
function report(error: unknown, io: CliIo): ExitCode {
  const code = exitCodeFor(error);
  if (error instanceof JobError) {
    io.stderr.write(`${error.code}: ${error.message}\n${error.details.map((d) => `  ${d}\n`).join('')}`);
  } else {
    io.stderr.write(`internal error: ${(error as Error)?.stack ?? String(error)}\nThis is a bug: please report it with the run's journal.ndjson and run.log attached.\n`);
  }
  return code;
}

// Run only as the program (the bin link resolves to this file), not when imported by a test.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(hideBin(process.argv)).then((code) => {
    process.exitCode = code;
  });
}
