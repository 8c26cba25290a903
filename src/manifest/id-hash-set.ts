/**
 * The ids seen so far in a manifest, kept as 64-bit hashes with the line each was first seen on, so the duplicate
 * check of a 200,000-row manifest costs about 3 MB instead of a Map of every id string (≈ 30 MB).
 * Two different ids share a 64-bit hash with a chance of about n²/2⁶⁵ (10⁻⁹ for 200,000 ids): then the second
 * would be reported as a duplicate of the first, and nothing would be sent. That is the only way it can err.
 */
export class IdHashSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** 0 = empty slot; lines are 1-based. */
  private lines: Uint32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)));
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.lines = new Uint32Array(size);
  }

  get size(): number {
    return this.count;
  }

  /** Adds `id` seen on `line`; returns the line it was first seen on when it is already there, else undefined. */
  addOrGet(id: string, line: number): number | undefined {
    if (!(Number.isInteger(line) && line >= 1 && line <= 0xffffffff)) {
      throw new TypeError(`Expected \`line\` to be an integer from 1 to ${0xffffffff}, got \`${line}\` (${typeof line})`);
    }
    const [h, l] = hash64(id);
    const found = this.find(h, l);
    if (this.lines[found] !== 0) return this.lines[found];
    this.put(found, h, l, line);
    return undefined;
  }

  private find(h: number, l: number): number {
    const mask = this.lines.length - 1;
    let i = (l ^ h) & mask;
    while (this.lines[i] !== 0 && (this.hi[i] !== h || this.lo[i] !== l)) i = (i + 1) & mask;
    return i;
  }

  private put(slot: number, h: number, l: number, line: number): void {
    this.hi[slot] = h;
    this.lo[slot] = l;
    this.lines[slot] = line;
    this.count++;
    if (this.count * 4 > this.lines.length * 3) this.grow();
  }

  private grow(): void {
    const { hi, lo, lines } = this;
    this.hi = new Uint32Array(lines.length * 2);
    this.lo = new Uint32Array(lines.length * 2);
    this.lines = new Uint32Array(lines.length * 2);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 0) continue;
      const slot = this.find(hi[i]!, lo[i]!);
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.lines[slot] = lines[i]!;
    }
  }
}

/** cyrb53's mixing, kept at the full 64 bits: two 32-bit halves. Pure; the same id always gives the same pair. */
export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}
