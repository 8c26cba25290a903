import { join } from 'node:path';
import type { Secrets } from '../logging/secrets.js';
import { AtomicFile } from '../records/atomic-file.js';
import type { RowResult } from '../model/row-result.js';
import type { RunObserver } from '../model/run-observer.js';
import { PLAN_FILE, PLAN_TAIL, planHead, planRowJson, planRowOf, type PlanHeader } from '../records/plan-file.js';

/**
 * Streams plan.json while `odin-bulk plan` runs: rows in manifest order (a small reorder buffer, as the
 * reports use), written through an AtomicFile so the plan appears whole at the end or not at all.
 */
export class PlanWriter implements RunObserver {
  private readonly file: AtomicFile;
  private readonly waiting = new Map<number, RowResult>();
  private next = 0;

  constructor(dir: string, header: PlanHeader, private readonly secrets: Secrets) {
    this.file = new AtomicFile(join(dir, PLAN_FILE));
    this.file.write(planHead(header));
  }

  onResult(result: RowResult, index: number): void {
    this.waiting.set(index, result);
    for (let r = this.waiting.get(this.next); r; r = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.file.write(`${this.next === 0 ? '\n' : ',\n'}    ${this.secrets.redact(planRowJson(planRowOf(r)))}`);
      this.next++;
    }
  }

  async finish(): Promise<void> {
    if (this.waiting.size) throw new Error(`internal: ${this.waiting.size} rows never reached plan.json (next row ${this.next})`);
    this.file.write(PLAN_TAIL);
    await this.file.commit();
  }
}
