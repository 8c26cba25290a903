import type { Problem } from './types.js';

/** How many problems are listed; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 200;

/** Problems (or warnings) as they are found: the first MAX_LISTED_PROBLEMS kept, every one counted. */
export class ProblemList {
  readonly listed: Problem[] = [];
  count = 0;

  readonly add = (p: Problem): void => {
    this.count++;
    if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push(p);
  };
}

/** A list's first lines (of `count` in all), each formatted, then how many more there were: `… and 12 more`. */
export function listedLines<T>(listed: readonly T[], count: number, format: (item: T) => string, shown = listed.length, indent = ''): string[] {
  const lines = listed.slice(0, shown).map((p) => `${indent}${format(p)}`);
  const more = count - lines.length;
  return more > 0 ? [...lines, `${indent}… and ${more} more`] : lines;
}
