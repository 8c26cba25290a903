import type { OperationDef } from './types.js';
import { userCallProcessingPolicy } from './user-call-processing-policy.js';

/** Every operation odin-bulk can run. Adding one is a new definition file plus a line here. */
export const OPERATIONS: readonly OperationDef[] = [userCallProcessingPolicy];

export const DEFAULT_OPERATION = userCallProcessingPolicy.name;

export function findOperation(name: string): OperationDef | undefined {
  return OPERATIONS.find((op) => op.name === name);
}
