import type { LimitFunction } from 'p-limit';
import type { OdinClient } from '../client/odin-client.js';
import type { Logger } from '../logging/logger.js';
import type { FieldValue } from '../model/fields.js';
import { isFailure, waitingResult, type RowResult, type RowTarget } from '../model/row-result.js';
import type { RunObserver, RunStart } from '../model/run-observer.js';
import { waveFailures, waveReaches, waveSizeText, type RevertedUser, type WavePlan, type WaveRecord, type WavesSummary } from '../model/waves.js';
import { sameFieldValue } from '../operations/live-values.js';
import type { OperationDef } from '../operations/types.js';
import { countOf } from '../util/plural.js';
import type { StopControl } from './stop-control.js';

/** Asked between two waves (`--confirm`): true to go on. `rows` are the wave's finished rows that needed a change. */
export type ConfirmWave = (wave: WaveRecord, next: { wave: number; upTo: number; of: number }, rows: readonly RowResult[]) => Promise<boolean>;

export type WaveGateDeps = {
  op: OperationDef;
  client: OdinClient;
  stop: StopControl;
  /** The run's p-limit: the re-reads of a wave go through it. */
  limit: LimitFunction;
  log: Logger;
  confirm?: ConfirmWave;
};

/** A row counts toward a wave when it needed a change: written (updated), or failed on the way (failed, conflict, invalid). */
function countsTowardWave(r: RowResult): boolean {
  return r.status === 'updated' || isFailure(r);
}

type OpenWave = { wave: number; upTo: number; written: number; failed: number; unchanged: number; rows: RowResult[] };

/**
 * Canary and waves as a property of the engine: the gate holds the next row back (executeRows' `admit`) while the
 * rows of the wave that may still need a change, plus those already counted, fill the wave's reach; once the
 * wave's rows are all finished, it waits `--settle`, reads the wave's written users again and checks they still
 * hold the written values. More failed or reverted users than `--wave-max-failures` stop the run (exit 4);
 * after the last wave (a canary is one), and when `--confirm` is answered no, the rows left become `waiting`:
 * nothing sent, a resume continues them. Every other observer (journal, budget, progress) is unchanged.
 *
 * A row is admitted only while counted + in-flight rows < the wave's reach, so a wave never writes more users than
 * its reach, whatever the concurrency: exactly N for `--canary N`.
 */
export class WaveGate implements RunObserver {
  private reaches: number[] = [];
  private total = 0;
  /** Rows counted toward the waves so far (all waves). */
  private counted = 0;
  /** Rows admitted and not finished yet, by manifest line. */
  private readonly inFlight = new Set<number>();
  private current: OpenWave;
  private readonly records: WaveRecord[] = [];
  /** Set once no more rows may start: why the rest waits. */
  private closed: string | undefined;
  private wake: (() => void) | undefined;
  private waiting = 0;

  constructor(private readonly plan: WavePlan, private readonly deps: WaveGateDeps) {
    this.current = this.open(0);
  }

  start(run: RunStart): void {
    this.total = run.total;
    this.reaches = waveReaches(this.plan.sizes, run.total);
    this.current = this.open(0);
  }

  /**
   * Called before a row starts: resolves once the row may start (undefined), or with its `waiting` result when the
   * waves are over for this run. A stop (Ctrl-C, the budget) lets the row through: the engine skips it.
   */
  async admit(row: RowTarget): Promise<RowResult | undefined> {
    for (;;) {
      if (this.closed) return waitingResult(row, this.closed);
      if (this.deps.stop.requested) return undefined;
      if (this.counted + this.inFlight.size < this.current.upTo) {
        this.inFlight.add(row.line);
        return undefined;
      }
      if (this.inFlight.size > 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      await this.endWave(true);
    }
  }

  onResult(result: RowResult): void {
    if (result.status === 'waiting') this.waiting++;
    if (!this.inFlight.delete(result.line)) return;
    const w = this.current;
    if (countsTowardWave(result)) {
      this.counted++;
      if (result.status === 'updated') {
        w.written++;
        w.rows.push(result);
      } else {
        w.failed++;
        w.rows.push(result);
      }
    } else if (result.status === 'unchanged') w.unchanged++;
    this.wake?.();
  }

  /** After the last row: the open wave is checked too, when it wrote anything. */
  async lastWave(): Promise<void> {
    if (!this.closed && this.current.rows.length > 0 && !this.deps.stop.requested) await this.endWave(false);
  }

  /** summary.json's `waves`. */
  summary(): WavesSummary {
    const { plan } = this;
    const w = this.current;
    // A wave the run stopped in (Ctrl-C, the failure budget) before it was checked: reported as interrupted.
    const open = w.rows.length > 0 && !this.records.some((r) => r.wave === w.wave);
    const waves: WaveRecord[] = open
      ? [...this.records, { wave: w.wave, upTo: w.upTo, written: w.written, failed: w.failed, unchanged: w.unchanged, checked: 0, reverted: [], unreadable: 0, outcome: 'interrupted' }]
      : this.records;
    return {
      mode: plan.mode,
      sizes: plan.sizes.map(waveSizeText),
      settleMs: plan.settleMs,
      maxFailures: plan.maxFailures,
      order: plan.order,
      waves,
      waiting: this.waiting,
    };
  }

  private open(index: number): OpenWave {
    return { wave: index + 1, upTo: this.reaches[index] ?? Math.max(this.total, 1), written: 0, failed: 0, unchanged: 0, rows: [] };
  }

  /** Settle, read the wave's users again, judge it; then open the next wave, or close (`more`: rows are left). */
  private async endWave(more: boolean): Promise<void> {
    const w = this.current;
    const { stop, log } = this.deps;
    const last = w.wave >= this.reaches.length;
    const label = this.plan.mode === 'canary' ? 'canary' : `wave ${w.wave} of ${this.reaches.length}`;
    const written = w.rows.filter((r) => r.status === 'updated');
    if (written.length) {
      log.info(`${label}: ${countOf(w.written, 'user')} written${w.failed ? `, ${w.failed} failed` : ''}; waiting ${this.plan.settleMs / 1000} s (--settle), then reading them again`);
      await settle(this.plan.settleMs, stop);
    }
    const record: WaveRecord = { wave: w.wave, upTo: w.upTo, written: w.written, failed: w.failed, unchanged: w.unchanged, checked: 0, reverted: [], unreadable: 0, outcome: 'passed' };
    this.records.push(record);
    if (stop.requested) {
      record.outcome = 'interrupted';
      return;
    }
    await this.check(written, record);
    if (stop.requested) {
      record.outcome = 'interrupted';
      return;
    }
    const failures = waveFailures(record);
    const found = [
      ...(record.failed ? [`${record.failed} failed`] : []),
      ...(record.reverted.length ? [`${countOf(record.reverted.length, 'user')} no longer ${record.reverted.length === 1 ? 'holds' : 'hold'} the written values`] : []),
      ...(record.unreadable ? [`${record.unreadable} could not be read again`] : []),
    ];
    log.info(`${label}: ${record.checked} of ${countOf(written.length, 'user')} read again after the settle time${found.length ? `: ${found.join(', ')}` : ': all hold the written values'}`);
    for (const r of record.reverted) {
      log.warn(`line ${r.line} ${r.id}: reverted after the write: ${r.fields.map((f) => `${f.field} is ${JSON.stringify(f.found)}, written ${JSON.stringify(f.written)}`).join('; ')}`);
    }
    if (failures > this.plan.maxFailures) {
      record.outcome = 'stopped';
      const reason = `${label}: ${found.join(', ')} (${failures}, more than --wave-max-failures ${this.plan.maxFailures})`;
      this.closed = `waiting: the run stopped after ${label} (${found.join(', ')})`;
      stop.stop(reason);
      return;
    }
    if (!more) return;
    if (last) {
      this.closed = this.plan.mode === 'canary' ? `waiting: the canary of ${w.upTo} is done; --resume continues` : `waiting: the last wave (${w.upTo} rows) is done; --resume continues`;
      return;
    }
    const next = { wave: w.wave + 1, upTo: this.reaches[w.wave]!, of: this.reaches.length };
    if (this.deps.confirm && !(await this.deps.confirm(record, next, w.rows))) {
      record.outcome = 'declined';
      this.closed = `waiting: wave ${next.wave} was not confirmed; --resume continues`;
      return;
    }
    this.current = this.open(w.wave);
  }

  /** Reads each written user again; a field that no longer holds the written value makes the user reverted. */
  private async check(rows: readonly RowResult[], record: WaveRecord): Promise<void> {
    const { client, op, limit } = this.deps;
    await Promise.all(
      rows.map((r) =>
        limit(async () => {
          let live: Record<string, FieldValue>;
          try {
            live = await client.read(op, r.key, { requests: 0, retries: 0 });
          } catch {
            record.unreadable++;
            return;
          }
          record.checked++;
          const wrong = r.changed.filter((f) => !sameFieldValue(op, f, live[f], r.requested[f]));
          if (wrong.length) {
            const user: RevertedUser = { line: r.line, id: r.id, fields: wrong.map((f) => ({ field: f, written: r.requested[f] ?? null, found: live[f] ?? null })) };
            record.reverted.push(user);
          }
        }),
      ),
    );
    record.reverted.sort((a, b) => a.line - b.line);
  }
}

/** Waits `ms`, or less when the run is stopped meanwhile (checked every 100 ms). */
async function settle(ms: number, stop: StopControl): Promise<void> {
  const until = Date.now() + ms;
  while (!stop.requested && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, until - Date.now())));
  }
}
