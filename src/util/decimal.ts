/** Plain decimal text, as a person types a number: `4`, `-1`, `2.5`, `.5`. */
const DECIMAL = /^-?(?:\d+(?:\.\d+)?|\.\d+)$/;

/**
 * A number typed on the command line: NaN unless the text is a plain decimal. `Number()` alone takes `""` and
 * `"  "` as 0, and `0x10`, `1e1`, `0b11`, `Infinity` or ` 4 ` as numbers, none of which a flag should mean.
 */
export function decimalNumber(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}
