import { coerceValue } from '../operations/coerce-value.js';
import type { FieldValue, OperationDef } from '../operations/types.js';
import { AtomicFile } from '../records/atomic-file.js';
import { csvCell, csvLine, manifestCell } from './csv-cell.js';
import type { RowResult } from '../model/row-result.js';
import { encodeManifestRow } from '../records/row-codec.js';
import { InOrder } from './in-order.js';

import type { ExportFormat } from '../settings/resolve-export.js';

export type { ExportFormat };
/** A field left out of the export, counted per reason: `maxSimultaneousCalls: not returned by the server (3 targets)`. */
export type LeftOut = { field: string; reason: string; count: number; firstId: string };

/**
 * Writes read targets as a manifest `run` accepts as is: key columns, then the fields, in target order (a small
 * reorder buffer), to `<file>.partial`, renamed into place by `commit`. Targets that could not be read are skipped.
 * A value is written only if `run` would accept it (coerceValue); anything else is left out, i.e. left alone.
 */
export class ExportWriter {
  private readonly file: AtomicFile;
  private readonly ordered = new InOrder<RowResult>((r) => {
    if (r.status !== 'failed' && r.after) this.write(r);
  });
  private readonly leftOut = new Map<string, LeftOut>();
  private count = 0;
  private empty = 0;

  constructor(
    path: string,
    private readonly format: ExportFormat,
    private readonly op: OperationDef,
    private readonly fields: readonly string[],
  ) {
    this.file = new AtomicFile(path);
    this.file.write(format === 'csv' ? csvLine([...op.keyFields, ...fields]) : '[');
  }

  /** Rows written so far. */
  get written(): number {
    return this.count;
  }

  /** Targets read but left out because not one of their fields could be written (`run` refuses an empty row). */
  get emptyTargets(): number {
    return this.empty;
  }

  /** Fields that were left empty, with why and how often. */
  get omissions(): LeftOut[] {
    return [...this.leftOut.values()];
  }

  add(result: RowResult, index: number): void {
    this.ordered.add(result, index);
  }

  private write(r: RowResult): void {
    const values: Record<string, FieldValue> = {};
    for (const field of this.fields) {
      const value = this.exportable(r, field);
      if (value !== undefined) values[field] = value;
    }
    if (Object.keys(values).length === 0) {
      this.empty++;
      return;
    }
    if (this.format === 'csv') {
      const keys = this.op.keyFields.map((k) => csvCell(r.key[k]));
      this.file.write(csvLine([...keys, ...this.fields.map((f) => manifestCell(this.op.fields[f], values[f]))]));
    } else {
      this.file.write(`${this.count === 0 ? '\n' : ',\n'}  ${encodeManifestRow(r.key, values)}`);
    }
    this.count++;
  }

  private exportable(r: RowResult, field: string): FieldValue | undefined {
    const value = r.after![field];
    if (value === undefined) return this.omit(field, 'not returned by the server', r.id);
    const coerced = coerceValue(this.op.fields[field]!, value);
    if (!coerced.ok) return this.omit(field, `the server's value would not be accepted back (${coerced.message})`, r.id);
    return coerced.value;
  }

  private omit(field: string, reason: string, id: string): undefined {
    const key = `${field}\n${reason}`;
    const entry = this.leftOut.get(key) ?? { field, reason, count: 0, firstId: id };
    entry.count++;
    this.leftOut.set(key, entry);
    return undefined;
  }

  async commit(): Promise<void> {
    this.ordered.done('the export');
    if (this.format === 'json') this.file.write(this.count === 0 ? ']\n' : '\n]\n');
    await this.file.commit();
  }

  discard(): Promise<void> {
    return this.file.discard();
  }
}
