import { EXIT, type ExitCode } from '../errors.js';
import { resolveJob, type RunFlags } from '../job/resolve-job.js';
import { checkManifest } from '../run/check-manifest.js';
import { println, type CliIo } from './cli-io.js';

/** `odin-bulk validate`: the whole manifest checked offline; no credentials needed, nothing sent. */
export async function validateCommand(flags: RunFlags, io: CliIo): Promise<ExitCode> {
  const options = await resolveJob(flags, io.env);
  const { check } = await checkManifest(options);
  println(
    io.stdout,
    `${options.manifest}: ${check.rowCount} rows valid for ${options.op.name}; fields: ${check.fieldsUsed.join(', ')}`,
  );
  return EXIT.ok;
}
