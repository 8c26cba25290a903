import { EXIT, type ExitCode } from '../errors.js';
import { resolveJob, type RunFlags } from '../job/resolve-job.js';
import { checkManifest, manifestWarningLines } from '../run/check-manifest.js';
import { checkInput } from '../run/job-input.js';
import { formatGroupTarget } from '../targets/group-target.js';
import { println, type CliIo } from './cli-io.js';
import { countOf } from '../util/plural.js';

/** `odin-bulk validate`: the whole manifest (or a group job's defaults) checked offline; no credentials, nothing sent. */
export async function validateCommand(flags: RunFlags, io: CliIo): Promise<ExitCode> {
  const options = await resolveJob(flags, io.env);
  if (options.target) {
    const input = await checkInput(options);
    println(
      io.stdout,
      `group ${formatGroupTarget(options.target)}: defaults valid for ${options.op.name}; fields: ${input.fieldsUsed.join(', ')} (the group's targets are listed when the job runs)`,
    );
    return EXIT.ok;
  }
  const { check } = await checkManifest(options);
  println(
    io.stdout,
    `${options.manifest}: ${countOf(check.rowCount, 'row')} valid for ${options.op.name}; fields: ${check.fieldsUsed.join(', ')}`,
  );
  const warnings = manifestWarningLines(options.manifest ?? '', check);
  if (warnings.length) println(io.stdout, warnings);
  return EXIT.ok;
}
