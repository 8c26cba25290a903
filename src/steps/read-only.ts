import type { RowTarget } from '../model/row-result.js';
import type { OperationDef } from '../operations/types.js';
import type { Step } from './step.js';
import { readLive, rowStep } from './row-pieces.js';

/** `export`'s step: GET the target's current values (every field the server returned). Sends no write. */
export function readOnly(op: OperationDef): Step<RowTarget> {
  return (row, io) =>
    rowStep(row, async ({ result, track }) => {
      const live = await readLive(io.client, op, row, track);
      result.before = live;
      return { status: 'unchanged', after: live };
    });
}
