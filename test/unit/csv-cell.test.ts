import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { readCell, unescapeCell } from '../../src/manifest/unescape-cell.js';
import { csvCell, csvLine } from '../../src/report/csv-cell.js';

describe('csvCell', () => {
  it('writes values as text; undefined (not known) as an empty cell, null as null', () => {
    expect(csvCell(true)).toBe('true');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(5)).toBe('5');
    expect(csvCell('Use DN')).toBe('Use DN');
    expect(csvCell(null)).toBe('null');
    expect(csvCell(undefined)).toBe('');
  });

  it.each(['=SUM(A1)', '+15551234567', '-1', '@cmd', '\tx', '\rx', 'null'])('escapes %j with an apostrophe', (text) => {
    expect(csvCell(text)).toBe(`'${text}`);
  });

  it('does not touch numbers, even negative ones', () => {
    expect(csvCell(-1)).toBe('-1');
  });
});

describe('csvCell → CSV → unescapeCell round trip', () => {
  it.each(['+15551234567', '=1+1', '-x', '@home', 'plain', 'a, b', 'say "hi"', "'quoted", "'=kept", "''+x", 'line\nbreak', '', 'null', "'null", 'nullable', 'NULL', null])(
    '%j survives',
    (value) => {
      const [[cell]] = parse(csvLine([csvCell(value)]), { bom: true }) as string[][];
      expect(readCell(cell ?? '')).toBe(value);
    },
  );

  it('leaves a leading apostrophe alone when no formula character follows', () => {
    expect(unescapeCell("'hello")).toBe("'hello");
    expect(unescapeCell("'+1")).toBe('+1');
  });
});
