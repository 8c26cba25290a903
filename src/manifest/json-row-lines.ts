/**
 * Follows a JSON manifest's text as it streams in, chunk by chunk, to learn what the value parser does not say:
 * the line on which each row starts (so problems name a line, as they do for CSV), the top level's first character,
 * and the top-level object's keys with the first character of each value. Rows are the elements of the top-level
 * array, or of the top-level object's "rows" array. It tracks strings and nesting only; @streamparser/json
 * checks the syntax and builds the values.
 */
export class JsonRowLocator {
  /** The first character that is not white space: `[` or `{` for a manifest. */
  topLevel: string | undefined;
  /** Keys of a top-level object → the first character of their value (`[`, `{`, `"`, a digit…). */
  readonly keys = new Map<string, string>();
  /** Lines counted so far (1-based). */
  line = 1;

  private readonly starts: number[] = [];
  private taken = 0;
  private readonly stack: string[] = [];
  private inString = false;
  private escaped = false;
  /** Text of the string being read, kept only for strings at the top level of an object (its keys). */
  private keyText: string | undefined;
  private expectKey = false;
  private pendingKey: string | undefined;
  /** The top-level key whose value is being read. */
  private valueKey: string | undefined;
  private awaitingValue = false;
  private collecting = false; // inside the rows array, at its own level
  private expectRow = false;

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') this.line++;
      if (this.inString) {
        this.string(c);
        continue;
      }
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
      this.topLevel ??= c;
      if (this.atObjectTop()) {
        if (c === ':') {
          this.awaitingValue = this.pendingKey !== undefined;
          continue;
        }
        if (this.awaitingValue) {
          this.keys.set(this.pendingKey!, c);
          this.valueKey = this.pendingKey;
          this.awaitingValue = false;
          this.pendingKey = undefined;
        } else if (c === ',') this.expectKey = true;
      }
      const atRows = this.collecting && this.atRowsLevel();
      if (atRows && c === ',') {
        this.expectRow = true;
        continue;
      }
      if (atRows && this.expectRow && c !== ']') {
        this.starts.push(this.line);
        this.expectRow = false;
      }
      if (c === '"') {
        this.inString = true;
        this.keyText = this.atObjectTop() && this.expectKey ? '"' : undefined;
      } else if (c === '[' || c === '{') {
        this.stack.push(c);
        if (this.stack.length === 1 && c === '{') this.expectKey = true;
        if (c === '[' && this.atRowsLevel()) {
          this.collecting = true;
          this.expectRow = true;
        }
      } else if (c === ']' || c === '}') {
        if (this.collecting && this.atRowsLevel()) this.collecting = false;
        this.stack.pop();
      }
    }
  }

  /** The line of the next row not taken yet, in order; undefined when none is known. */
  takeLine(): number | undefined {
    if (this.taken >= this.starts.length) return undefined;
    const line = this.starts[this.taken++];
    if (this.taken === this.starts.length) {
      this.starts.length = 0; // keep the queue small: rows are taken as fast as they are parsed
      this.taken = 0;
    }
    return line;
  }

  private string(c: string): void {
    if (this.keyText !== undefined) this.keyText += c;
    if (this.escaped) {
      this.escaped = false;
    } else if (c === '\\') {
      this.escaped = true;
    } else if (c === '"') {
      this.inString = false;
      if (this.keyText !== undefined) {
        this.pendingKey = JSON.parse(this.keyText) as string;
        this.keyText = undefined;
        this.expectKey = false;
      }
    }
  }

  private atObjectTop(): boolean {
    return this.stack.length === 1 && this.stack[0] === '{';
  }

  private atRowsLevel(): boolean {
    if (this.stack.length === 1) return this.stack[0] === '[';
    return this.stack.length === 2 && this.stack[0] === '{' && this.stack[1] === '[' && this.valueKey === 'rows';
  }
}

/** Every row's starting line in a whole JSON text (see JsonRowLocator). */
export function jsonRowLines(text: string): number[] {
  const locator = new JsonRowLocator();
  locator.feed(text);
  const lines: number[] = [];
  for (let line = locator.takeLine(); line !== undefined; line = locator.takeLine()) lines.push(line);
  return lines;
}
