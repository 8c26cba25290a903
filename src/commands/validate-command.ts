import type { ExitCode } from '../model/errors.js';
import type { RunFlags } from '../settings/resolve-job.js';
import { validateJob } from '../api/validate-job.js';
import { manifestWarningLines } from '../sources/check-manifest.js';
import { println, type CliIo } from './cli-io.js';
import { countOf } from '../util/plural.js';

/** `odin-bulk validate`: the whole manifest (or a group job's defaults) checked offline; no credentials, nothing sent. */
export async function validateCommand(flags: RunFlags, io: CliIo): Promise<ExitCode> {
  const { job, manifest, group, operation, name, strictGates, delimiter } = flags;
  const result = await validateJob({ job, manifest, group, operation, name, strictGates, delimiter, env: io.env });
  if (result.rows === undefined) {
    println(
      io.stdout,
      `${result.source}: defaults valid for ${result.operation}; fields: ${result.fieldsUsed.join(', ')} (the group's targets are listed when the job runs)`,
    );
    return result.exitCode;
  }
  println(io.stdout, `${result.source}: ${countOf(result.rows, 'row')} valid for ${result.operation}; fields: ${result.fieldsUsed.join(', ')}`);
  const warnings = manifestWarningLines(result.source, result);
  if (warnings.length) println(io.stdout, warnings);
  return result.exitCode;
}
