import { describe, expect, it } from '@jest/globals';
import { decimalNumber } from '../../src/util/decimal.js';

describe('decimalNumber: a number typed on the command line', () => {
  it.each([
    ['4', 4],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['-1', -1],
    ['0', 0],
    ['007', 7],
  ])('%j is %d', (text, n) => {
    expect(decimalNumber(text)).toBe(n);
  });

  it.each(['', ' ', '  4  ', '0x10', '1e1', '0b11', '0o7', 'Infinity', '-Infinity', '+4', '4.', '1_000', '1,5', 'NaN', 'abc', '4\n'])('%j is no number (NaN)', (text) => {
    expect(decimalNumber(text)).toBeNaN();
  });
});
