/**
 * `--delimiter` (and the job file's `delimiter`): one character between the cells of a CSV manifest, or the word
 * `tab`. Quotes, line breaks and letters or digits would make the file unreadable, so they are refused. Pure.
 */
export function checkDelimiter(text: string): { delimiter: string } | { problem: string } {
  const value = text.toLowerCase() === 'tab' || text === '\\t' ? '\t' : text;
  if ([...value].length !== 1) return { problem: `must be one character, e.g. ';' (or the word tab), got ${JSON.stringify(text)}` };
  if (/["'\r\n\p{L}\p{N}]/u.test(value)) return { problem: `cannot be ${JSON.stringify(text)}: a quote, a line break, a letter or a digit cannot separate cells` };
  return { delimiter: value };
}
