/**
 * Puts items that finish out of order back in their input order (index = position in the input, from 0), for the
 * files written in manifest order: results, rollback, failed, plan.json, an export. Holds only the items that are
 * ahead of the oldest unfinished one (the engine keeps that window small).
 */
export class InOrder<T> {
  private readonly waiting = new Map<number, T>();
  private next = 0;

  constructor(private readonly emit: (item: T, index: number) => void) {}

  add(item: T, index: number): void {
    this.waiting.set(index, item);
    for (let r = this.waiting.get(this.next); r !== undefined; r = this.waiting.get(this.next)) {
      this.waiting.delete(this.next);
      this.emit(r, this.next++);
    }
  }

  /** At the end: every item must have come out; one still waiting means one never came (a bug). */
  done(what: string): void {
    if (this.waiting.size) throw new Error(`internal: ${this.waiting.size} rows never reached ${what} (next row ${this.next})`);
  }
}
