/**
 * Finds the line on which each row of a JSON manifest starts, so problems can name a line as they do for CSV.
 * Rows are the elements of the top-level array, or of the top-level object's "rows" array.
 * JSON.parse has already accepted the text; this only walks it once, tracking strings and nesting.
 */
export function jsonRowLines(text: string): number[] {
  const lines: number[] = [];
  const stack: string[] = [];
  let line = 1;
  let inString = false;
  let stringStart = 0;
  let lastDepth1Key = '';
  let collecting = false; // inside the rows array, at its own level
  let expectValue = false;

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (stack.length === 1 && stack[0] === '{') lastDepth1Key = JSON.parse(text.slice(stringStart, i + 1)) as string;
      }
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === ':') continue;
    const atRowsLevel = collecting && isRowsArray(stack, lastDepth1Key);
    if (atRowsLevel && c === ',') {
      expectValue = true;
      continue;
    }
    if (atRowsLevel && expectValue && c !== ']') {
      lines.push(line);
      expectValue = false;
    }
    if (c === '"') {
      inString = true;
      stringStart = i;
    } else if (c === '[' || c === '{') {
      stack.push(c);
      if (c === '[' && isRowsArray(stack, lastDepth1Key)) {
        collecting = true;
        expectValue = true;
      }
    } else if (c === ']' || c === '}') {
      if (collecting && isRowsArray(stack, lastDepth1Key)) collecting = false;
      stack.pop();
    }
  }
  return lines;
}

function isRowsArray(stack: string[], key: string): boolean {
  if (stack.length === 1) return stack[0] === '[';
  return stack.length === 2 && stack[0] === '{' && stack[1] === '[' && key === 'rows';
}
