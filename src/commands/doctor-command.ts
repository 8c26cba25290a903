import { resolveDoctor, type DoctorFlags } from '../doctor/doctor-input.js';
import { doctorText } from '../doctor/doctor-text.js';
import { runDoctor } from '../doctor/run-doctor.js';
import type { ExitCode } from '../model/errors.js';
import { problemList, resolveSettings, type RunFlags } from '../settings/resolve-job.js';
import { connectionFromEnv, type Connection } from '../settings/connection.js';
import { Secrets } from '../logging/secrets.js';
import { println, type CliIo } from './cli-io.js';
import { printConnectionWarnings } from './connection-warnings.js';

/** The flags of `odin-bulk doctor`: the table's settings it takes (settings/settings-table.ts). */
export type DoctorCommandFlags = RunFlags;

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

/** --retries and --timeout, checked by the settings table (timeout in milliseconds). */
function doctorSettings(flags: DoctorCommandFlags): { retries: number; timeoutMs: number } {
  const check = problemList();
  const s = resolveSettings(['retries', 'timeout'], flags, { flag: check.flag, command: 'doctor' });
  check.throwIfAny();
  return { retries: s.retries!, timeoutMs: s.timeout! };
}
