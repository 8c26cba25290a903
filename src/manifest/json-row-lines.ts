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

/**
 * A key named twice outside the rows: at the top level, in "defaults", or (a job file's `steps`) in a step or its
 * "defaults". `step` is the step's place in `steps` (0-based).
 */
export type NamedTwice = DuplicateKey & { where: 'top' | 'defaults' | 'step' | 'step-defaults'; step?: number };

/** What each open bracket or brace is, to know which keys to collect. */
type Frame = {
  kind: '{' | '[';
  role: 'top' | 'defaults' | 'rows' | 'row' | 'steps' | 'step' | 'step-defaults' | 'other';
  /** In an object: the next string is a key. */
  expectKey: boolean;
  /** Keys seen (with their line), for the objects whose duplicates matter. */
  keys?: Map<string, number>;
  /** The key whose value is being read (objects). */
  valueKey?: string;
  /** The row this frame is (role 'row'). */
  row?: RowStart;
  /** `steps`: elements started so far, and whether the next character starts one. */
  elements?: number;
  expectElement?: boolean;
  /** The step this frame is or is in (roles 'step' and 'step-defaults'). */
  step?: number;
};

/**
 * Follows a JSON manifest's text as it streams in, chunk by chunk, to learn what the value parser does not say:
 * the line on which each row starts (so problems name a line, as they do for CSV), keys an object names twice (the
 * parser keeps the last one without a word), the top level's first character, and the top-level object's keys with
 * the first character of each value. Rows are the elements of the top-level array, or of the top-level object's
 * "rows" array. It tracks strings and nesting only; @streamparser/json checks the syntax and builds the values.
 * Job files are followed with it too: their top-level "steps" array, each step and its "defaults".
 */
export class JsonRowLocator {
  /** The first character that is not white space: `[` or `{` for a manifest. */
  topLevel: string | undefined;
  /** Keys of a top-level object → the first character of their value (`[`, `{`, `"`, a digit…). */
  readonly keys = new Map<string, string>();
  /** Keys named twice at the top level, in "defaults", or in a step (rows keep their own, see RowStart). */
  readonly duplicates: NamedTwice[] = [];
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
      if (top?.role === 'steps') {
        if (c === ',') {
          top.expectElement = true;
          continue;
        }
        if (top.expectElement && c !== ']') {
          top.elements = (top.elements ?? 0) + 1;
          top.expectElement = false;
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
    else if (parent.role === 'top' && parent.valueKey === 'steps' && c === '[') role = 'steps';
    else if (parent.role === 'steps' && c === '{') role = 'step';
    else if (parent.role === 'step' && parent.valueKey === 'defaults' && c === '{') role = 'step-defaults';
    const frame: Frame = { kind: c, role, expectKey: c === '{' };
    if (role !== 'rows' && role !== 'steps' && role !== 'other') frame.keys = new Map();
    if (role === 'row') frame.row = this.starts[this.starts.length - 1];
    if (role === 'rows') this.expectRow = true;
    if (role === 'steps') frame.expectElement = true;
    if (role === 'step') frame.step = parent!.elements! - 1;
    if (role === 'step-defaults') frame.step = parent!.step;
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
    else if (frame.role === 'step' || frame.role === 'step-defaults') this.duplicates.push({ ...duplicate, where: frame.role, step: frame.step! });
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
