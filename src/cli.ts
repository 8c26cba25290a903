#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { processIo, type CliIo } from './commands/cli-io.js';
import { demoCommand } from './commands/demo-command.js';
import { operationsCommand } from './commands/operations-command.js';
import { runCommand, type RunCommandFlags } from './commands/run-command.js';
import { validateCommand } from './commands/validate-command.js';
import { EXIT, JobError, exitCodeFor, type ExitCode } from './errors.js';
import { runSimulateCommand } from './simulator/simulate-command.js';

// The CLI only parses arguments and calls the library; exit codes come from errors.ts.

const jobFlags = (y: Argv) =>
  y
    .positional('job', { type: 'string', describe: 'Job file (jobs/*.json)' })
    .option('manifest', { alias: 'm', type: 'string', describe: 'Manifest file (.csv or .json); overrides the job file' })
    .option('operation', { type: 'string', describe: 'What to change (see `odin-bulk operations`) [default: user-call-processing-policy]' })
    .option('name', { type: 'string', describe: 'Job name, used in the report folder name' })
    .option('strict-gates', { type: 'boolean', describe: 'Refuse changes a gate flag (useUser…Setting) leaves without effect' });

const runFlags = (y: Argv) =>
  jobFlags(y)
    .option('concurrency', { alias: 'c', type: 'string', describe: 'Rows in flight at once, or auto: adapt to the server (AIMD) [default: 4]' })
    .option('max-concurrency', { type: 'number', describe: 'Ceiling for --concurrency auto [default: 64]' })
    .option('rate', { type: 'number', describe: 'Requests per second for the whole run, 0 = uncapped [default: 5]' })
    .option('retries', { type: 'number', describe: 'Retries per request on network errors, timeouts, 429 and 5xx [default: 4]' })
    .option('timeout', { type: 'number', describe: 'Seconds to wait for each request [default: 30]' })
    .option('out', { alias: 'o', type: 'string', describe: 'Report folder [default: reports/<job>-<UTC time>/]' })
    .option('ca-file', { type: 'string', describe: 'PEM file of extra CA certificates to trust (private CA)' })
    .option('insecure', { type: 'boolean', describe: 'Do not verify TLS certificates (warns loudly on every run)' })
    .option('log-level', { choices: ['error', 'warn', 'info', 'debug'] as const, describe: 'Console detail (run.log always has everything)' });

type Parsed = Record<string, unknown>;

function toRunFlags(a: Parsed, dryRun: boolean): RunCommandFlags {
  return {
    job: a.job as string | undefined,
    manifest: a.manifest as string | undefined,
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
        result = runCommand(toRunFlags(a, false), io);
      })
      .command('plan [job]', 'Read and compare only: what `run` would change; no PUT is sent', runFlags, (a) => {
        result = runCommand(toRunFlags(a, true), io);
      })
      .command('validate [job]', 'Check a manifest offline; sends nothing', jobFlags, (a) => {
        result = validateCommand(toRunFlags(a, true), io);
      })
      .command('operations', 'List the operations and their fields', {}, () => {
        result = Promise.resolve(operationsCommand(io));
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
          .option('token-lifetime', { type: 'number', describe: 'Token lifetime in seconds [default: 86400]' }), (a) => {
        result = runSimulateCommand(
          {
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
        ).then(() => EXIT.ok);
      })
      .demandCommand(1, 'Name a command: run, plan, validate, operations, simulate or demo.')
      .strict()
      .help()
      .version()
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
