import { resolveDoctor, type DoctorFlags } from '../doctor/doctor-input.js';
import { doctorText } from '../doctor/doctor-text.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { JobError, type ExitCode } from '../errors.js';
import { connectionFromEnv, type Connection } from '../job/connection.js';
import { DEFAULTS, LIMITS } from '../job/job-options.js';
import { Secrets } from '../logging/secrets.js';
import { println, type CliIo } from './cli-io.js';
import { printConnectionWarnings } from './connection-warnings.js';

export type DoctorCommandFlags = DoctorFlags & {
  retries?: number;
  /** Seconds. */
  timeout?: number;
  caFile?: string;
  insecure?: boolean;
  /** The result as JSON on stdout (the table goes to stderr). */
  json?: boolean;
};

/** `odin-bulk doctor`: input checked offline (exit 2), then reads only; the table on stdout (stderr with --json). */
export async function doctorCommand(flags: DoctorCommandFlags, io: CliIo, connection?: Connection): Promise<ExitCode> {
  const settings = doctorSettings(flags);
  const plan = await resolveDoctor(flags, io.env);
  const conn = connection ?? connectionFromEnv(io.env, { caFile: flags.caFile, insecure: flags.insecure });
  printConnectionWarnings(conn, io.stderr);
  const secrets = new Secrets();
  secrets.add(conn.password);
  const result = await runDoctor(plan, conn, settings, { secrets });
  const text = doctorText(result, io.now()).map((line) => secrets.redact(line));
  println(flags.json ? io.stderr : io.stdout, text);
  if (flags.json) io.stdout.write(`${secrets.redact(JSON.stringify(result, null, 2))}\n`);
  return result.exitCode;
}

function doctorSettings(flags: DoctorCommandFlags): { retries: number; timeoutMs: number } {
  const problems: string[] = [];
  const { retries = DEFAULTS.retries, timeout = DEFAULTS.timeoutMs / 1000 } = flags;
  if (!Number.isInteger(retries) || retries < LIMITS.retries.min || retries > LIMITS.retries.max) {
    problems.push(`command line --retries: must be from ${LIMITS.retries.min} to ${LIMITS.retries.max}, got ${retries}`);
  }
  const timeoutMs = Math.round(timeout * 1000);
  if (!Number.isFinite(timeoutMs) || timeoutMs < LIMITS.timeoutMs.min || timeoutMs > LIMITS.timeoutMs.max) {
    problems.push(`command line --timeout: must be from ${LIMITS.timeoutMs.min / 1000} to ${LIMITS.timeoutMs.max / 1000} seconds, got ${timeout}`);
  }
  if (problems.length) throw new JobError('EINPUT', 'invalid settings', problems);
  return { retries, timeoutMs };
}
