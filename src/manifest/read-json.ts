import { createReadStream } from 'node:fs';
import { Tokenizer, TokenParser } from '@streamparser/json';
import { EMPTY_FILE } from './check-text.js';
import { JsonRowLocator } from './json-row-lines.js';
import type { RawRow } from './types.js';

export class JsonReadError extends Error {
  constructor(message: string, readonly line: number | undefined) {
    super(message);
  }
}

const SHAPE = 'expected an array of row objects, or an object {"defaults": {...}, "rows": [...]}';
const BOM = '\uFEFF';

/**
 * A JSON manifest, streamed: an array of row objects, or `{"defaults": {...}, "rows": [...]}`. Yields the rows
 * one at a time (memory does not grow with the file) and returns the defaults once the whole file is read. A row
 * that is not an object, or that names a key twice, is passed on marked so for the validator to report.
 * A syntax error or a wrong shape throws JsonReadError with the line, once the file is read up to it.
 */
export async function* readJsonRows(file: string): AsyncGenerator<RawRow, Record<string, unknown>> {
  const locator = new JsonRowLocator();
  const tokenizer = new Tokenizer();
  let parser: TokenParser | undefined;
  let defaults: unknown = {};
  let ready: RawRow[] = [];
  let count = 0;
  let lastOffset = 0;
  let bomBytes = 0;
  let held = '';
  let rowsPath = '';
  tokenizer.onToken = (token) => {
    lastOffset = token.offset;
    parser!.write(token);
  };
  // Wired as @streamparser/json's own JSONParser wires them: either one ending ends the other.
  tokenizer.onEnd = () => {
    if (parser && !parser.isEnded) parser.end();
  };
  const onValue = ({ value, key, stack }: { value?: unknown; key?: string | number; stack: readonly unknown[] }) => {
    if (locator.topLevel === '{' && stack.length === 1) {
      if (key === 'defaults') defaults = value;
      return;
    }
    count++;
    const start = locator.takeRow();
    const row: RawRow = { line: start?.line ?? count, cells: isPlainObject(value) ? value : {}, path: `${rowsPath}[${count - 1}]` };
    if (!isPlainObject(value)) row.notObject = { value };
    if (start?.duplicates.length) row.duplicates = start.duplicates;
    ready.push(row);
  };
  const syntaxError = async (error: unknown, atEnd = false): Promise<JsonReadError> => {
    const detail = (error as Error).message;
    const line = atEnd ? locator.line : await lineAtByte(file, bomBytes + (byteOffsetIn(detail) ?? lastOffset));
    return new JsonReadError(`not valid JSON: ${plainSyntaxError(detail, atEnd)}`, line);
  };

  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 64 * 1024 })) {
    let text = chunk as string;
    if (!parser && !held && text.startsWith(BOM)) {
      text = text.slice(1);
      bomBytes = 3;
    }
    locator.feed(text);
    if (!parser) {
      // The paths depend on the top level; wait for its first character (a file may start with white space).
      held += text;
      if (locator.topLevel === undefined) continue;
      parser = parserFor(locator.topLevel, onValue);
      rowsPath = locator.topLevel === '{' ? 'rows' : '';
      parser.onEnd = () => {
        if (!tokenizer.isEnded) tokenizer.end();
      };
      text = held;
      held = '';
    }
    try {
      tokenizer.write(text);
    } catch (error) {
      throw await syntaxError(error);
    }
    yield* ready;
    ready = [];
  }
  // Only white space (a newline, a BOM): nothing in it, as in an empty file.
  if (!parser) throw new JsonReadError(EMPTY_FILE, undefined);
  try {
    if (!tokenizer.isEnded) tokenizer.end();
  } catch (error) {
    throw await syntaxError(error, true);
  }
  yield* ready;
  return checkShape(locator, defaults);
}

function parserFor(topLevel: string, onValue: (info: { value?: unknown; key?: string | number; stack: readonly unknown[] }) => void): TokenParser {
  if (topLevel !== '[' && topLevel !== '{') throw new JsonReadError(SHAPE, 1);
  // Rows are emitted one by one and not kept; `$.rows` itself is never a path, or the whole array would be built.
  const parser = new TokenParser({ paths: topLevel === '[' ? ['$.*'] : ['$.rows.*', '$.defaults'], keepStack: false });
  parser.onValue = onValue as TokenParser['onValue'];
  return parser;
}

/** After the whole file: a top-level object must have a "rows" array and at most an object of "defaults". */
function checkShape(locator: JsonRowLocator, defaults: unknown): Record<string, unknown> {
  if (locator.topLevel === '[') return {};
  const extra = [...locator.keys.keys()].filter((k) => k !== 'rows' && k !== 'defaults');
  if (locator.keys.get('rows') !== '[') throw new JsonReadError(SHAPE, 1);
  if (extra.length) throw new JsonReadError(`unexpected top-level key ${extra.map((k) => `"${k}"`).join(', ')}: expected only "defaults" and "rows"`, 1);
  if (locator.keys.has('defaults') && !isPlainObject(defaults)) throw new JsonReadError('"defaults" must be an object of field values', 1);
  const twice = locator.duplicates;
  if (twice.length) {
    const named = twice.map((d) => `${d.where === 'top' ? 'the top level' : '"defaults"'} names "${d.key}" twice${d.firstLine === d.line ? '' : ` (lines ${d.firstLine} and ${d.line})`}`);
    throw new JsonReadError(`${named.join('; ')}: JSON keeps only the last one, so the file is refused; remove one of them`, twice[0]!.line);
  }
  return defaults as Record<string, unknown>;
}

/** Reads a JSON manifest through to the end: its defaults, or the first JsonReadError. Rows are not kept. */
export async function readJsonDefaults(file: string): Promise<Record<string, unknown>> {
  const rows = readJsonRows(file);
  for (;;) {
    const next = await rows.next();
    if (next.done) return next.value;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The parser's words for the operator: `Unexpected RIGHT_BRACE ("}") in state KEY` → `unexpected "}" where a key should be (a trailing comma?)`. */
function plainSyntaxError(message: string, atEnd: boolean): string {
  if (atEnd) return 'the file ends before the JSON does (cut short, or a bracket or brace not closed)';
  const match = /^Unexpected (?:[A-Z_]+ \("(.*)"\)|"(.*)" at chunk position)[^]*?in state (\w+)/.exec(message);
  if (!match) return message;
  const what = match[1] ?? match[2];
  const state = match[3];
  if (state === 'KEY') return `unexpected "${what}" where a key should be (a trailing comma?)`;
  if (state === 'ENDED') return `unexpected "${what}" after the end of the JSON value`;
  if (state === 'COMMA') return `unexpected "${what}": a comma or a closing bracket or brace should come first`;
  return `unexpected "${what}"`;
}

/** The tokenizer names the absolute byte position in some messages: `… (absolute position "123") …`. */
function byteOffsetIn(message: string): number | undefined {
  const match = /absolute position "(\d+)"/.exec(message);
  return match ? Number(match[1]) : undefined;
}

/** The line of a byte offset in the file (for an error message only: the file is read up to there again). */
async function lineAtByte(file: string, offset: number): Promise<number> {
  let line = 1;
  let seen = 0;
  for await (const chunk of createReadStream(file, { end: Math.max(0, offset - 1) })) {
    const bytes = chunk as Buffer;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
    seen += bytes.length;
  }
  return seen === 0 ? 1 : line;
}
