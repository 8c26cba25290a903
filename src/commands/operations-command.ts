import { EXIT, JobError, type ExitCode } from '../model/errors.js';
import { describeFormat, describeRange, suggest } from '../operations/coerce-value.js';
import { OPERATIONS } from '../operations/registry.js';
import { STEP_JOIN } from '../operations/steps-operation.js';
import type { FieldSpec } from '../operations/types.js';
import { println, type CliIo } from './cli-io.js';

/** `odin-bulk operations [name]`: every operation (or the one named) with its key columns and fields. */
export function operationsCommand(io: CliIo, name?: string): ExitCode {
  // `a+b` (a job of steps, as a rollback's undo line names it): each step's operation, in that order.
  const parts = name?.split(STEP_JOIN) ?? [];
  const steps = parts.map((part) => OPERATIONS.find((op) => op.name === part));
  const shown = name === undefined ? OPERATIONS : steps.every((op) => op !== undefined) ? steps : [];
  if (shown.length === 0) {
    const hint = suggest(name!, OPERATIONS.map((o) => o.name));
    throw new JobError('EINPUT', `unknown operation "${name}"${hint ? `: did you mean "${hint}"?` : ''}`, [`One of: ${OPERATIONS.map((o) => o.name).join(', ')}`]);
  }
  for (const op of shown) {
    println(io.stdout, [
      `${op.name}  (${op.keyFields.join(' + ')})`,
      `  ${op.description}`,
      `  rules: OCI-P ${op.schema}${op.service ? `; needs the ${op.service} service assigned to the user` : ''}`,
      ...(op.bulkRead ? [`  a --group target is read with one request: GET ${op.bulkRead}?serviceProviderId=&groupId=`] : []),
    ]);
    for (const [name, spec] of Object.entries(op.fields)) {
      const notes = [
        ...(spec.release ? [`BroadWorks ${spec.release} or later`] : []),
        ...(spec.gates?.length ? [`needs ${spec.gates.join(', ')}`] : []),
      ];
      println(io.stdout, `    ${name.padEnd(52)} ${describeSpec(spec)}${notes.map((n) => `  [${n}]`).join('')}`);
    }
    println(io.stdout, '');
  }
  return EXIT.ok;
}

export function describeSpec(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'boolean':
      return 'true | false';
    case 'integer':
      return spec.exclude?.length ? `integer ${describeRange(spec)}` : `integer ${spec.min}–${spec.max}`;
    case 'enum':
      return spec.values.map((v) => `'${v}'`).join(' | ');
    case 'string':
      return `${spec.format ? `${describeFormat(spec.format)},` : 'text'} ${spec.minLength}–${spec.maxLength} chars${spec.nullable ? ' (null clears it: JSON null, or the CSV cell null)' : ''}`;
  }
}
