import { join } from 'node:path';
import type { Secrets } from '../logging/secrets.js';
import type { RowResult } from '../model/row-result.js';
import type { RunObserver } from '../model/run-observer.js';
import { AtomicFile } from '../records/atomic-file.js';
import { PLAN_FILE, PLAN_TAIL, planHead, type PlanHeader } from '../records/plan-file.js';
import { encodePlanRow } from '../records/row-codec.js';
import { InOrder } from './in-order.js';

/**
 * Streams plan.json while `odin-bulk plan` runs: rows in manifest order, written through an AtomicFile so the
 * plan appears whole at the end or not at all. Rows kept from an earlier attempt (a resume) are in it too.
 */
export class PlanWriter implements RunObserver {
  private readonly file: AtomicFile;
  private readonly ordered = new InOrder<RowResult>((r, index) => this.file.write(`${index === 0 ? '\n' : ',\n'}    ${this.secrets.redact(encodePlanRow(r))}`));

  constructor(dir: string, header: PlanHeader, private readonly secrets: Secrets) {
    this.file = new AtomicFile(join(dir, PLAN_FILE));
    this.file.write(planHead(header));
  }

  onResult(result: RowResult, index: number): void {
    this.ordered.add(result, index);
  }

  replay(result: RowResult, index: number): void {
    this.ordered.add(result, index);
  }

  async finish(): Promise<void> {
    this.ordered.done('plan.json');
    this.file.write(PLAN_TAIL);
    await this.file.commit();
  }
}
