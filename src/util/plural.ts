/** `1 row`, `2 rows`, `0 rows`: a count with its noun, never "1 rows". `plural` for nouns that do not take an s. */
export function countOf(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}
