import { EXIT, type ExitCode } from '../errors.js';
import { resolveJob, type RunFlags } from '../job/resolve-job.js';
import { checkManifest, manifestWarningLines } from '../run/check-manifest.js';
import { println, type CliIo } from './cli-io.js';

/** `odin-bulk validate`: the whole manifest checked offline; no credentials needed, nothing sent. */
export async function validateCommand(flags: RunFlags, io: CliIo): Promise<ExitCode> {
  const options = await resolveJob(flags);
  const { check } = await checkManifest(options);
  println(
    io.stdout,
    `${options.manifest}: ${check.rowCount} rows valid for ${options.op.name}; fields: ${check.fieldsUsed.join(', ')}`,
  );
  const warnings = manifestWarningLines(options.manifest, check);
  if (warnings.length) println(io.stdout, warnings);
  return EXIT.ok;
}
