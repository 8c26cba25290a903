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
    if (op.assignment) println(io.stdout, ASSIGNMENT_NOTES);
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
    case 'names':
      return `${spec.list === 'packs' ? 'service pack' : 'service'} names to ${spec.assigned ? 'assign' : 'unassign'}, separated by ';' (JSON: a list)`;
  }
}

/** What `odin-bulk operations user-services` says besides its fields (docs/operations.md#user-services says more). */
const ASSIGNMENT_NOTES = [
  '  how it works:',
  "    - Each row reads GET /users/services?userId= and writes only the names whose state differs, in one",
  '      PUT /users/services holding those changes. A name the user\'s list does not hold fails that row before',
  '      its write, with "did you mean". A name in both assign and unassign, an empty name or a duplicate is',
  '      refused before anything is sent (exit 2).',
  '    - Licences: plan and run read GET /groups/services once per group (the group each user\'s answer names)',
  '      and compare what the job assigns with what is left. A group that would run out: its rows are not',
  '      written (failed, NO_LICENCE), unless --allow-partial: then rows past the limit are skipped',
  '      ("no licence left"). A service the group is not authorised for fails every row that assigns it.',
  '    - Unassigning removes the service\'s settings on the server: the plan warns, and a rollback that',
  '      re-assigns it gives the defaults back, not the old settings.',
  '    - before/after: the names of each list that were assigned at the time. rollback.csv reverses exactly',
  '      the names the run changed (assigned ones are unassigned, and the other way round).',
].join('\n');
