/** A key that appears twice in one JSON object: JSON.parse (and @streamparser/json) silently keep the last one. */
export type DuplicateKey = { key: string; line: number; firstLine: number };

/** Where a row of a JSON manifest starts, and what the value parser cannot tell about it. */
export type RowStart = {
  /** 1-based line of the row's first character. */
  line: number;
  /** Position among the rows (0-based): `rows[3]`. */
  index: number;
  /** Keys the row object names more than once. */
  duplicates: DuplicateKey[];
};

/** What each open bracket or brace is, to know which keys to collect. */
type Frame = {
  kind: '{' | '[';
  role: 'top' | 'defaults' | 'rows' | 'row' | 'other';
  /** In an object: the next string is a key. */
  expectKey: boolean;
  /** Keys seen (with their line), for the objects whose duplicates matter. */
  keys?: Map<string, number>;
  /** The key whose value is being read (objects). */
  valueKey?: string;
  /** The row this frame is (role 'row'). */
  row?: RowStart;
};

/**
 * Follows a JSON manifest's text as it streams in, chunk by chunk, to learn what the value parser does not say:
 * the line on which each row starts (so problems name a line, as they do for CSV), keys an object names twice (the
 * parser keeps the last one without a word), the top level's first character, and the top-level object's keys with
 * the first character of each value. Rows are the elements of the top-level array, or of the top-level object's
 * "rows" array. It tracks strings and nesting only; @streamparser/json checks the syntax and builds the values.
 */
export class JsonRowLocator {
  /** The first character that is not white space: `[` or `{` for a manifest. */
  topLevel: string | undefined;
  /** Keys of a top-level object → the first character of their value (`[`, `{`, `"`, a digit…). */
  readonly keys = new Map<string, string>();
  /** Keys named twice at the top level or in "defaults" (rows keep their own, see RowStart). */
  readonly duplicates: Array<DuplicateKey & { where: 'top' | 'defaults' }> = [];
  /** Lines counted so far (1-based). */
  line = 1;

  private readonly starts: RowStart[] = [];
  private taken = 0;
  private rowCount = 0;
  private readonly stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  /** Text of the key being read (with its quotes), kept only for the keys that matter; else undefined. */
  private keyText: string | undefined;
  private keyLine = 0;
  /** The value after a top-level key has not started yet. */
  private awaitingValue = false;
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
      const top = this.stack[this.stack.length - 1];
      if (top?.kind === '{') {
        if (c === ':') {
          if (top.role === 'top') this.awaitingValue = top.valueKey !== undefined;
          continue;
        }
        if (c === ',') {
          top.expectKey = true;
          continue;
        }
        if (this.awaitingValue && top.role === 'top') {
          this.keys.set(top.valueKey!, c);
          this.awaitingValue = false;
        }
      }
      if (top?.role === 'rows') {
        if (c === ',') {
          this.expectRow = true;
          continue;
        }
        if (this.expectRow && c !== ']') {
          this.starts.push({ line: this.line, index: this.rowCount++, duplicates: [] });
          this.expectRow = false;
        }
      }
      if (c === '"') {
        this.inString = true;
        const collect = top?.kind === '{' && top.expectKey && top.keys !== undefined;
        this.keyText = collect ? '"' : undefined;
        this.keyLine = this.line;
        if (top?.kind === '{' && top.expectKey && !collect) top.expectKey = false;
      } else if (c === '[' || c === '{') {
        this.open(c, top);
      } else if (c === ']' || c === '}') {
        this.stack.pop();
      }
    }
  }

  /** The next row not taken yet, in order; undefined when none is known. */
  takeRow(): RowStart | undefined {
    if (this.taken >= this.starts.length) return undefined;
    const row = this.starts[this.taken++];
    if (this.taken === this.starts.length) {
      this.starts.length = 0; // keep the queue small: rows are taken as fast as they are parsed
      this.taken = 0;
    }
    return row;
  }

  /** The line of the next row not taken yet, in order; undefined when none is known. */
  takeLine(): number | undefined {
    return this.takeRow()?.line;
  }

  private open(c: '{' | '[', parent: Frame | undefined): void {
    let role: Frame['role'] = 'other';
    if (parent === undefined) role = c === '{' ? 'top' : 'rows';
    else if (parent.role === 'top' && parent.valueKey === 'rows' && c === '[') role = 'rows';
    else if (parent.role === 'top' && parent.valueKey === 'defaults' && c === '{') role = 'defaults';
    else if (parent.role === 'rows' && c === '{') role = 'row';
    const frame: Frame = { kind: c, role, expectKey: c === '{' };
    if (role === 'top' || role === 'defaults' || role === 'row') frame.keys = new Map();
    if (role === 'row') frame.row = this.starts[this.starts.length - 1];
    if (role === 'rows') this.expectRow = true;
    this.stack.push(frame);
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
        this.key(JSON.parse(this.keyText) as string);
        this.keyText = undefined;
      }
    }
  }

  private key(name: string): void {
    const frame = this.stack[this.stack.length - 1]!;
    frame.expectKey = false;
    frame.valueKey = name;
    const first = frame.keys!.get(name);
    if (first === undefined) {
      frame.keys!.set(name, this.keyLine);
      return;
    }
    const duplicate = { key: name, line: this.keyLine, firstLine: first };
    if (frame.role === 'row') frame.row?.duplicates.push(duplicate);
    else this.duplicates.push({ ...duplicate, where: frame.role === 'top' ? 'top' : 'defaults' });
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
