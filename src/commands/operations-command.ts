import { EXIT, type ExitCode } from '../errors.js';
import { OPERATIONS } from '../operations/registry.js';
import type { FieldSpec } from '../operations/types.js';
import { println, type CliIo } from './cli-io.js';

/** `odin-bulk operations`: every operation with its key columns and fields. */
export function operationsCommand(io: CliIo): ExitCode {
  for (const op of OPERATIONS) {
    println(io.stdout, [`${op.name}  (${op.keyFields.join(' + ')})`, `  ${op.description}`]);
    for (const [name, spec] of Object.entries(op.fields)) {
      println(io.stdout, `    ${name.padEnd(52)} ${describeSpec(spec)}${spec.gates?.length ? `  [needs ${spec.gates.join(', ')}]` : ''}`);
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
      return `integer ${spec.min}–${spec.max}`;
    case 'enum':
      return spec.values.map((v) => `'${v}'`).join(' | ');
    case 'string':
      return `text ${spec.minLength}–${spec.maxLength} chars${spec.nullable ? ' (null clears it)' : ''}`;
  }
}
